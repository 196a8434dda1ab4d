"""
Decoded faces, resized once to a square cache size and kept as one uint8 array on disk, so an
epoch reads memory instead of decoding JPEGs. Keyed by the files' sha256, so a changed image
or size rebuilds the cache.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Sequence, Tuple

import numpy as np
from PIL import Image

# Faces are stretched to a square, as the runtime does (src/runtime/onnx-crop-batch.ts).
RESAMPLE = Image.BILINEAR


def decode_square(path: Path, size: int) -> Tuple[np.ndarray, Tuple[int, int]]:
    """RGB uint8 [size, size, 3] and the stored (width, height)."""
    with Image.open(path) as image:
        rgb = image.convert("RGB")
        return np.asarray(rgb.resize((size, size), RESAMPLE, reducing_gap=None)), rgb.size


def load_or_build(cache_dir: Path, data_dir: Path, rel_paths: Sequence[str],
                  hashes: Sequence[str], size: int, progress=None) -> Tuple[np.ndarray, np.ndarray]:
    """(pixels [n, size, size, 3] uint8, native sizes [n, 2]) in `rel_paths` order."""
    key = hashlib.sha256(("\n".join(hashes) + f"\n{size}").encode()).hexdigest()[:16]
    path = cache_dir / f"faces-{size}px-{key}.npz"
    if path.exists():
        with np.load(path) as cached:
            return cached["pixels"], cached["sizes"]
    pixels = np.empty((len(rel_paths), size, size, 3), np.uint8)
    sizes = np.empty((len(rel_paths), 2), np.int32)
    for i, rel in enumerate(rel_paths):
        pixels[i], sizes[i] = decode_square(data_dir / rel, size)
        if progress is not None:
            progress.update(1)
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.npz")
    np.savez(tmp, pixels=pixels, sizes=sizes)
    tmp.rename(path)
    return pixels, sizes
