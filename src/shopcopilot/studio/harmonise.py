"""Light and colour harmonisation of the surroundings to the subject: the scene moves, the product never does.

Matches the scene's colour cast part-way to the product's (a warm-lit product gets warmer surroundings) and keeps
enough brightness separation between product and scene that the silhouette reads.
"""

from __future__ import annotations

import cv2
import numpy as np


def lab_stats(rgb: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
    """Mean (L, a, b) of the pixels under `mask` (all pixels when None), in 8-bit Lab: L*255/100, a+128, b+128."""
    lab = cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB)
    if mask is None:
        return np.array(cv2.mean(lab)[:3], np.float32)
    mask8 = mask.astype(np.uint8)
    if not mask8.any():
        return np.array([128.0, 128.0, 128.0], np.float32)
    # cv2.mean accumulates in double: a float32 numpy mean over millions of pixels drifts by a whole level.
    return np.array(cv2.mean(lab, mask=mask8)[:3], np.float32)


def harmonise_scene(
    scene: np.ndarray, subject_lab: np.ndarray, *, strength: float = 0.5, min_separation: float = 30.0
) -> np.ndarray:
    """`subject_lab` is `lab_stats` of the product's core pixels; returns the adjusted scene (uint8)."""
    if strength <= 0:
        return scene
    lab = cv2.cvtColor(scene, cv2.COLOR_RGB2LAB)  # 8-bit Lab, as `lab_stats`
    scene_mean = np.array(cv2.mean(lab)[:3], np.float32)
    shift = np.zeros(3, np.float32)
    # Colour cast: shift a/b a fraction of the way, capped so a saturated product cannot paint the whole scene.
    shift[1:] = np.clip((subject_lab[1:] - scene_mean[1:]) * 0.25 * strength, -6.0, 6.0)
    # Brightness: keep the scene at least `min_separation` (8-bit L units) away from the product's brightness.
    gap = scene_mean[0] - subject_lab[0]
    if abs(gap) < min_separation:
        direction = 1.0 if (gap >= 0 and scene_mean[0] < 235) or subject_lab[0] < 60 else -1.0
        shift[0] = direction * (min_separation - abs(gap)) * strength
    # The Lab planes are integers, so "add the float shift, clip, truncate to uint8" is exactly a saturating add
    # of floor(shift): one pass in uint8 instead of a float copy of the whole scene.
    offset = np.floor(shift)
    lab = cv2.add(lab, (float(offset[0]), float(offset[1]), float(offset[2]), 0.0))
    return cv2.cvtColor(lab, cv2.COLOR_LAB2RGB)
