#!/usr/bin/env python3
"""The lab's two benchmark models in PyTorch, for bench:gpu's lab / PyTorch ratio.

Builds each model from the lab's own layer list (src/core/models.ts `layersOf`, as bench-gpu.ts passes it with
--models; the defaults below are the same two models): Conv2D with valid padding + ReLU, MaxPool 2, Flatten,
Dense; input 3x120x90 (NCHW here, NHWC in the lab). Trains with Adam 1e-3 on cross-entropy from logits, on random
data resident on the device, in strict float32 (no TF32: the lab's WebGPU kernels are float32). Prints progress to
stderr and one JSON object to stdout: samples/second after warm-up per model and batch size.

  python3 torch_bench.py [--device cuda|cpu] [--batch-sizes 64,256] [--models JSON] [--warmup N] [--batches N]
"""

import argparse
import json
import sys
import time

import torch
from torch import nn

HEIGHT, WIDTH, CHANNELS = 120, 90, 3


def _model2(filters, k1, k2):
    return [
        {"type": "conv2d", "filters": filters, "kernel": k1},
        {"type": "maxPool"},
        {"type": "conv2d", "filters": filters, "kernel": k2},
        {"type": "maxPool"},
        {"type": "flatten"},
    ]


# As src/app/bench.ts: small = the study's primary model, big = a larger Model 3.
DEFAULT_MODELS = [
    {
        "name": "small",
        "classes": 3,
        "layers": _model2(32, 3, 3) + [{"type": "dense", "units": 3, "relu": False}],
    },
    {
        "name": "big",
        "classes": 11,
        "layers": _model2(64, 5, 3)
        + [
            {"type": "dense", "units": 512, "relu": True},
            {"type": "dense", "units": 11, "relu": False},
        ],
    },
]


def build(layers):
    """A Sequential from the lab's layer list, with Keras' initialisation (Glorot-uniform, zero biases)."""
    mods, shape = [], (CHANNELS, HEIGHT, WIDTH)
    for layer in layers:
        kind = layer["type"]
        if kind == "conv2d":
            k = layer["kernel"]
            conv = nn.Conv2d(shape[0], layer["filters"], k, padding=0)
            mods += [conv, nn.ReLU()]
            shape = (layer["filters"], shape[1] - k + 1, shape[2] - k + 1)
        elif kind == "maxPool":
            mods.append(nn.MaxPool2d(2))
            shape = (shape[0], shape[1] // 2, shape[2] // 2)
        elif kind == "flatten":
            mods.append(nn.Flatten())
            shape = (shape[0] * shape[1] * shape[2],)
        elif kind == "dense":
            dense = nn.Linear(shape[0], layer["units"])
            mods.append(dense)
            if layer["relu"]:
                mods.append(nn.ReLU())
            shape = (layer["units"],)
        elif kind == "dropout":
            mods.append(nn.Dropout(layer["rate"]))
        else:
            raise ValueError(f"unknown layer type {kind}")
    for m in mods:
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)
    return nn.Sequential(*mods)


def sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def time_training(spec, batch_size, device, warmup, batches):
    torch.manual_seed(1)
    model = build(spec["layers"]).to(device)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    # A few distinct batches, cycled, so no step reads exactly the previous step's input.
    xs = [torch.rand(batch_size, CHANNELS, HEIGHT, WIDTH, device=device) for _ in range(3)]
    ys = [torch.randint(0, spec["classes"], (batch_size,), device=device) for _ in range(3)]

    def step(i):
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(xs[i % 3]), ys[i % 3])
        loss.backward()
        opt.step()
        return loss

    t0 = time.perf_counter()
    for i in range(warmup):
        step(i)
    sync(device)
    t1 = time.perf_counter()
    for i in range(batches):
        loss = step(i)
    loss.item()  # waits for the last step, as the lab's loop reads its loss
    sync(device)
    t2 = time.perf_counter()
    return {
        "model": spec["name"],
        "batchSize": batch_size,
        "samplesPerSecond": batches * batch_size / (t2 - t1),
        "warmUpSeconds": t1 - t0,
        "warmupBatches": warmup,
        "timedBatches": batches,
        "parameters": sum(p.numel() for p in model.parameters()),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--device", default="cuda", choices=["cuda", "cpu"])
    ap.add_argument("--batch-sizes", default="64,256")
    ap.add_argument("--models", help="JSON list of {name, classes, layers} (bench-gpu.ts passes the lab's)")
    ap.add_argument("--only", help="comma-separated model names to run")
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--batches", type=int, default=20)
    a = ap.parse_args()
    if a.device == "cuda" and not torch.cuda.is_available():
        sys.exit("torch_bench: CUDA is not available to this PyTorch (use --device cpu)")
    device = torch.device(a.device)
    torch.backends.cudnn.allow_tf32 = False
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.benchmark = True
    models = json.loads(a.models) if a.models else DEFAULT_MODELS
    if a.only:
        models = [m for m in models if m["name"] in a.only.split(",")]
    results = []
    for spec in models:
        for bs in (int(b) for b in a.batch_sizes.split(",")):
            print(f"torch {spec['name']} batch {bs} on {a.device}...", file=sys.stderr, flush=True)
            r = time_training(spec, bs, device, a.warmup, a.batches)
            print(f"torch {spec['name']} batch {bs}: {r['samplesPerSecond']:.1f} samples/s", file=sys.stderr, flush=True)
            results.append(r)
    info = {
        "torch": torch.__version__,
        "device": a.device,
        "deviceName": torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu",
        "cuda": torch.version.cuda,
        "cudnn": torch.backends.cudnn.version() if device.type == "cuda" else None,
        "threads": torch.get_num_threads(),
        "precision": "float32, TF32 off",
        "data": "random float32, resident on the device",
        "results": results,
    }
    print(json.dumps(info))


if __name__ == "__main__":
    main()
