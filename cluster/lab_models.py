"""The lab's models in PyTorch, and their weights in tfjs' layers format (model.json + weights.bin).

The models are scripts/device/torch_bench.py's `build`, from the lab's own layer list (src/core/models.ts
`layersOf`, which job.json carries per cell): Conv2D with valid padding + ReLU, MaxPool 2, Flatten, Dense, Dropout,
logits; Keras' initialisation. PyTorch runs NCHW and the lab NHWC, so on export conv kernels go from
[out, in, kh, kw] to HWIO [kh, kw, in, out], dense kernels from [out, in] to [in, out], and the first dense layer
after Flatten has its rows reordered from (C, H, W) to the lab's (H, W, C) flatten order.
"""

import os
import sys

_DEVICE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts", "device")
if os.path.isdir(_DEVICE) and _DEVICE not in sys.path:
    sys.path.insert(0, _DEVICE)

import torch  # noqa: E402
from torch import nn  # noqa: E402
from torch_bench import CHANNELS, HEIGHT, WIDTH, build  # noqa: E402,F401

__all__ = ["build", "tfjs_artifacts", "HEIGHT", "WIDTH", "CHANNELS"]


def _initializer(seed):
    return {
        "class_name": "VarianceScaling",
        "config": {"scale": 1, "mode": "fan_avg", "distribution": "uniform", "seed": seed},
    }


def _conv_config(name, layer):
    return {
        "filters": layer["filters"],
        "kernel_initializer": _initializer(None),
        "kernel_regularizer": None,
        "kernel_constraint": None,
        "kernel_size": [layer["kernel"], layer["kernel"]],
        "strides": [1, 1],
        "padding": "valid",
        "data_format": "channels_last",
        "dilation_rate": [1, 1],
        "activation": "relu",
        "use_bias": True,
        "bias_initializer": {"class_name": "Zeros", "config": {}},
        "bias_regularizer": None,
        "activity_regularizer": None,
        "bias_constraint": None,
        "name": name,
        "trainable": True,
    }


def _dense_config(name, layer):
    return {
        "units": layer["units"],
        "activation": "relu" if layer["relu"] else "linear",
        "use_bias": True,
        "kernel_initializer": _initializer(None),
        "bias_initializer": {"class_name": "Zeros", "config": {}},
        "kernel_regularizer": None,
        "bias_regularizer": None,
        "activity_regularizer": None,
        "kernel_constraint": None,
        "bias_constraint": None,
        "name": name,
        "trainable": True,
    }


def tfjs_artifacts(model, layers, generated_by):
    """(model.json as a dict, weights.bin as bytes) for `model`, built by `build(layers)`, as tfjs saves them."""
    params = [m for m in model if isinstance(m, (nn.Conv2d, nn.Linear))]
    counts, keras_layers, specs, chunks = {}, [], [], []
    shape = (CHANNELS, HEIGHT, WIDTH)  # PyTorch's (C, H, W) as the layers go
    flattened_from = None
    p = 0

    def name_for(kind):
        counts[kind] = counts.get(kind, 0) + 1
        return f"{kind.lower()}_{kind}{counts[kind]}"

    def add_weight(name, array):
        specs.append({"name": name, "shape": list(array.shape), "dtype": "float32"})
        chunks.append(array.astype("<f4").tobytes())

    for layer in layers:
        kind = layer["type"]
        if kind == "conv2d":
            conv = params[p]
            p += 1
            name = name_for("Conv2D")
            config = _conv_config(name, layer)
            keras_layers.append({"class_name": "Conv2D", "config": config})
            w = conv.weight.detach().cpu().permute(2, 3, 1, 0).contiguous().numpy()
            add_weight(f"{name}/kernel", w)
            add_weight(f"{name}/bias", conv.bias.detach().cpu().numpy())
            k = layer["kernel"]
            shape = (layer["filters"], shape[1] - k + 1, shape[2] - k + 1)
        elif kind == "maxPool":
            name = name_for("MaxPooling2D")
            keras_layers.append(
                {
                    "class_name": "MaxPooling2D",
                    "config": {
                        "pool_size": [2, 2],
                        "padding": "valid",
                        "strides": [2, 2],
                        "data_format": "channels_last",
                        "name": name,
                        "trainable": True,
                    },
                }
            )
            shape = (shape[0], shape[1] // 2, shape[2] // 2)
        elif kind == "flatten":
            name = name_for("Flatten")
            keras_layers.append({"class_name": "Flatten", "config": {"name": name, "trainable": True}})
            flattened_from = shape
            shape = (shape[0] * shape[1] * shape[2],)
        elif kind == "dense":
            dense = params[p]
            p += 1
            name = name_for("Dense")
            keras_layers.append({"class_name": "Dense", "config": _dense_config(name, layer)})
            w = dense.weight.detach().cpu()  # [out, in]
            if flattened_from is not None:
                c, h, wd = flattened_from
                # Row (c, h, w) of PyTorch's flatten is row (h, w, c) of the lab's.
                w = w.reshape(-1, c, h, wd).permute(2, 3, 1, 0).reshape(h * wd * c, -1)
                flattened_from = None
            else:
                w = w.t()
            add_weight(f"{name}/kernel", w.contiguous().numpy())
            add_weight(f"{name}/bias", dense.bias.detach().cpu().numpy())
            shape = (layer["units"],)
        elif kind == "dropout":
            name = name_for("Dropout")
            keras_layers.append(
                {
                    "class_name": "Dropout",
                    "config": {"rate": layer["rate"], "noise_shape": None, "seed": None, "name": name, "trainable": True},
                }
            )
        else:
            raise ValueError(f"unknown layer type {kind!r}")
    keras_layers[0]["config"]["batch_input_shape"] = [None, HEIGHT, WIDTH, CHANNELS]
    keras_layers[0]["config"]["dtype"] = "float32"
    model_json = {
        "format": "layers-model",
        "generatedBy": generated_by,
        "convertedBy": None,
        "modelTopology": {
            "class_name": "Sequential",
            "config": {"name": "sequential_1", "layers": keras_layers},
            "keras_version": "tfjs-layers 4.22.0",
            "backend": "tensor_flow.js",
        },
        "weightsManifest": [{"paths": ["weights.bin"], "weights": specs}],
    }
    return model_json, b"".join(chunks)

