"""The deterministic test image of training/synthetic-pattern.ts, byte for byte."""
import numpy as np


def synthetic_pattern(index: int, width: int, height: int) -> np.ndarray:
    """uint8 [height, width, 3] RGB."""
    y, x, c = np.meshgrid(np.arange(height), np.arange(width), np.arange(3), indexing="ij")
    ramp = x * 7 + y * 13 + c * 29 + index * 101
    texture = ((x * y + index * 31) % 17) * 11
    return ((ramp + texture) % 256).astype(np.uint8)
