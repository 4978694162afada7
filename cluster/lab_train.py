"""One run of a lab cluster job in PyTorch, trained as the lab trains (src/ml/train.ts, src/ml/splits.ts).

- Images uint8 NHWC, scaled x / 255; with flips on, a left-right mirrored copy of every image is appended to each
  split (train, validation and test), as the study did.
- Each epoch's order is the lab's: mulberry32(imul(seed, 1000003) + epoch) drives a Fisher-Yates shuffle of
  0..n-1 (src/core/rng.ts), so the batches are the lab's batches.
- Adam (beta 0.9 / 0.999, epsilon 1e-7 as tfjs) on softmax cross-entropy from logits, averaged per batch.
- Early stopping on validation loss: after `patience` epochs without a lower one training stops; the weights of
  the lowest validation loss are restored before the final validation and test evaluations.
Only the initial weights and dropout masks differ from a lab run of the same seed (PyTorch's generator is not
tfjs'): the same cell's runs here and in the lab spread alike, they are not bit-equal.

  python3 lab_train.py --epoch-order N SEED EPOCH   prints the lab's order of an epoch (a check against the lab)
"""

import copy
import json
import os
import platform
import socket
import sys
import time
from datetime import datetime, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402
from lab_models import build, tfjs_artifacts  # noqa: E402

M32 = 0xFFFFFFFF


def _imul(a, b):
    return ((a & M32) * (b & M32)) & M32


def mulberry32(seed):
    """core/rng.ts createRng: the same floats in [0, 1) for the same seed."""
    state = seed & M32

    def rng():
        nonlocal state
        state = (state + 0x6D2B79F5) & M32
        t = state
        t = _imul(t ^ (t >> 15), t | 1)
        t ^= (t + _imul(t ^ (t >> 7), t | 61)) & M32
        return ((t ^ (t >> 14)) & M32) / 4294967296

    return rng


def epoch_order(n, seed, epoch):
    """src/ml/splits.ts epochOrder."""
    rng = mulberry32(_imul(seed, 1_000_003) + epoch)
    order = list(range(n))
    for i in range(n - 1, 0, -1):
        j = int(rng() * (i + 1))
        order[i], order[j] = order[j], order[i]
    return order


class Split:
    """A split as the loop sees it: rows 0..count-1 are the file's images, count..2count-1 their mirrors."""

    def __init__(self, images, labels, flip):
        self.images, self.count = images, len(labels)
        self.labels = np.concatenate([labels, labels]) if flip else labels
        self.n = len(self.labels)

    def batch(self, rows, device):
        rows = np.asarray(rows)
        mirror = rows >= self.count
        x = self.images[np.where(mirror, rows - self.count, rows)]
        if mirror.any():
            x[mirror] = x[mirror][:, :, ::-1, :]
        x = torch.from_numpy(np.ascontiguousarray(x)).to(device).permute(0, 3, 1, 2).float() / 255
        y = torch.from_numpy(self.labels[rows].astype(np.int64)).to(device)
        return x, y


def evaluate(model, split, classes, batch_size, device, keep_logits=False):
    model.eval()
    loss_sum, predictions, confidence, logits_all = 0.0, [], [], []
    with torch.no_grad():
        for start in range(0, split.n, batch_size):
            x, y = split.batch(range(start, min(start + batch_size, split.n)), device)
            logits = model(x)
            loss_sum += nn.functional.cross_entropy(logits, y, reduction="sum").item()
            probs = torch.softmax(logits, 1)
            conf, pred = probs.max(1)
            predictions += pred.tolist()
            confidence += conf.tolist()
            if keep_logits:
                logits_all += logits.cpu().tolist()
    confusion = [[0] * classes for _ in range(classes)]
    for t, p in zip(split.labels.tolist(), predictions):
        confusion[t][p] += 1
    correct = sum(confusion[i][i] for i in range(classes))
    out = {
        "loss": loss_sum / max(1, split.n),
        "accuracy": correct / max(1, split.n),
        "confusion": confusion,
        "predictions": predictions,
        "confidence": confidence,
    }
    if keep_logits:
        out["logits"] = logits_all
    return out


def pick_device(name):
    if name == "auto":
        name = "cuda" if torch.cuda.is_available() else "cpu"
    if name == "cuda":
        if not torch.cuda.is_available():
            raise RuntimeError("--device cuda: this PyTorch sees no CUDA device")
        # Strict float32, as the lab computes.
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
        return torch.device("cuda"), f"cuda ({torch.cuda.get_device_name(0)})"
    return torch.device("cpu"), f"cpu ({torch.get_num_threads()} threads)"


def train_run(job, run, data, options):
    """Trains run `run` of `job` on `data` (split name -> (images, labels)); returns its record and weights."""
    if options.get("threads"):
        torch.set_num_threads(options["threads"])
    device, device_name = pick_device(options.get("device", "auto"))
    s = job["settings"]
    flip = bool(job["preprocessing"]["flip"])
    classes = len(job["task"]["classes"])
    cell = job["cells"][run["cell"]]
    train, val, test = (Split(*data[k], flip) for k in ("train", "validation", "test"))
    started = datetime.now(timezone.utc).isoformat()
    torch.manual_seed(run["seed"])
    model = build(cell["layers"]).to(device)
    initial = tfjs_artifacts(model, cell["layers"], "PyTorch " + torch.__version__) if options.get("keep_initial") else None
    opt = torch.optim.Adam(model.parameters(), lr=s["learningRate"], betas=(0.9, 0.999), eps=1e-7)
    epochs, best, best_epoch, best_state, wait = [], float("inf"), -1, None, 0
    for epoch in range(s["epochs"]):
        t0 = time.perf_counter()
        model.train()
        order = epoch_order(train.n, run["seed"], epoch)
        loss_sum, correct = 0.0, 0
        for b in range(0, train.n, s["batchSize"]):
            x, y = train.batch(order[b : b + s["batchSize"]], device)
            opt.zero_grad(set_to_none=True)
            logits = model(x)
            loss = nn.functional.cross_entropy(logits, y)
            loss.backward()
            opt.step()
            loss_sum += loss.item() * len(y)
            correct += (logits.argmax(1) == y).sum().item()
        v = evaluate(model, val, classes, s["batchSize"], device)
        seconds = time.perf_counter() - t0
        epochs.append(
            {
                "epoch": epoch,
                "loss": loss_sum / train.n,
                "accuracy": correct / train.n,
                "valLoss": v["loss"],
                "valAccuracy": v["accuracy"],
                "confusion": v["confusion"],
                "seconds": seconds,
                "samplesPerSecond": train.n / seconds,
            }
        )
        if not np.isfinite(loss_sum):
            raise RuntimeError("the loss became NaN or infinite; try a lower learning rate")
        if v["loss"] < best:
            best, best_epoch, wait = v["loss"], epoch, 0
            best_state = copy.deepcopy(model.state_dict())
        else:
            wait += 1
            if wait >= s["patience"]:
                break
    if best_state is not None:
        model.load_state_dict(best_state)
    validation = evaluate(model, val, classes, s["batchSize"], device)
    tested = evaluate(model, test, classes, s["batchSize"], device, options.get("keep_logits", False))
    logits = tested.pop("logits", None)
    worker = ""
    try:
        from distributed import get_worker

        worker = f"{get_worker().address} (pid {os.getpid()})"
    except (ImportError, ValueError):
        worker = f"pid {os.getpid()}"
    record = {
        "id": run["id"],
        "index": run["index"],
        "cell": run["cell"],
        "repeat": run["repeat"],
        "seed": run["seed"],
        "epochs": epochs,
        "bestEpoch": best_epoch,
        "stoppedEarly": len(epochs) < s["epochs"],
        "validation": validation,
        "test": tested,
        "params": sum(p.numel() for p in model.parameters()),
        "startedAt": started,
        "finishedAt": datetime.now(timezone.utc).isoformat(),
        "trainedOn": {
            "host": socket.gethostname(),
            "torch": torch.__version__,
            "device": device_name,
            "python": platform.python_version(),
            "worker": worker,
            "pid": os.getpid(),
        },
    }
    model_json, weights = tfjs_artifacts(model.cpu(), cell["layers"], f"PyTorch {torch.__version__}")
    return {"record": record, "model": model_json, "weights": weights, "logits": logits, "initial": initial}


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--epoch-order":
        print(json.dumps(epoch_order(*(int(a) for a in sys.argv[2:]))))
    else:
        sys.exit(__doc__)
