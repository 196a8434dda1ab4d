"""Confusion matrix and per-class F1, as the TypeScript side computes them."""
from __future__ import annotations

from typing import Sequence

import numpy as np


def confusion(truth: np.ndarray, predicted: np.ndarray, classes: int) -> np.ndarray:
    out = np.zeros((classes, classes), np.int64)
    np.add.at(out, (truth, predicted), 1)
    return out


def per_class_f1(matrix: np.ndarray) -> np.ndarray:
    tp = np.diag(matrix).astype(np.float64)
    predicted, support = matrix.sum(0), matrix.sum(1)
    precision = np.divide(tp, predicted, out=np.zeros_like(tp), where=predicted > 0)
    recall = np.divide(tp, support, out=np.zeros_like(tp), where=support > 0)
    denominator = precision + recall
    return np.divide(2 * precision * recall, denominator, out=np.zeros_like(tp),
                     where=denominator > 0)


def summary(truth: np.ndarray, probs: np.ndarray, labels: Sequence[str]) -> dict:
    matrix = confusion(truth, probs.argmax(1), len(labels))
    f1 = per_class_f1(matrix)
    present = matrix.sum(1) > 0
    return {
        "accuracy": float(np.trace(matrix) / max(1, matrix.sum())),
        "macro_f1": float(f1[present].mean()) if present.any() else 0.0,
        "f1": {label: float(v) for label, v in zip(labels, f1)},
        "confusion": matrix.tolist(),
    }
