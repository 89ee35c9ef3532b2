"""Shadows cast by the product, computed from its mask and applied to the scene only (never over the product).

Two layers: a tight contact shadow where the product meets the floor (what makes it stand rather than float) and a
soft drop shadow offset down-right. Blurs run at quarter resolution: shadows have no fine detail to lose.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np


@dataclass(frozen=True)
class ShadowSpec:
    contact: float = 0.55  # opacity of the contact shadow
    drop: float = 0.22  # opacity of the drop shadow
    offset: tuple[float, float] = (0.015, 0.02)  # drop-shadow offset, as a fraction of the product size
    softness: float = 0.045  # drop-shadow blur, as a fraction of the product's larger side


def shadow_map(canvas_alpha: np.ndarray, bbox: tuple[int, int, int, int], spec: ShadowSpec) -> np.ndarray:
    """Shadow opacity HxW float32 in [0,1] for a product whose placed alpha is `canvas_alpha`."""
    height, width = canvas_alpha.shape
    x0, y0, x1, y1 = bbox
    pw, ph = max(1, x1 - x0), max(1, y1 - y0)
    factor = 4 if min(height, width) >= 256 else 1
    small = cv2.resize(canvas_alpha, (width // factor, height // factor), interpolation=cv2.INTER_AREA)
    sh, sw = small.shape

    # Drop shadow: the silhouette, shifted and blurred.
    dx, dy = spec.offset[0] * pw / factor, spec.offset[1] * ph / factor
    moved = cv2.warpAffine(small, np.float32([[1, 0, dx], [0, 1, dy]]), (sw, sh))
    sigma = max(1.0, spec.softness * max(pw, ph) / factor)
    drop = cv2.GaussianBlur(moved, (0, 0), sigma) * spec.drop

    # Contact shadow: a flat ellipse under the product's base, as wide as the footprint.
    base_rows = canvas_alpha[max(y0, y1 - max(2, ph // 20)) : y1, x0:x1]
    cols = np.flatnonzero(base_rows.max(axis=0) > 0.5) if base_rows.size else np.array([])
    foot_x0, foot_x1 = (x0 + cols[0], x0 + cols[-1]) if cols.size else (x0, x1)
    contact = np.zeros_like(small)
    center = (round((foot_x0 + foot_x1) / 2 / factor), round((y1 - 1) / factor))
    axes = (max(1, round((foot_x1 - foot_x0) * 0.55 / factor)), max(1, round(ph * 0.025 / factor)))
    cv2.ellipse(contact, center, axes, 0, 0, 360, 1.0, -1)
    contact = cv2.GaussianBlur(contact, (0, 0), max(1.0, axes[1] * 0.8)) * spec.contact

    combined = 1.0 - (1.0 - drop) * (1.0 - contact)
    return cv2.resize(combined, (width, height), interpolation=cv2.INTER_LINEAR)


def apply_shadow(scene: np.ndarray, shadow: np.ndarray) -> np.ndarray:
    """Darken the scene under the shadow; a slightly cool tint keeps it from looking like dirt."""
    tint = np.array([0.92, 0.94, 1.0], np.float32)
    darkening = 1.0 - shadow[..., None] * tint
    return np.clip(scene.astype(np.float32) * darkening + 0.5, 0, 255).astype(np.uint8)
