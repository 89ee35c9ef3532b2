"""Detail repair: dust and small blemishes removed from the background by inpainting, never from the product.

A speck is a small, compact spot that differs strongly from its neighbourhood (morphological top-hat / black-hat);
only specks outside the protected mask (the product, grown by a safety margin) are inpainted (OpenCV Telea).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np


@dataclass
class RepairResult:
    rgb: np.ndarray
    repaired_mask: np.ndarray  # HxW bool: the pixels that were inpainted
    specks: int


def find_specks(
    rgb: np.ndarray, *, max_size: int | None = None, threshold: float = 28.0
) -> tuple[np.ndarray, int]:
    """Mask of dust/blemish pixels and how many specks; `max_size` is the largest speck diameter in px."""
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    max_size = max_size or max(3, round(max(gray.shape) / 150))
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * max_size + 1, 2 * max_size + 1))
    bright = cv2.morphologyEx(gray, cv2.MORPH_TOPHAT, kernel)
    dark = cv2.morphologyEx(gray, cv2.MORPH_BLACKHAT, kernel)
    candidates = (np.maximum(bright, dark) > threshold).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(candidates, connectivity=8)
    keep = np.zeros(count, bool)
    for index in range(1, count):
        w, h, area = (
            stats[index, cv2.CC_STAT_WIDTH],
            stats[index, cv2.CC_STAT_HEIGHT],
            stats[index, cv2.CC_STAT_AREA],
        )
        # compact and small: dust, not an edge or a pattern line
        keep[index] = max(w, h) <= 2 * max_size and area >= 0.3 * w * h
    mask = keep[labels]
    return mask, int(keep.sum())


def remove_blemishes(rgb: np.ndarray, protect: np.ndarray | None = None, *, grow: int = 6) -> RepairResult:
    """Inpaint specks in the background. `protect` (HxW bool/float) marks the product; it is never touched."""
    specks, _ = find_specks(rgb)
    if protect is not None:
        kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * grow + 1, 2 * grow + 1))
        guarded = cv2.dilate((np.asarray(protect) > 0).astype(np.uint8), kernel).astype(bool)
        specks &= ~guarded
    count = cv2.connectedComponents(specks.astype(np.uint8))[0] - 1
    if count == 0:
        return RepairResult(rgb=rgb, repaired_mask=specks, specks=0)
    # Grow each speck by a pixel so its anti-aliased rim is inpainted too.
    hole = cv2.dilate(specks.astype(np.uint8), np.ones((3, 3), np.uint8))
    if protect is not None:
        hole[guarded] = 0
    repaired = cv2.inpaint(rgb, hole, 3, cv2.INPAINT_TELEA)
    return RepairResult(rgb=repaired, repaired_mask=hole.astype(bool), specks=count)
