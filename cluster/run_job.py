#!/usr/bin/env python3
"""Runs a lab cluster job (exported by Fashion CNN Lab) on Dask: every cell x seed is one Dask task.

  python3 cluster/run_job.py DIR [--scheduler tcp://HOST:8786] [--workers N] [--threads T] [--device auto|cpu|cuda]

DIR holds job.json and the task's NPZ files. Without --scheduler a LocalCluster of N worker processes runs here.
Each finished run is written at once to DIR/runs/<id>/ (run.json, model.json, weights.bin; a directory renamed into
place, so a run is there whole or not at all); a rerun skips finished runs. A task whose worker is lost is rerun
elsewhere by Dask (--retries covers errors inside a task). At the end DIR/results.zip holds every finished run,
for the lab's "Import results". Requires Python 3.9+, PyTorch, NumPy and Dask distributed: on Debian,
apt-get install python3-torch python3-distributed python3-numpy. See cluster/README.md.
"""

import argparse
import json
import os
import shutil
import sys
import time
import zipfile
from datetime import datetime, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
REQUIREMENTS = {"numpy": "python3-numpy", "torch": "python3-torch", "distributed": "python3-distributed"}
RESULTS_FORMAT, RESULTS_VERSION = "fashion-cnn-lab/cluster-results", 1
sys.path.insert(0, HERE)
from job_schema import CHANNELS, HEIGHT, JOB_FORMAT, JOB_VERSION, SPLITS, WIDTH  # noqa: E402
from job_schema import BadJob, check_job, inside  # noqa: E402


def fail(message, code=2):
    print(f"run_job: {message}", file=sys.stderr)
    sys.exit(code)


def check_requirements(modules=tuple(REQUIREMENTS)):
    import importlib

    missing = []
    for module in modules:
        package = REQUIREMENTS[module]
        try:
            importlib.import_module(module)
        except ImportError:
            missing.append((module, package))
    if missing:
        names = ", ".join(m for m, _ in missing)
        hint = ""
        if os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3") and os.path.exists(
            "/usr/bin/python3"
        ):
            hint = f"\n(this is {sys.executable}; Debian's packages are for /usr/bin/python3: try that)"
        fail(
            f"needs {names}, which this Python cannot import. On Debian or Ubuntu: "
            f"apt-get install {' '.join(p for _, p in missing)}; elsewhere: pip install "
            f"{' '.join('dask[distributed]' if m == 'distributed' else m for m, _ in missing)}{hint}"
        )


def load_job(directory):
    """job.json, checked whole by job_schema before anything else is read or written."""
    path = os.path.join(directory, "job.json")
    if not os.path.isfile(path):
        fail(f"{directory} has no job.json: give the folder the lab's \"Run elsewhere…\" (or export-job) wrote")
    try:
        with open(path, encoding="utf8") as f:
            job = json.load(f, parse_constant=lambda c: fail(f"{path} is not valid JSON ({c} is not a number)"))
    except OSError as e:
        fail(f"{path} cannot be read ({e.strerror})")
    except (ValueError, RecursionError) as e:
        fail(f"{path} is not valid JSON ({str(e)[:200]})")
    if not isinstance(job, dict) or job.get("format") != JOB_FORMAT:
        fail(f"{path} is not a lab cluster job")
    if job.get("version") != JOB_VERSION:
        fail(f"{path} is job version {str(job.get('version'))[:20]}; this runner reads version {JOB_VERSION}")
    try:
        return check_job(job, directory)
    except BadJob as e:
        fail(f"{path}: {e}")


def read_npz(path, field, count, classes):
    """The split file's images and labels; refused, naming the field, when it is not what job.json says. Each
    array's header (shape and type) is read before its data, so that a header cannot make NumPy allocate a huge
    array."""
    import numpy as np

    name = os.path.basename(path)
    fmt = np.lib.format
    want = {
        "images.npy": (lambda d, s: d == np.uint8 and s == (count, HEIGHT, WIDTH, CHANNELS), count * HEIGHT * WIDTH * 3),
        "labels.npy": (lambda d, s: d.kind in "iu" and s == (count,), count * 8),
    }
    try:
        with zipfile.ZipFile(path) as z:
            sizes = {i.filename: i.file_size for i in z.infolist()}
            for member, (fits, limit) in want.items():
                if member not in sizes:
                    fail(f"{field}: {name} needs arrays 'images' and 'labels'")
                if sizes[member] > limit + 4096:  # a zip bomb, or more rows than job.json's count
                    fail(f"{field}: {name}'s {member} declares {sizes[member]:,} bytes; {count} rows need at most "
                         f"{limit + 4096:,}")
                with z.open(member) as f:
                    version = fmt.read_magic(f)
                    header = fmt.read_array_header_1_0 if version == (1, 0) else fmt.read_array_header_2_0
                    shape, _, dtype = header(f)
                if member == "labels.npy" and dtype.kind not in "iu":
                    fail(f"{field}: labels must be integers, not {dtype} (class indices 0..{classes - 1})")
                if not fits(dtype, shape):
                    fail(f"{field}: {member} is {dtype} {shape}; job.json's count of {count} needs "
                         f"{'uint8 (N, 120, 90, 3)' if member == 'images.npy' else 'integers (N,)'} with N = {count}")
        with np.load(path, allow_pickle=False) as npz:
            images, labels = npz["images"], npz["labels"]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, KeyError) as e:
        fail(f"{field}: {name} is not a readable NPZ file ({type(e).__name__}: {str(e)[:200]})")
    return images, labels


def load_data(directory, job):
    import numpy as np

    classes = len(job["task"]["classes"])
    data = {}
    for name in SPLITS:
        split, field = job["splits"][name], f"splits.{name}.file"
        path = within(directory, split["file"], field)
        if not os.path.isfile(path):
            fail(f"{field}: {split['file']} is missing from {directory}")
        images, labels = read_npz(path, field, split["count"], classes)
        if len(labels) and (labels.min() < 0 or labels.max() >= classes):
            bad = labels[(labels < 0) | (labels >= classes)][0]
            fail(f"{field}: label {bad} is not a class (labels must be 0..{classes - 1})")
        data[name] = (images, labels.astype(np.int64))
    return data


def within(directory, name, field):
    try:
        return inside(directory, name, field)
    except BadJob as e:
        fail(f"{os.path.join(directory, 'job.json')}: {e}")


def run_dir(directory, run):
    return within(directory, os.path.join("runs", run["id"]), f"runs[{run['index']}].id")


def remove(path):
    """Removes a file, folder or link (a link itself, never what it points at)."""
    if os.path.islink(path) or os.path.isfile(path):
        os.unlink(path)
    elif os.path.isdir(path):
        shutil.rmtree(path, ignore_errors=True)


def finished(directory, run):
    try:
        with open(os.path.join(run_dir(directory, run), "run.json"), encoding="utf8") as f:
            return json.load(f).get("id") == run["id"]
    except (OSError, ValueError):
        return False


def write_run(directory, run, result):
    """Writes a run's files into a temporary directory, then renames it into place (whole or not at all)."""
    final = run_dir(directory, run)
    tmp = f"{final}.tmp-{os.getpid()}"
    remove(tmp)
    os.makedirs(tmp)
    with open(os.path.join(tmp, "model.json"), "w", encoding="utf8") as f:
        json.dump(result["model"], f)
    with open(os.path.join(tmp, "weights.bin"), "wb") as f:
        f.write(result["weights"])
    if result.get("logits") is not None:
        with open(os.path.join(tmp, "test-logits.json"), "w", encoding="utf8") as f:
            json.dump(result["logits"], f)
    if result.get("initial") is not None:
        with open(os.path.join(tmp, "initial-model.json"), "w", encoding="utf8") as f:
            json.dump(result["initial"][0], f)
        with open(os.path.join(tmp, "initial-weights.bin"), "wb") as f:
            f.write(result["initial"][1])
    with open(os.path.join(tmp, "run.json"), "w", encoding="utf8") as f:
        json.dump(result["record"], f)
    if os.path.exists(final):  # a run whose worker was thought lost may finish twice: keep the first
        shutil.rmtree(tmp)
        return False
    os.rename(tmp, final)
    return True


def kept_score(directory, run):
    """The validation accuracy a run is judged by (that of the epoch it kept), as the lab's chosen run reads it."""
    with open(os.path.join(run_dir(directory, run), "run.json"), encoding="utf8") as f:
        rec = json.load(f)
    return rec["epochs"][rec["bestEpoch"]]["valAccuracy"]


def runs_with_weights(directory, job, done, keep):
    """The runs whose weights go into results.zip: every one, the best of each cell (first on a tie), or none."""
    if keep == "all":
        return {r["id"] for r in done}
    if keep == "none":
        return set()
    best = {}
    for r in done:
        score = kept_score(directory, r)
        if r["cell"] not in best or score > best[r["cell"]][0]:
            best[r["cell"]] = (score, r["id"])
    return {rid for _, rid in best.values()}


def write_results(directory, job, summary, keep="best"):
    done = [r for r in job["runs"] if finished(directory, r)]
    weights = runs_with_weights(directory, job, done, keep)
    path = within(directory, "results.zip", "results.zip")
    tmp = path + ".tmp"
    remove(tmp)
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "results.json",
            json.dumps(
                {
                    "format": RESULTS_FORMAT,
                    "version": RESULTS_VERSION,
                    "jobId": job["id"],
                    "createdAt": datetime.now(timezone.utc).isoformat(),
                    "runs": [r["id"] for r in done],
                    "missing": [r["id"] for r in job["runs"] if r not in done],
                    "keepWeights": keep,
                    **summary,
                },
                indent=1,
            ),
        )
        z.writestr("job.json", json.dumps(job, indent=1))
        for r in done:
            for name in ("run.json", "model.json", "weights.bin") if r["id"] in weights else ("run.json",):
                z.write(os.path.join(run_dir(directory, r), name), f"runs/{r['id']}/{name}")
    os.replace(tmp, path)
    return path, len(done)


class ShipModules:
    """A worker plugin that gives every worker, also one that joins or restarts later, the runner's modules."""

    name = "fashion-cnn-lab-modules"

    def __init__(self, sources):
        self.sources = sources

    def setup(self, worker):
        folder = os.path.join(worker.local_directory, "fashion-cnn-lab")
        os.makedirs(folder, exist_ok=True)
        for name, text in self.sources.items():
            with open(os.path.join(folder, name), "w", encoding="utf8") as f:
                f.write(text)
        if folder not in sys.path:
            sys.path.insert(0, folder)


def module_sources():
    files = {
        "torch_bench.py": os.path.join(HERE, "..", "scripts", "device", "torch_bench.py"),
        "lab_models.py": os.path.join(HERE, "lab_models.py"),
        "lab_train.py": os.path.join(HERE, "lab_train.py"),
    }
    out = {}
    for name, path in files.items():
        with open(path, encoding="utf8") as f:
            out[name] = f.read()
    return out


def remote_train(job, run, data, options):
    import lab_train  # shipped by ShipModules

    return lab_train.train_run(job, run, data, options)


def describe(job, run):
    cell = job["cells"][run["cell"]]
    return f"run {run['index'] + 1} (cell {run['cell'] + 1}: {cell['label']}, seed {run['seed']})"


def main():
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n")[0],
        epilog="Requires PyTorch, NumPy and Dask distributed (Debian: apt-get install python3-torch "
        "python3-distributed python3-numpy). Formats and recipes: cluster/README.md, docs/cluster.md.",
    )
    ap.add_argument("dir", help="the exported job folder (job.json and the NPZ files)")
    ap.add_argument("--scheduler", help="a running Dask scheduler, e.g. tcp://HOST:8786 (default: a LocalCluster)")
    ap.add_argument("--workers", type=int, help="LocalCluster worker processes (default: min(runs, cores))")
    ap.add_argument("--threads", type=int, help="PyTorch threads per run (default: cores / workers here)")
    ap.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    ap.add_argument("--retries", type=int, default=3, help="reruns of a task that raised an error (default 3)")
    ap.add_argument(
        "--keep-weights",
        default="best",
        choices=["all", "best", "none"],
        help="whose weights results.zip carries: every run's, the best run's of each cell (default: a real grid's "
        "weights are tens of GB), or none; every run's metrics always come back, and all weights stay in DIR/runs",
    )
    ap.add_argument("--keep-logits", action="store_true", help="also write each run's test logits (for checks)")
    ap.add_argument(
        "--keep-initial", action="store_true", help="also write each run's initial weights (to train the same in the lab)"
    )
    a = ap.parse_args()
    directory = os.path.realpath(a.dir)
    if not os.path.isdir(directory):
        fail(f"{a.dir} is not a folder")
    job = load_job(directory)  # a bad job is refused before PyTorch and Dask are imported
    runs_dir = within(directory, "runs", "runs")
    check_requirements(("numpy",))
    data = load_data(directory, job)
    check_requirements()

    import dask
    from distributed import Client, LocalCluster, as_completed

    os.makedirs(runs_dir, exist_ok=True)
    for name in os.listdir(runs_dir):
        if ".tmp-" in name:  # a run whose writing was cut short: it is trained again
            remove(os.path.join(runs_dir, name))
    runs = job["runs"]
    todo = [r for r in runs if not finished(directory, r)]
    print(
        f"job {job['id']}: {job['task']['name']}, {len(job['cells'])} cells x {job['repeats']} seeds = "
        f"{len(runs)} runs; {len(runs) - len(todo)} already done, {len(todo)} to run",
        flush=True,
    )
    t0 = time.perf_counter()
    trained, failed, where, interrupted = 0, [], "nothing to run", False
    if todo:
        cores = os.cpu_count() or 1
        cluster = None
        # A lost worker's tasks are rescheduled; only after this many losses of one task does Dask give it up.
        dask.config.set({"distributed.scheduler.allowed-failures": max(3, a.retries)})
        if a.scheduler:
            client = Client(a.scheduler, timeout="60s")
            where = f"scheduler {a.scheduler}"
        else:
            workers = max(1, a.workers or min(len(todo), cores))
            cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=40,
            )
            client = Client(cluster)
            where = f"LocalCluster with {workers} workers"
            if not a.threads:
                a.threads = max(1, cores // workers)
        try:
            client.register_worker_plugin(ShipModules(module_sources()))
            pids = client.run(os.getpid)
            print(f"{where}: workers {', '.join(f'{w} (pid {p})' for w, p in pids.items())}", flush=True)
            options = {
                "threads": a.threads,
                "device": a.device,
                "keep_logits": a.keep_logits,
                "keep_initial": a.keep_initial,
            }
            shared = {k: client.scatter(v, broadcast=True, hash=False) for k, v in data.items()}
            futures = {
                client.submit(
                    remote_train, job, r, shared, options, key=f"lab-run-{r['id']}", retries=a.retries, pure=False
                ): r
                for r in todo
            }
            for k, future in enumerate(as_completed(futures), 1):
                run = futures[future]
                try:
                    result = future.result()
                except Exception as e:  # noqa: BLE001 -- a run's failure is reported, the others go on
                    failed.append(run["id"])
                    print(f"[{k}/{len(todo)}] {describe(job, run)} failed: {type(e).__name__}: {e}", flush=True)
                    continue
                write_run(directory, run, result)
                trained += 1
                rec = result["record"]
                best = rec["epochs"][rec["bestEpoch"]]
                print(
                    f"[{k}/{len(todo)}] {describe(job, run)}: val {best['valAccuracy'] * 100:.1f}% "
                    f"test {rec['test']['accuracy'] * 100:.1f}%, {len(rec['epochs'])} epochs "
                    f"(kept {rec['bestEpoch'] + 1}), {sum(e['seconds'] for e in rec['epochs']):.1f} s on "
                    f"{rec['trainedOn']['host']} {rec['trainedOn']['worker']}",
                    flush=True,
                )
            lost = set(pids.values()) - set(client.run(os.getpid).values())
            if lost:
                print(
                    f"{len(lost)} worker(s) lost during the grid (pid {', '.join(map(str, sorted(lost)))}): "
                    "Dask ran their tasks again elsewhere",
                    flush=True,
                )
        except KeyboardInterrupt:
            interrupted = True
            print(f"interrupted: {trained} runs written under {directory}/runs; run again to resume", flush=True)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
    wall = time.perf_counter() - t0
    import torch

    summary = {"wallSeconds": wall, "trainedNow": trained, "where": where, "torch": torch.__version__}
    path, done = write_results(directory, job, summary, a.keep_weights)
    rate = f", {trained / wall * 60:.1f} runs/min" if trained else ""
    print(
        f"{done}/{len(runs)} runs done ({trained} trained now in {wall:.1f} s{rate} on {where}, "
        f"{len(runs) - len(todo)} already done, {len(failed)} failed) -> {path}",
        flush=True,
    )
    if interrupted:
        sys.exit(130)
    if failed or done < len(runs):
        sys.exit(1)


if __name__ == "__main__":
    main()
