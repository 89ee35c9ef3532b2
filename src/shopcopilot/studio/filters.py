"""Look filters: warm, cool, vivid, soft, mono.

How they meet the fidelity guarantee: by default a filter applies to the scene only (before the product is
composited), so the product keeps its true colours. `scope="image"` filters the whole composite; that is an
explicit opt-in, and the output's report then says the product was changed and it is not delivered as faithful.
"""

from __future__ import annotations

import cv2
import numpy as np

from shopcopilot.errors import InvalidInput

FILTERS = ("warm", "cool", "vivid", "soft", "mono")
SCOPES = ("scene", "image")


def _lut(function) -> np.ndarray:
    values = np.arange(256, dtype=np.float32)
    return np.clip(function(values) + 0.5, 0, 255).astype(np.uint8)


def _per_channel(rgb: np.ndarray, gains: tuple[float, float, float]) -> np.ndarray:
    channels = [cv2.LUT(rgb[..., c], _lut(lambda v, g=gain: v * g)) for c, gain in enumerate(gains)]
    return np.dstack(channels)


def warm(rgb: np.ndarray) -> np.ndarray:
    return _per_channel(rgb, (1.06, 1.01, 0.90))


def cool(rgb: np.ndarray) -> np.ndarray:
    return _per_channel(rgb, (0.92, 1.0, 1.07))


def vivid(rgb: np.ndarray) -> np.ndarray:
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    hsv[..., 1] = cv2.LUT(hsv[..., 1], _lut(lambda v: v * 1.3))
    out = cv2.cvtColor(hsv, cv2.COLOR_HSV2RGB)
    return cv2.LUT(out, _lut(lambda v: (v - 128.0) * 1.1 + 128.0))


def soft(rgb: np.ndarray) -> np.ndarray:
    faded = cv2.LUT(rgb, _lut(lambda v: 18.0 + v * 0.9))
    glow = cv2.GaussianBlur(faded, (0, 0), max(1.0, max(rgb.shape[:2]) / 300.0))
    return cv2.addWeighted(faded, 0.8, glow, 0.2, 0)


def mono(rgb: np.ndarray) -> np.ndarray:
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    return np.dstack([gray, gray, gray])


_FUNCTIONS = {"warm": warm, "cool": cool, "vivid": vivid, "soft": soft, "mono": mono}


def check_filter(name: str | None, scope: str = "scene") -> None:
    if name is not None and name not in _FUNCTIONS:
        raise InvalidInput(f"unknown filter {name!r}; choose from {FILTERS}", code="bad_filter")
    if scope not in SCOPES:
        raise InvalidInput(f"filter scope must be one of {SCOPES}", code="bad_filter")


def apply_filter(rgb: np.ndarray, name: str) -> np.ndarray:
    check_filter(name)
    return _FUNCTIONS[name](np.ascontiguousarray(rgb))
