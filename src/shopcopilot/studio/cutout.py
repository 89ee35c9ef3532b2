"""Cutout: the product separated from its photo as (rgb, alpha), with the bounding box of what is kept."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from shopcopilot.errors import InvalidInput
from shopcopilot.studio.images import LoadedImage
from shopcopilot.studio.matting import MattingMethod, refine_alpha, snap_alpha

MIN_COVERAGE = 0.002  # below 0.2% of the frame there is no product to place


@dataclass
class Cutout:
    rgb: np.ndarray  # the source photo, HxWx3 uint8, never modified
    alpha: np.ndarray  # HxW float32 in [0,1]; exactly 1.0 on the product core
    bbox: tuple[int, int, int, int]  # x0, y0, x1, y1 (exclusive) of alpha > 0
    mask_source: str  # "u2netp+guided", "file alpha", ...

    @property
    def core(self) -> np.ndarray:
        return self.alpha >= 1.0

    def crop(self, pad: int = 0) -> tuple[np.ndarray, np.ndarray, tuple[int, int]]:
        """The product's rgb and alpha cropped to the bbox (+pad, clipped) and the crop's origin."""
        x0, y0, x1, y1 = self.bbox
        height, width = self.alpha.shape
        x0, y0 = max(0, x0 - pad), max(0, y0 - pad)
        x1, y1 = min(width, x1 + pad), min(height, y1 + pad)
        return self.rgb[y0:y1, x0:x1], self.alpha[y0:y1, x0:x1], (x0, y0)


def bounding_box(alpha: np.ndarray) -> tuple[int, int, int, int]:
    rows = np.flatnonzero(alpha.max(axis=1) > 0)
    cols = np.flatnonzero(alpha.max(axis=0) > 0)
    if rows.size == 0:
        raise InvalidInput(
            "no product was found in the photo; shoot it against a plain background", code="no_subject"
        )
    return int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1


def cut_out(image: LoadedImage, *, matting: MattingMethod = "guided") -> Cutout:
    """Separate the product: the file's own transparency when it has one, otherwise u2netp + edge refinement."""
    if image.alpha is not None:
        alpha = snap_alpha(image.alpha.astype(np.float32) / 255.0)
        source = "file alpha"
    else:
        from shopcopilot.models.cutout_model import cutout_model

        coarse = cutout_model().predict(image.rgb)
        alpha = refine_alpha(image.rgb, coarse, method=matting)
        source = f"u2netp+{matting}"
    if float((alpha > 0.5).mean()) < MIN_COVERAGE:
        raise InvalidInput(
            "no product was found in the photo; shoot it against a plain background", code="no_subject"
        )
    return Cutout(rgb=image.rgb, alpha=alpha, bbox=bounding_box(alpha), mask_source=source)
