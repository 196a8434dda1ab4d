"""
MobileNetV2 rebuilt in PyTorch from a tfjs LayersModel (Keras layer layout), weight for weight.

The graph is read from `model.json` (topology and weights manifest) and every layer becomes a
torch module of the same name, run in the file's topological order, so "the layers after the
20th" means the same layers here as in Keras. Quantised weights are dequantised exactly as tfjs
does (`min + q * scale`). Keras conventions kept: stride-2 convolutions pad only bottom/right
(the model has explicit ZeroPadding2D layers before them and uses "valid" padding), "same"
stride-1 3x3 convolutions pad one pixel all round, batch-norm epsilon comes from the layer config
(1e-3 in MobileNetV2), ReLU layers carry `max_value` 6.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Dict, List, Tuple

import numpy as np
import torch
from torch import nn

# Keras BatchNormalization momentum is the running-average weight of the *old* value; torch's is
# the weight of the new batch.
def _torch_momentum(keras_momentum: float) -> float:
    return 1.0 - keras_momentum


def load_tfjs_weights(model_json: Path) -> Dict[str, np.ndarray]:
    """Every weight of the manifest as float32, dequantised, in the manifest's Keras shapes."""
    spec = json.loads(model_json.read_text())
    out: Dict[str, np.ndarray] = {}
    for group in spec["weightsManifest"]:
        blob = b"".join((model_json.parent / p).read_bytes() for p in group["paths"])
        offset = 0
        for w in group["weights"]:
            shape = tuple(w["shape"])
            count = int(np.prod(shape)) if shape else 1
            q = w.get("quantization")
            if q is None:
                if w["dtype"] != "float32":
                    raise ValueError(f"weight {w['name']}: dtype must be float32, got {w['dtype']}")
                values = np.frombuffer(blob, np.float32, count, offset)
                offset += 4 * count
            else:
                qtype = {"uint8": np.uint8, "uint16": np.uint16}.get(q["dtype"])
                if qtype is None or "min" not in q:
                    raise ValueError(f"weight {w['name']}: unsupported quantization {q}")
                raw = np.frombuffer(blob, qtype, count, offset)
                offset += raw.itemsize * count
                values = (q["min"] + raw.astype(np.float64) * q["scale"]).astype(np.float32)
            out[w["name"]] = values.reshape(shape).copy()
        if offset != len(blob):
            raise ValueError(f"{model_json}: manifest covers {offset} bytes, shards hold {len(blob)}")
    return out


class _Add(nn.Module):
    def forward(self, a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:  # noqa: D102
        return a + b


class _GlobalAveragePool(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:  # noqa: D102
        return x.mean(dim=(2, 3))


def _conv(cfg: dict, weights: Dict[str, np.ndarray], name: str, depthwise: bool) -> nn.Conv2d:
    kh, kw = cfg["kernel_size"]
    stride = tuple(cfg["strides"])
    if tuple(cfg.get("dilation_rate", (1, 1))) != (1, 1):
        raise ValueError(f"{name}: dilation is not supported")
    if cfg["padding"] == "same":
        if stride != (1, 1) or kh % 2 == 0 or kw % 2 == 0:
            # Keras "same" with stride 2 pads asymmetrically; MobileNetV2 avoids it with explicit
            # ZeroPadding2D layers, so meeting it means another model.
            raise ValueError(f"{name}: 'same' padding only with stride 1 and odd kernels")
        padding = (kh // 2, kw // 2)
    elif cfg["padding"] == "valid":
        padding = (0, 0)
    else:
        raise ValueError(f"{name}: padding {cfg['padding']!r} is not supported")
    if cfg.get("activation", "linear") != "linear":
        raise ValueError(f"{name}: fused activation {cfg['activation']!r} is not supported")
    use_bias = bool(cfg.get("use_bias", True))
    if depthwise:
        kernel = weights[f"{name}/depthwise_kernel"]  # [kh, kw, in, multiplier]
        channels, mult = kernel.shape[2], kernel.shape[3]
        conv = nn.Conv2d(channels, channels * mult, (kh, kw), stride, padding, groups=channels,
                         bias=use_bias)
        conv.weight.data = torch.from_numpy(kernel.transpose(2, 3, 0, 1).reshape(
            channels * mult, 1, kh, kw).copy())
    else:
        kernel = weights[f"{name}/kernel"]  # [kh, kw, in, out]
        conv = nn.Conv2d(kernel.shape[2], kernel.shape[3], (kh, kw), stride, padding,
                         bias=use_bias)
        conv.weight.data = torch.from_numpy(kernel.transpose(3, 2, 0, 1).copy())
    if use_bias:
        conv.bias.data = torch.from_numpy(weights[f"{name}/bias"])
    return conv


def _batch_norm(cfg: dict, weights: Dict[str, np.ndarray], name: str) -> nn.BatchNorm2d:
    if cfg.get("axis", -1) not in (-1, 3, [3]):
        raise ValueError(f"{name}: batch norm only over the channel axis")
    mean = weights[f"{name}/moving_mean"]
    bn = nn.BatchNorm2d(mean.shape[0], eps=cfg["epsilon"],
                        momentum=_torch_momentum(cfg["momentum"]))
    bn.running_mean.data = torch.from_numpy(mean)
    bn.running_var.data = torch.from_numpy(weights[f"{name}/moving_variance"])
    bn.weight.data = torch.from_numpy(weights[f"{name}/gamma"]) if cfg.get("scale", True) \
        else torch.ones_like(bn.weight)
    bn.bias.data = torch.from_numpy(weights[f"{name}/beta"]) if cfg.get("center", True) \
        else torch.zeros_like(bn.bias)
    return bn


def _layer_module(layer: dict, weights: Dict[str, np.ndarray]) -> nn.Module:
    kind, cfg, name = layer["class_name"], layer["config"], layer["name"]
    if kind == "Conv2D":
        return _conv(cfg, weights, name, depthwise=False)
    if kind == "DepthwiseConv2D":
        return _conv(cfg, weights, name, depthwise=True)
    if kind == "BatchNormalization":
        return _batch_norm(cfg, weights, name)
    if kind == "ReLU":
        if cfg.get("negative_slope", 0) != 0 or cfg.get("threshold", 0) != 0:
            raise ValueError(f"{name}: only plain ReLU / ReLU6 is supported")
        return nn.ReLU6() if cfg.get("max_value") == 6 else nn.ReLU()
    if kind == "ZeroPadding2D":
        (top, bottom), (left, right) = cfg["padding"]
        return nn.ZeroPad2d((left, right, top, bottom))
    if kind == "Add":
        return _Add()
    if kind == "GlobalAveragePooling2D":
        return _GlobalAveragePool()
    raise ValueError(f"layer {name}: class {kind} is not supported by the port")


class KerasGraph(nn.Module):
    """
    A Keras functional model as torch modules; input NCHW float in the Keras model's own range
    (for nsfwjs MobileNetV2: RGB in [0, 1]). `layer_names[i]` is Keras layer i (0 = the input).
    """

    def __init__(self, model_json: Path, last_layer: str | None = None):
        super().__init__()
        spec = json.loads(Path(model_json).read_text())
        weights = load_tfjs_weights(Path(model_json))
        layers = spec["modelTopology"]["model_config"]["config"]["layers"]
        self.layer_names: List[str] = [l["name"] for l in layers]
        self.layers = nn.ModuleDict()
        self._inputs: List[Tuple[str, List[str]]] = []
        for layer in layers:
            if layer["class_name"] == "InputLayer":
                self.input_name = layer["name"]
            else:
                sources = [n[0] for n in layer["inbound_nodes"][0]]
                self.layers[layer["name"]] = _layer_module(layer, weights)
                self._inputs.append((layer["name"], sources))
            if layer["name"] == last_layer:
                break
        self.output_name = self._inputs[-1][0]
        used = {f"{name}/{suffix}" for name in self.layers for suffix in
                ("kernel", "depthwise_kernel", "bias", "gamma", "beta", "moving_mean",
                 "moving_variance")}
        if last_layer is None and not set(weights) <= used:
            raise ValueError(f"weights without a layer: {sorted(set(weights) - used)[:5]}")

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # noqa: D102
        values = {self.input_name: x}
        for name, sources in self._inputs:
            values[name] = self.layers[name](*(values[s] for s in sources))
        return values[self.output_name]

    def freeze_before(self, index: int) -> None:
        """Keras `layers[:index]` frozen (weights fixed, batch norm in inference mode)."""
        frozen = set(self.layer_names[:index])
        for name, module in self.layers.items():
            module.requires_grad_(name not in frozen)
        self._frozen = frozen

    def train(self, mode: bool = True) -> "KerasGraph":  # noqa: D102
        super().train(mode)
        # Keras (>= 2.1.3) runs a frozen BatchNormalization layer in inference mode.
        for name in getattr(self, "_frozen", ()):
            if name in self.layers:
                self.layers[name].eval()
        return self
