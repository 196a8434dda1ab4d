"""
A tiny face data set drawn from shapes, in the shared data folder's layout (same folders and
CSV columns), so the whole training pipeline can be exercised where no real faces are at hand
(tests, CI). These are not faces anyone should learn from: a skin ellipse with eyes, and for
`mask` a light band over nose and mouth, for `incorrect` the band below the nose only.
"""
from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from .faces import FOLDERS

CLASS_FOLDERS = ("with_mask", "without_mask", "mask_worn_incorrectly")


def _draw(folder: str, rng: np.random.Generator) -> Image.Image:
    w, h = int(rng.integers(24, 90)), int(rng.integers(28, 100))
    image = Image.new("RGB", (w, h), tuple(int(v) for v in rng.integers(30, 220, 3)))
    d = ImageDraw.Draw(image)
    skin = tuple(int(v) for v in rng.integers([120, 80, 60], [250, 200, 170]))
    d.ellipse([w * 0.1, h * 0.05, w * 0.9, h * 0.95], fill=skin)
    for ex in (0.35, 0.65):
        d.ellipse([w * (ex - 0.06), h * 0.35, w * (ex + 0.06), h * 0.42], fill=(20, 20, 20))
    d.line([w * 0.4, h * 0.75, w * 0.6, h * 0.75], fill=(120, 30, 30), width=max(1, h // 30))
    mask = tuple(int(v) for v in rng.integers([150, 170, 190], [230, 240, 255]))
    if folder == "with_mask":
        d.rectangle([w * 0.15, h * 0.5, w * 0.85, h * 0.9], fill=mask)
    elif folder == "mask_worn_incorrectly":
        d.rectangle([w * 0.15, h * 0.72, w * 0.85, h * 0.95], fill=mask)
    return image


def write_synthetic_data(root: Path, per_class: int, seed: int) -> None:
    """Writes `per_class` faces of each class for every source the training reads."""
    rng = np.random.default_rng(seed)
    columns = {"chandrika": ["file", "label", "near_dup_group"],
               "ilc": ["file", "label", "split", "near_dup_group"],
               "maskedfacenet": ["file", "label"]}
    folders = {"chandrika": CLASS_FOLDERS[:2], "ilc": CLASS_FOLDERS,
               "maskedfacenet": ("with_mask", "mask_worn_incorrectly")}
    csv_name = {"chandrika": "manifest.csv", "ilc": "labels.csv", "maskedfacenet": "labels.csv"}
    for source, classes in folders.items():
        base = root / FOLDERS[source]
        rows = []
        for folder in classes:
            (base / folder).mkdir(parents=True, exist_ok=True)
            for i in range(per_class):
                file = f"{folder}/synthetic-{i}.jpg"
                _draw(folder, rng).save(base / file, quality=90)
                rows.append({"file": file, "label": folder, "near_dup_group": len(rows),
                             "split": "val" if i % 4 == 0 else "train"})
        with open(base / csv_name[source], "w", newline="") as f:
            writer = csv.DictWriter(f, columns[source], extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
