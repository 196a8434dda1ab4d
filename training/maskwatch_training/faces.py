"""
The labelled face crops and their roles, read from the shared data folder's CSV files:
- `train`: fitted on;
- `holdout`: near-duplicate groups of chandrika and ILC `train` kept out of fitting, used to pick
  the epoch (split by group, never by file: re-saved copies of one image share a group);
- `val`: the ILC `val` split, reported only: never fitted on, never used to pick anything.
MaskedFace-Net is synthetic: only its `mask_worn_incorrectly` crops are used, only for `train`.
"""
from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import List

LABELS_3 = ("mask", "no_mask", "incorrect")
LABELS_2 = ("mask", "no_mask")
LABEL_OF_FOLDER = {"with_mask": "mask", "without_mask": "no_mask",
                   "mask_worn_incorrectly": "incorrect"}
FOLDERS = {
    "chandrika": "chandrikadeb7-face-mask-detection",
    "ilc": "ilc2021-face-mask",
    "maskedfacenet": "maskedfacenet-subset-synthetic",
}


@dataclass(frozen=True)
class Face:
    rel_path: str  # "<source folder>/<class folder>/<file>", relative to the data folder
    source: str
    label: str
    role: str
    group: str


def group_unit(group: str, seed: int) -> float:
    """A stable number in [0, 1) for a near-duplicate group and seed."""
    digest = hashlib.sha256(f"{seed}:{group}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def _rows(data_dir: Path, source: str, name: str) -> List[dict]:
    with open(data_dir / FOLDERS[source] / name, newline="") as f:
        return list(csv.DictReader(f))


def list_faces(data_dir: Path, holdout_fraction: float, seed: int,
               classes: int = 3) -> List[Face]:
    """Every usable face with its role; with `classes` 2 the incorrect class is left out."""
    def fit_role(group: str) -> str:
        return "holdout" if group_unit(group, seed) < holdout_fraction else "train"

    faces: List[Face] = []
    for row in _rows(data_dir, "chandrika", "manifest.csv"):
        group = f"chandrika:{row['near_dup_group']}"
        faces.append(_face("chandrika", row, group, fit_role(group)))
    for row in _rows(data_dir, "ilc", "labels.csv"):
        group = f"ilc:{row['near_dup_group']}"
        faces.append(_face("ilc", row, group, "val" if row["split"] == "val" else fit_role(group)))
    for row in _rows(data_dir, "maskedfacenet", "labels.csv"):
        if row["label"] == "mask_worn_incorrectly":
            faces.append(_face("maskedfacenet", row, f"maskedfacenet:{row['file']}", "train"))
    if classes == 2:
        faces = [f for f in faces if f.label != "incorrect"]
    return faces


def _face(source: str, row: dict, group: str, role: str) -> Face:
    label = LABEL_OF_FOLDER.get(row["label"])
    if label is None:
        raise ValueError(f"{source}: label must be one of {sorted(LABEL_OF_FOLDER)}, "
                         f"got {row['label']!r} for {row['file']}")
    return Face(f"{FOLDERS[source]}/{row['file']}", source, label, role, group)


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
