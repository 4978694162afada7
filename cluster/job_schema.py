"""job.json (format fashion-cnn-lab/cluster-job, version 1) as one schema, and the checks between its fields.

Everything the runner reads from a job goes through `check_job` first: a job is someone else's file, so every field
is checked for its type and range, ids against a safe pattern, the relations between fields (run ids, cells and
repeats, the logits layer against the classes, shapes through the layers) and every file name it gives is resolved
and refused outside the job folder. A bad job raises `BadJob` naming the field. Standard library only, so that a bad
job is refused before PyTorch or Dask is imported. docs/cluster.md describes the format; src/core/clusterJob.ts
writes it.
"""

import math
import os
import re

JOB_FORMAT, JOB_VERSION = "fashion-cnn-lab/cluster-job", 1
SPLITS = ("train", "validation", "test")
HEIGHT, WIDTH, CHANNELS = 120, 90, 3
# Job and run ids become folder names under runs/: letters, digits, '-' and '_' only.
SAFE_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
MAX_PARAMS = 200_000_000  # the study's largest model has 19.3 M


class BadJob(Exception):
    def __init__(self, field, message):
        super().__init__(f"{field}: {message}")
        self.field = field


def _kind(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, str):
        return "a string"
    return "a list" if isinstance(value, list) else "an object"


def _short(value):
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def integer(lo=None, hi=None):
    def check(v, field):
        if isinstance(v, bool) or not isinstance(v, int):
            raise BadJob(field, f"must be an integer, not {_kind(v)}")
        if (lo is not None and v < lo) or (hi is not None and v > hi):
            raise BadJob(field, f"{v} is out of range ({lo}..{hi})")
        return v

    return check


def number(lo, hi, lo_open=False):
    def check(v, field):
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            raise BadJob(field, f"must be a finite number, not {_kind(v)}")
        if v < lo or v > hi or (lo_open and v == lo):
            raise BadJob(field, f"{v} is out of range ({'(' if lo_open else '['}{lo}, {hi}])")
        return v

    return check


def boolean(v, field):
    if not isinstance(v, bool):
        raise BadJob(field, f"must be true or false, not {_kind(v)}")
    return v


def string(max_len=500, pattern=None, what=None):
    def check(v, field):
        if not isinstance(v, str):
            raise BadJob(field, f"must be a string, not {_kind(v)}")
        if len(v) > max_len or "\0" in v:
            raise BadJob(field, f"is longer than {max_len} characters or holds a NUL")
        if pattern is not None and not pattern.match(v):
            raise BadJob(field, f"{_short(v)} is not {what}")
        return v

    return check


def literal(expected):
    def check(v, field):
        if v != expected or type(v) is not type(expected):
            raise BadJob(field, f"must be {expected!r}, not {_short(v)}")
        return v

    return check


def one_of(*options):
    def check(v, field):
        if not any(v == o and type(v) is type(o) for o in options):
            raise BadJob(field, f"must be one of {', '.join(map(repr, options))}, not {_short(v)}")
        return v

    return check


def array(item, lo=0, hi=1_000_000):
    def check(v, field):
        if not isinstance(v, list):
            raise BadJob(field, f"must be a list, not {_kind(v)}")
        if not lo <= len(v) <= hi:
            raise BadJob(field, f"has {len(v)} entries; {lo}..{hi} are allowed")
        return [item(x, f"{field}[{i}]") for i, x in enumerate(v)]

    return check


def obj(fields, optional=()):
    """An object with these fields (each a check); other fields are kept unchecked and unused."""

    def check(v, field):
        if not isinstance(v, dict):
            raise BadJob(field, f"must be an object, not {_kind(v)}")
        out = dict(v)
        for name, item in fields.items():
            sub = f"{field}.{name}" if field else name
            if name not in v:
                if name in optional:
                    continue
                raise BadJob(sub, "is missing")
            out[name] = item(v[name], sub)
        return out

    return check


def union_by(key, variants):
    """An object whose `key` field picks which of `variants` (key value -> obj check) it must match."""

    def check(v, field):
        if not isinstance(v, dict):
            raise BadJob(field, f"must be an object, not {_kind(v)}")
        tag = v.get(key)
        if not isinstance(tag, str) or tag not in variants:
            raise BadJob(f"{field}.{key}", f"must be one of {', '.join(map(repr, variants))}, not {_short(tag)}")
        return variants[tag](v, field)

    return check


def file_name(v, field):
    """A file beside job.json: one name, no folder, no way out."""
    string(255)(v, field)
    if v in ("", ".", "..") or "/" in v or "\\" in v or not v.endswith(".npz"):
        raise BadJob(field, f"{_short(v)} is not the name of an .npz file in the job folder")
    return v


SAFE = {"pattern": SAFE_ID, "what": "a safe id (letters, digits, '-' and '_', at most 64)"}
size = integer(1, 1 << 20)
LAYER = union_by(
    "type",
    {
        "conv2d": obj({"type": literal("conv2d"), "filters": integer(1, 4096), "kernel": integer(1, 31)}),
        "maxPool": obj({"type": literal("maxPool")}),
        "flatten": obj({"type": literal("flatten")}),
        "dense": obj({"type": literal("dense"), "units": integer(1, 1 << 20), "relu": boolean}),
        "dropout": obj({"type": literal("dropout"), "rate": number(0, 0.99)}),
    },
)
SPLIT = obj(
    {"file": file_name, "count": integer(0, 10_000_000), "items": array(integer(0, 1 << 40), 0, 10_000_000)},
    optional=("items",),
)
JOB_SCHEMA = obj(
    {
        "format": literal(JOB_FORMAT),
        "version": literal(JOB_VERSION),
        "id": string(64, **SAFE),
        "dataset": obj({"id": string(200), "name": string(500), "images": integer(1, 1 << 40)}),
        "task": obj(
            {
                "id": string(500),
                "name": string(500),
                "kind": string(100),
                "classes": array(string(5000), 2, 10_000),
            }
        ),
        "input": obj(
            {
                "shape": literal([HEIGHT, WIDTH, CHANNELS]),
                "layout": literal("NHWC"),
                "dtype": literal("uint8"),
            }
        ),
        "preprocessing": obj(
            {"scale": literal("x / 255"), "flip": boolean, "flipItemOffset": integer(0, 1 << 40)}
        ),
        "shuffle": literal("mulberry32-fisher-yates"),
        "settings": obj(
            {
                "epochs": integer(1, 10_000),
                "batchSize": integer(1, 65_536),
                "learningRate": number(0, 10, lo_open=True),
                "patience": integer(0, 10_000),
                "flip": boolean,
                "seed": integer(-(1 << 31), (1 << 32) - 1),
            }
        ),
        "repeats": integer(1, 10_000),
        "splits": obj({name: SPLIT for name in SPLITS}),
        "cells": array(
            obj({"cell": integer(0), "label": string(500), "layers": array(LAYER, 1, 100)}), 1, 100_000
        ),
        "runs": array(
            obj(
                {
                    "id": string(64, **SAFE),
                    "index": integer(0),
                    "cell": integer(0),
                    "repeat": integer(0),
                    "seed": integer(-(1 << 31), (1 << 32) - 1),
                }
            ),
            1,
            1_000_000,
        ),
    }
)


def _check_layers(layers, classes, field):
    """The shapes through the layers as torch_bench.build computes them: every size stays positive."""
    c, h, w = CHANNELS, HEIGHT, WIDTH
    flat, params = None, 0
    for i, layer in enumerate(layers):
        kind, f = layer["type"], f"{field}[{i}]"
        if kind in ("conv2d", "maxPool") and flat is not None:
            raise BadJob(f, f"a {kind} layer cannot follow flatten")
        if kind == "conv2d":
            k = layer["kernel"]
            if k > h or k > w:
                raise BadJob(f"{f}.kernel", f"{k} does not fit the {h}x{w} input it gets")
            params += (k * k * c + 1) * layer["filters"]
            c, h, w = layer["filters"], h - k + 1, w - k + 1
        elif kind == "maxPool":
            if h < 2 or w < 2:
                raise BadJob(f, f"cannot pool a {h}x{w} input")
            h, w = h // 2, w // 2
        elif kind == "flatten":
            if flat is not None:
                raise BadJob(f, "a second flatten")
            flat = c * h * w
        elif kind == "dense":
            if flat is None:
                raise BadJob(f, "a dense layer needs a flatten before it")
            params += (flat + 1) * layer["units"]
            flat = layer["units"]
        if params > MAX_PARAMS:
            raise BadJob(f, f"the model passes {MAX_PARAMS:,} parameters here")
    last = layers[-1]
    if last["type"] != "dense" or last["relu"]:
        raise BadJob(f"{field}[{len(layers) - 1}]", "the last layer must be a dense layer without ReLU (logits)")
    if last["units"] != classes:
        raise BadJob(f"{field}[{len(layers) - 1}].units", f"{last['units']} outputs for {classes} classes")


def inside(directory, name, field):
    """`directory/name` resolved (links followed); refused unless it stays inside `directory`."""
    root = os.path.realpath(directory)
    path = os.path.realpath(os.path.join(root, name))
    if os.path.commonpath([root, path]) != root or path == root:
        raise BadJob(field, f"{_short(name)} leads outside the job folder")
    return path


def check_job(job, directory):
    """The job, checked whole (see the module's docstring); raises BadJob naming the first bad field."""
    job = JOB_SCHEMA(job, "")
    classes = len(job["task"]["classes"])
    if len(set(job["task"]["classes"])) != classes:
        raise BadJob("task.classes", "lists a class twice")
    for i, cell in enumerate(job["cells"]):
        if cell["cell"] != i:
            raise BadJob(f"cells[{i}].cell", f"is {cell['cell']}, not its position {i}")
        _check_layers(cell["layers"], classes, f"cells[{i}].layers")
    repeats, cells = job["repeats"], len(job["cells"])
    if len(job["runs"]) != cells * repeats:
        raise BadJob("runs", f"has {len(job['runs'])} runs for {cells} cells x {repeats} repeats")
    for i, run in enumerate(job["runs"]):
        f = f"runs[{i}]"
        if run["index"] != i:
            raise BadJob(f"{f}.index", f"is {run['index']}, not its position {i}")
        if run["id"] != f"{job['id']}-{i}":
            raise BadJob(f"{f}.id", f"{_short(run['id'])} is not {job['id']}-{i} (the job's id, then the index)")
        if run["cell"] != i // repeats or run["repeat"] != i % repeats:
            raise BadJob(f"{f}.cell", f"run {i} must be cell {i // repeats}, repeat {i % repeats}")
    files = set()
    for name in SPLITS:
        split, f = job["splits"][name], f"splits.{name}"
        inside(directory, split["file"], f"{f}.file")
        files.add(split["file"])
        if "items" in split:
            if len(split["items"]) != split["count"]:
                raise BadJob(f"{f}.items", f"lists {len(split['items'])} items for a count of {split['count']}")
            over = [x for x in split["items"] if x >= job["dataset"]["images"]]
            if over:
                raise BadJob(f"{f}.items", f"item {over[0]} is past the dataset's {job['dataset']['images']} images")
    if len(files) != len(SPLITS):
        raise BadJob("splits", "two splits name the same file")
    for name in ("train", "validation"):
        if not job["splits"][name]["count"]:
            raise BadJob(f"splits.{name}.count", f"the job has no {name} images")
    return job
