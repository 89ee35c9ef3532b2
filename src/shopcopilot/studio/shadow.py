"""Shadows cast by the product, computed from its mask and applied to the scene only (never over the product).

Two layers: a tight contact shadow where the product meets the floor (what makes it stand rather than float) and a
soft drop shadow offset down-right. Everything is computed at quarter resolution (shadows have no fine detail to
lose) from the product layer's own alpha, never from a full-canvas mask, and only the region where the shadow can
change a pixel (opacity >= 0.5/255) is brought back to full resolution and applied.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

# Below this opacity the darkening of an 8-bit pixel is under half a level: rounding leaves the pixel unchanged.
VISIBLE = 0.5 / 255.0
_TINT = np.array([0.92, 0.94, 1.0], np.float32)  # slightly cool, so the shadow does not look like dirt


@dataclass(frozen=True)
class ShadowSpec:
    contact: float = 0.55  # opacity of the contact shadow
    drop: float = 0.22  # opacity of the drop shadow
    offset: tuple[float, float] = (0.015, 0.02)  # drop-shadow offset, as a fraction of the product size
    softness: float = 0.045  # drop-shadow blur, as a fraction of the product's larger side


@dataclass
class Shadow:
    """Shadow opacity in [0,1] over the canvas region whose top-left is (x, y); zero everywhere else."""

    opacity: np.ndarray  # h x w float32
    x: int
    y: int

    @property
    def bbox(self) -> tuple[int, int, int, int]:
        return self.x, self.y, self.x + self.opacity.shape[1], self.y + self.opacity.shape[0]


def _small_silhouette(
    alpha: np.ndarray, x0: int, y0: int, factor: int, small_size: tuple[int, int]
) -> np.ndarray:
    """The canvas alpha averaged over factor x factor blocks, built from the layer alone.

    The layer is padded to whole blocks, so the blocks are exactly those of the full canvas.
    """
    sw, sh = small_size
    small = np.zeros((sh, sw), np.float32)
    height, width = alpha.shape
    bx0, by0 = x0 // factor, y0 // factor
    bx1, by1 = -(-(x0 + width) // factor), -(-(y0 + height) // factor)
    padded = np.zeros(((by1 - by0) * factor, (bx1 - bx0) * factor), np.float32)
    ox, oy = x0 - bx0 * factor, y0 - by0 * factor
    padded[oy : oy + height, ox : ox + width] = alpha
    blocks = (
        cv2.resize(padded, (bx1 - bx0, by1 - by0), interpolation=cv2.INTER_AREA) if factor > 1 else padded
    )
    small[by0 : min(by1, sh), bx0 : min(bx1, sw)] = blocks[: sh - by0, : sw - bx0]
    return small


def shadow_map(
    alpha: np.ndarray, origin: tuple[int, int], canvas: tuple[int, int], spec: ShadowSpec
) -> Shadow | None:
    """The shadow of a product layer with this `alpha` placed at `origin` (x, y) on a `canvas` (width, height).

    None when the shadow is nowhere visible.
    """
    width, height = canvas
    x0, y0 = origin
    ph, pw = alpha.shape
    x1, y1 = x0 + pw, y0 + ph
    factor = 4 if min(height, width) >= 256 else 1
    sw, sh = -(-width // factor), -(-height // factor)  # whole blocks: block i covers pixels [i*f, (i+1)*f)
    small = _small_silhouette(alpha, x0, y0, factor, (sw, sh))

    # Drop shadow: the silhouette, shifted and blurred.
    dx, dy = spec.offset[0] * pw / factor, spec.offset[1] * ph / factor
    moved = cv2.warpAffine(small, np.float32([[1, 0, dx], [0, 1, dy]]), (sw, sh))
    sigma = max(1.0, spec.softness * max(pw, ph) / factor)
    drop = cv2.GaussianBlur(moved, (0, 0), sigma) * spec.drop

    # Contact shadow: a flat ellipse under the product's base, as wide as the footprint.
    base_rows = alpha[max(0, ph - max(2, ph // 20)) :]
    cols = np.flatnonzero(base_rows.max(axis=0) > 0.5) if base_rows.size else np.array([])
    foot_x0, foot_x1 = (x0 + cols[0], x0 + cols[-1]) if cols.size else (x0, x1)
    contact = np.zeros_like(small)
    center = (round((foot_x0 + foot_x1) / 2 / factor), round((y1 - 1) / factor))
    axes = (max(1, round((foot_x1 - foot_x0) * 0.55 / factor)), max(1, round(ph * 0.025 / factor)))
    cv2.ellipse(contact, center, axes, 0, 0, 360, 1.0, -1)
    contact = cv2.GaussianBlur(contact, (0, 0), max(1.0, axes[1] * 0.8)) * spec.contact

    combined = 1.0 - (1.0 - drop) * (1.0 - contact)
    rows = np.flatnonzero(combined.max(axis=1) >= VISIBLE)
    cols = np.flatnonzero(combined.max(axis=0) >= VISIBLE)
    if rows.size == 0:
        return None
    # One block of margin: bilinear upsampling near the region's edge reads the (invisible) neighbours.
    r0, r1 = max(0, rows[0] - 1), min(sh, rows[-1] + 2)
    c0, c1 = max(0, cols[0] - 1), min(sw, cols[-1] + 2)
    region = combined[r0:r1, c0:c1]
    if factor > 1:
        # Same sampling positions as resizing the whole map: block i's centre sits at full-res (i + 0.5) * f.
        region = cv2.resize(region, ((c1 - c0) * factor, (r1 - r0) * factor), interpolation=cv2.INTER_LINEAR)
    fx, fy = c0 * factor, r0 * factor
    region = region[: height - fy, : width - fx]
    return Shadow(opacity=np.ascontiguousarray(region), x=fx, y=fy)


def apply_shadow(scene: np.ndarray, shadow: Shadow | None) -> np.ndarray:
    """Darken `scene` (uint8, in place) under the shadow, with a slightly cool tint; returns `scene`."""
    if shadow is None:
        return scene
    x0, y0, x1, y1 = shadow.bbox
    region = scene[y0:y1, x0:x1]
    darkening = cv2.merge([1.0 - shadow.opacity * _TINT[c] for c in range(3)])
    darkened = region.astype(np.float32)
    darkened *= darkening
    darkened += (
        0.5  # darkening is in [0, 1], so the result is in [0.5, 255.5): truncation rounds, no clip needed
    )
    region[...] = darkened  # float -> uint8 by truncation
    return scene


def shadow_opacity(shadow: Shadow | None, canvas: tuple[int, int]) -> np.ndarray:
    """The shadow as a full canvas-sized opacity map (for inspection and tests; rendering never needs it)."""
    width, height = canvas
    full = np.zeros((height, width), np.float32)
    if shadow is not None:
        x0, y0, x1, y1 = shadow.bbox
        full[y0:y1, x0:x1] = shadow.opacity
    return full
