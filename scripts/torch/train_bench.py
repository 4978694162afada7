#!/usr/bin/env python3
"""One PyTorch CPU training run for bench:vs-pytorch: the lab's model at a thread count, samples/second.

The models and the timed loop are scripts/device/torch_bench.py's (`build`, `time_training`): Conv2D with valid
padding + ReLU, MaxPool 2, Flatten, Dense, Keras' initialisation, Adam 1e-3 on cross-entropy from logits, random
float32 data. bench-vs-pytorch.ts passes the lab's own layer list (src/core/models.ts `layersOf`). Prints one JSON
object on stdout, with the BLAS and allocator this process really loaded (read from /proc/self/maps).

  python3 train_bench.py --model JSON --threads N [--batch-size 64] [--warmup N] [--batches N]
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "device"))

import torch  # noqa: E402
from torch_bench import time_training  # noqa: E402


def loaded(*names):
    """The first shared library of this process whose file name contains one of `names`, or None."""
    try:
        with open("/proc/self/maps", encoding="utf8") as maps:
            paths = {line.split()[-1] for line in maps if "/" in line}
    except OSError:
        return None
    for path in sorted(paths):
        base = os.path.basename(path)
        if any(n in base for n in names):
            return path
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", required=True, help="JSON {name, classes, layers}")
    ap.add_argument("--threads", type=int, required=True)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--batches", type=int, default=8)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    result = time_training(json.loads(a.model), a.batch_size, torch.device("cpu"), a.warmup, a.batches)
    blas = loaded("libopenblas", "libblas", "libmkl")
    print(
        json.dumps(
            {
                "torch": torch.__version__,
                "threads": torch.get_num_threads(),
                "mkldnn": torch.backends.mkldnn.is_available(),
                "blas": os.path.realpath(blas) if blas else None,
                "allocator": loaded("tcmalloc", "jemalloc") or "glibc malloc",
                **result,
            }
        )
    )


if __name__ == "__main__":
    main()
