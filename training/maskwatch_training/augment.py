"""
Augmentation for surveillance faces, on a batch of float RGB images NCHW in [0, 1]: what a
corridor camera does to a face that a web photo does not. Each transform has its own
probability; parameters are drawn from the generator passed in, so a run is reproducible.
"""
from __future__ import annotations

import io
import math
from dataclasses import dataclass, asdict

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image


@dataclass(frozen=True)
class AugmentConfig:
    p_flip: float = 0.5
    max_rotate_deg: float = 12.0
    max_scale: float = 0.1  # zoom in or out by up to this fraction
    max_shift: float = 0.06  # of the side
    p_small: float = 0.6  # downscale to a surveillance-size face and back up
    small_min_px: int = 10
    small_max_px: int = 40
    p_jpeg: float = 0.4  # JPEG artefacts (at the small size, where cameras compress)
    jpeg_quality: tuple = (15, 80)
    p_blur: float = 0.3
    blur_sigma: tuple = (0.4, 1.3)
    max_brightness: float = 0.15
    max_contrast: float = 0.35
    p_grey: float = 0.1  # night-mode cameras

    def to_dict(self) -> dict:
        return asdict(self)


def augment(batch: torch.Tensor, cfg: AugmentConfig, gen: torch.Generator) -> torch.Tensor:
    x = _affine(batch, cfg, gen)
    x = torch.stack([_degrade(img, cfg, gen) for img in x])
    x = _blur(x, cfg, gen)
    x = _photometric(x, cfg, gen)
    return x.clamp_(0, 1)


def _uniform(gen: torch.Generator, n: int, low: float, high: float) -> torch.Tensor:
    return low + (high - low) * torch.rand(n, generator=gen)


def _affine(x: torch.Tensor, cfg: AugmentConfig, gen: torch.Generator) -> torch.Tensor:
    n = x.shape[0]
    angle = _uniform(gen, n, -cfg.max_rotate_deg, cfg.max_rotate_deg) * math.pi / 180
    scale = _uniform(gen, n, 1 - cfg.max_scale, 1 + cfg.max_scale)
    flip = torch.where(torch.rand(n, generator=gen) < cfg.p_flip, -1.0, 1.0)
    shift = _uniform(gen, 2 * n, -cfg.max_shift, cfg.max_shift).view(n, 2) * 2
    cos, sin = torch.cos(angle) / scale, torch.sin(angle) / scale
    theta = torch.stack([torch.stack([cos * flip, -sin, shift[:, 0]], 1),
                         torch.stack([sin * flip, cos, shift[:, 1]], 1)], 1)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)


def _degrade(img: torch.Tensor, cfg: AugmentConfig, gen: torch.Generator) -> torch.Tensor:
    """Downscale to a small face, maybe JPEG it there, and bring it back to the input size."""
    size = img.shape[-1]
    small = torch.rand(1, generator=gen).item() < cfg.p_small
    jpeg = torch.rand(1, generator=gen).item() < cfg.p_jpeg
    if not (small or jpeg):
        return img
    out = img[None]
    if small:
        px = int(torch.randint(cfg.small_min_px, cfg.small_max_px + 1, (1,), generator=gen))
        out = F.interpolate(out, size=(px, px), mode="bilinear", antialias=True,
                            align_corners=False)
    if jpeg:
        low, high = cfg.jpeg_quality
        quality = int(torch.randint(low, high + 1, (1,), generator=gen))
        out = _jpeg(out[0], quality)[None]
    if out.shape[-1] != size:
        out = F.interpolate(out, size=(size, size), mode="bilinear", align_corners=False)
    return out[0]


def _jpeg(img: torch.Tensor, quality: int) -> torch.Tensor:
    pixels = (img.permute(1, 2, 0).clamp(0, 1) * 255).round().byte().numpy()
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="JPEG", quality=quality)
    decoded = np.asarray(Image.open(io.BytesIO(buffer.getvalue())).convert("RGB"))
    return torch.from_numpy(decoded.copy()).permute(2, 0, 1).float() / 255


def _blur(x: torch.Tensor, cfg: AugmentConfig, gen: torch.Generator) -> torch.Tensor:
    n, c = x.shape[:2]
    apply = torch.rand(n, generator=gen) < cfg.p_blur
    if not apply.any():
        return x
    sigma = _uniform(gen, n, *cfg.blur_sigma)
    radius = math.ceil(3 * cfg.blur_sigma[1])
    offsets = torch.arange(-radius, radius + 1, dtype=torch.float32)
    kernel = torch.exp(-(offsets[None] ** 2) / (2 * sigma[:, None] ** 2))
    kernel = kernel / kernel.sum(1, keepdim=True)  # [n, k]
    out = x.clone()
    idx = apply.nonzero().flatten()
    sub = x[idx].reshape(1, len(idx) * c, *x.shape[2:])
    k = kernel[idx].repeat_interleave(c, 0)  # one kernel per (image, channel)
    sub = F.pad(sub, (radius, radius, radius, radius), mode="replicate")
    sub = F.conv2d(sub, k[:, None, None, :], groups=len(idx) * c)
    sub = F.conv2d(sub, k[:, None, :, None], groups=len(idx) * c)
    out[idx] = sub.reshape(len(idx), c, *x.shape[2:])
    return out


def _photometric(x: torch.Tensor, cfg: AugmentConfig, gen: torch.Generator) -> torch.Tensor:
    n = x.shape[0]
    grey = torch.rand(n, generator=gen) < cfg.p_grey
    if grey.any():
        luma = (x[grey] * torch.tensor([0.299, 0.587, 0.114]).view(1, 3, 1, 1)).sum(1, True)
        x[grey] = luma.expand(-1, 3, -1, -1)
    contrast = _uniform(gen, n, 1 - cfg.max_contrast, 1 + cfg.max_contrast).view(n, 1, 1, 1)
    brightness = _uniform(gen, n, -cfg.max_brightness, cfg.max_brightness).view(n, 1, 1, 1)
    mean = x.mean(dim=(1, 2, 3), keepdim=True)
    return (x - mean) * contrast + mean + brightness
