"""ONNX export of a trained classifier, with reference outputs for the runtime's check."""
from __future__ import annotations

import json
from pathlib import Path

import torch

from .model import MaskClassifier, PixelsToProbs
from .synthetic_pattern import synthetic_pattern

OPSET = 13
# Patterns whose PyTorch probabilities the exported file must reproduce in ONNX Runtime.
REFERENCE_PATTERNS = (0, 1, 2, 3)


def export_onnx(classifier: MaskClassifier, size: int, path: Path) -> None:
    wrapper = PixelsToProbs(classifier).eval()
    dummy = torch.zeros((1, size, size, 3), dtype=torch.uint8)
    # Exported in eval mode with constant folding, so batch norm folds into the convolutions.
    torch.onnx.export(wrapper, dummy, str(path), input_names=["pixels"], output_names=["probs"],
                      dynamic_axes={"pixels": {0: "batch"}, "probs": {0: "batch"}},
                      opset_version=OPSET, do_constant_folding=True)


def reference_outputs(classifier: MaskClassifier, size: int) -> dict:
    wrapper = PixelsToProbs(classifier).eval()
    pixels = torch.stack([torch.from_numpy(synthetic_pattern(i, size, size))
                          for i in REFERENCE_PATTERNS])
    with torch.no_grad():
        probs = wrapper(pixels)
    return {"engine": f"torch {torch.__version__}", "size": size,
            "cases": [{"pattern": i, "probs": [float(v) for v in p]}
                      for i, p in zip(REFERENCE_PATTERNS, probs)]}


def write_json(path: Path, value: dict) -> None:
    path.write_text(json.dumps(value, indent=2) + "\n")
