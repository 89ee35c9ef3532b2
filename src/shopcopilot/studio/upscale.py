"""Upscaling: a fast Lanczos + unsharp-mask path, and Real-ESRGAN (packaged, CPU through ncnn) for quality."""

from __future__ import annotations

from typing import Literal

import cv2
import numpy as np

from shopcopilot.errors import InvalidInput

UpscaleMethod = Literal["lanczos", "realesrgan"]
UPSCALE_METHODS = ("lanczos", "realesrgan")


def sharpen(rgb: np.ndarray, amount: float = 0.35, sigma: float = 1.0) -> np.ndarray:
    blurred = cv2.GaussianBlur(rgb, (0, 0), sigma)
    return cv2.addWeighted(rgb, 1.0 + amount, blurred, -amount, 0)


def lanczos(rgb: np.ndarray, size: tuple[int, int], *, sharpen_amount: float = 0.35) -> np.ndarray:
    """Resize to (width, height); enlargements get a light unsharp mask to counter Lanczos softness."""
    enlarging = size[0] > rgb.shape[1]
    out = cv2.resize(rgb, size, interpolation=cv2.INTER_LANCZOS4 if enlarging else cv2.INTER_AREA)
    return sharpen(out, sharpen_amount) if enlarging and sharpen_amount > 0 else out


def upscale(
    rgb: np.ndarray, size: tuple[int, int], method: UpscaleMethod = "lanczos", *, model: str = "x4plus"
) -> np.ndarray:
    """Enlarge `rgb` to exactly `size` (width, height)."""
    if method not in UPSCALE_METHODS:
        raise InvalidInput(f"unknown upscaler {method!r}; choose from {UPSCALE_METHODS}", code="bad_upscaler")
    if method == "lanczos" or size[0] <= rgb.shape[1]:
        return lanczos(rgb, size)
    from shopcopilot.models.upscaler import realesrgan_upscale

    enlarged = rgb
    while enlarged.shape[1] < size[0] or enlarged.shape[0] < size[1]:
        enlarged = realesrgan_upscale(enlarged, model=model)
    return cv2.resize(enlarged, size, interpolation=cv2.INTER_AREA)
