"""Putting the product into a scene: resample it for the slot, then composite it with its core copied verbatim.

The product layer is the *source photo's own pixels*, cropped and resampled only when the slot needs a different
scale. Where alpha is exactly 1 the output pixel is a copy of that layer (no blending arithmetic at all), so the
fidelity check can demand zero difference there. Soft edge pixels get an estimated foreground colour so the old
background does not ring the product on the new scene.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from shopcopilot.studio.cutout import Cutout
from shopcopilot.studio.matting import estimate_foreground_at, snap_alpha
from shopcopilot.studio.slots import Placement
from shopcopilot.studio.upscale import UpscaleMethod, upscale

CROP_PAD = 2  # px of context around the bbox so resampling filters see real neighbours, not a hard border


@dataclass
class ProductLayer:
    rgb: np.ndarray  # h x w x 3 uint8: the source resampled
    alpha: np.ndarray  # h x w float32, snapped: exactly 1 on the core
    x: int  # top-left in the canvas
    y: int
    resampling: str  # how rgb was made from the source, for the report

    @property
    def core(self) -> np.ndarray:
        return self.alpha >= 1.0

    @property
    def bbox(self) -> tuple[int, int, int, int]:
        return self.x, self.y, self.x + self.rgb.shape[1], self.y + self.rgb.shape[0]


def resample_product(cutout: Cutout, placement: Placement, method: UpscaleMethod = "lanczos") -> ProductLayer:
    """The product crop at the placement's size. Deterministic: the fidelity check re-runs it as its reference."""
    x0, y0, x1, y1 = cutout.bbox
    bw, bh = x1 - x0, y1 - y0
    if (placement.width, placement.height) == (bw, bh):
        return ProductLayer(
            rgb=cutout.rgb[y0:y1, x0:x1].copy(),
            alpha=cutout.alpha[y0:y1, x0:x1].copy(),
            x=placement.x,
            y=placement.y,
            resampling="none (1:1 copy)",
        )
    rgb, alpha, (cx, cy) = cutout.crop(pad=CROP_PAD)
    sx, sy = placement.width / bw, placement.height / bh
    # Resize the padded crop, then cut the exact bbox out of it, so the border pixels were filtered with real data.
    out_w, out_h = round(rgb.shape[1] * sx), round(rgb.shape[0] * sy)
    ox, oy = round((x0 - cx) * sx), round((y0 - cy) * sy)
    enlarging = sx > 1.0
    big_rgb = (
        upscale(rgb, (out_w, out_h), method)
        if enlarging
        else cv2.resize(rgb, (out_w, out_h), interpolation=cv2.INTER_AREA)
    )
    interpolation = cv2.INTER_LINEAR if enlarging else cv2.INTER_AREA
    big_alpha = cv2.resize(alpha, (out_w, out_h), interpolation=interpolation)
    window = (slice(oy, oy + placement.height), slice(ox, ox + placement.width))
    layer_rgb = _fit(big_rgb[window], placement)
    layer_alpha = snap_alpha(_fit(big_alpha[window], placement))
    name = (method if enlarging else "area") + f" x{placement.scale:.4f}"
    return ProductLayer(rgb=layer_rgb, alpha=layer_alpha, x=placement.x, y=placement.y, resampling=name)


def _fit(array: np.ndarray, placement: Placement) -> np.ndarray:
    """Rounding can leave the window a pixel short at the far edge: pad by edge replication."""
    dh, dw = placement.height - array.shape[0], placement.width - array.shape[1]
    if dh > 0 or dw > 0:
        pad = ((0, max(dh, 0)), (0, max(dw, 0))) + ((0, 0),) * (array.ndim - 2)
        array = np.pad(array, pad, mode="edge")
    return np.ascontiguousarray(array[: placement.height, : placement.width])


def composite(scene: np.ndarray, layer: ProductLayer, *, in_place: bool = False) -> np.ndarray:
    """Scene + product. Core pixels are assigned from the layer, edge pixels blended with a cleaned foreground.

    Only the layer's box is touched; inside it only the soft edge pixels are blended (with a foreground colour
    estimated at those pixels alone) and the core is a masked copy, no arithmetic. `in_place` reuses `scene`.
    """
    out = scene if in_place else scene.copy()
    x0, y0, x1, y1 = layer.bbox
    region = out[y0:y1, x0:x1]
    alpha = layer.alpha
    soft = (alpha > 0) & (alpha < 1)
    ys, xs = np.nonzero(soft)
    if len(ys):
        foreground = estimate_foreground_at(layer.rgb, alpha, soft)
        a = alpha[ys, xs][:, None]
        blended = foreground.astype(np.float32) * a + region[ys, xs].astype(np.float32) * (1 - a)
        region[ys, xs] = np.clip(blended + 0.5, 0, 255).astype(np.uint8)
    cv2.copyTo(layer.rgb, layer.core.view(np.uint8), region)  # masked copy into the view, in place
    return out
