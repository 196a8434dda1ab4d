"""
The mask classifier: the ported MobileNetV2 backbone, global average pooling, and a linear
softmax head; plus the four training regimes the paper compares and the export wrapper.
"""
from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

from .keras_port import KerasGraph

# The regimes, by the index of the first trainable Keras layer (None: train nothing of the
# backbone). "after20" is the paper's: Keras `layers[:20]` frozen, the rest fine-tuned.
FIRST_TRAINABLE_LAYER = {"head": None, "after20": 20, "full": 0, "scratch": 0}
HEAD_DROPOUT = 0.2
BACKBONE_FEATURES = 1280
# Batch-norm running averages learnt from scratch: torch's usual weight of each new batch.
SCRATCH_BN_MOMENTUM = 0.1
# What happens to a pretrained backbone's batch-norm statistics while it is fine-tuned.
BN_STATS = ("frozen", "update")


class MaskClassifier(nn.Module):
    """NCHW float RGB in [0, 1] in, class logits out."""

    def __init__(self, backbone_json: Path, classes: int, mode: str, bn_stats: str = "frozen",
                 bn_momentum: float = 0.01):
        super().__init__()
        if mode not in FIRST_TRAINABLE_LAYER:
            raise ValueError(f"mode must be one of {sorted(FIRST_TRAINABLE_LAYER)}, got {mode!r}")
        if bn_stats not in BN_STATS:
            raise ValueError(f"bn_stats must be one of {BN_STATS}, got {bn_stats!r}")
        self.mode = mode
        self.backbone = KerasGraph(backbone_json)
        if mode == "scratch":
            _reinitialise(self.backbone)
        # "frozen": a pretrained backbone keeps its batch-norm statistics (inference mode; scale
        # and shift still learn where the layer is trainable). With Keras's momentum 0.999 the
        # running averages hardly move in a few hundred steps while the weights adapt to batch
        # statistics, so eval mode sees stale ones: measured, holdout macro F1 0.52 after one
        # epoch of "after20". "update": trainable layers' statistics follow the faces at
        # `bn_momentum` (torch's weight of each new batch). From scratch there are none to keep.
        self.frozen_bn_stats = mode != "scratch" and bn_stats == "frozen"
        if mode != "scratch" and bn_stats == "update":
            for module in self.backbone.modules():
                if isinstance(module, nn.BatchNorm2d):
                    module.momentum = bn_momentum
        first = FIRST_TRAINABLE_LAYER[mode]
        self.backbone.freeze_before(len(self.backbone.layer_names) if first is None else first)
        self.head = nn.Sequential(nn.Dropout(HEAD_DROPOUT), nn.Linear(BACKBONE_FEATURES, classes))

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # noqa: D102
        if FIRST_TRAINABLE_LAYER[self.mode] is None:
            with torch.no_grad():  # a frozen backbone needs no graph: a third of the cost
                features = self.backbone(x)
        else:
            features = self.backbone(x)
        return self.head(features)

    def train(self, mode: bool = True) -> "MaskClassifier":  # noqa: D102
        super().train(mode)
        if self.frozen_bn_stats:
            for module in self.backbone.modules():
                if isinstance(module, nn.BatchNorm2d):
                    module.eval()
        return self

    def parameter_groups(self, lr: float, backbone_lr_factor: float) -> list:
        backbone = [p for p in self.backbone.parameters() if p.requires_grad]
        groups = [{"params": list(self.head.parameters()), "lr": lr}]
        if backbone:
            groups.append({"params": backbone, "lr": lr * backbone_lr_factor})
        return groups


def _reinitialise(graph: KerasGraph) -> None:
    """Forget the pretrained weights: the "from scratch" baseline."""
    for module in graph.modules():
        if isinstance(module, nn.Conv2d):
            nn.init.kaiming_normal_(module.weight, mode="fan_out", nonlinearity="relu")
        elif isinstance(module, nn.BatchNorm2d):
            module.reset_parameters()
            module.reset_running_stats()
            module.momentum = SCRATCH_BN_MOMENTUM


class PixelsToProbs(nn.Module):
    """
    What ships: uint8 RGB pixels NHWC [n, size, size, 3] in, softmax probabilities out, so the
    runtime hands over the resized bytes and the scaling lives in the model file.
    """

    def __init__(self, classifier: MaskClassifier):
        super().__init__()
        self.classifier = classifier

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:  # noqa: D102
        x = pixels.permute(0, 3, 1, 2).float() / 255.0
        return torch.softmax(self.classifier(x), dim=1)
