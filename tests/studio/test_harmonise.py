"""Harmonisation: the scene follows the product's light and colour; the uint8 form equals the float one."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from shopcopilot.studio.harmonise import harmonise_scene, lab_stats
from shopcopilot.studio.scenes import SceneContext, SceneSpec, make_scene


def _float_harmonise(scene: np.ndarray, subject_lab: np.ndarray, strength: float = 0.5) -> np.ndarray:
    """The rule written plainly: float Lab, exact (float64) scene mean, add the shifts, clip, truncate."""
    lab = cv2.cvtColor(scene, cv2.COLOR_RGB2LAB).astype(np.float64)
    mean = lab.reshape(-1, 3).mean(axis=0)
    lab[..., 1:] += np.clip((subject_lab[1:] - mean[1:]) * 0.25 * strength, -6.0, 6.0)
    gap = mean[0] - subject_lab[0]
    if abs(gap) < 30.0:
        direction = 1.0 if (gap >= 0 and mean[0] < 235) or subject_lab[0] < 60 else -1.0
        lab[..., 0] += direction * (30.0 - abs(gap)) * strength
    return cv2.cvtColor(np.clip(lab, 0, 255).astype(np.uint8), cv2.COLOR_LAB2RGB)


@pytest.mark.parametrize("kind", ["studio", "texture", "photo"])
@pytest.mark.parametrize("subject", [(200, 140, 150), (60, 120, 110), (230, 128, 128), (20, 128, 128)])
def test_harmonise_equals_the_float_rule(kind: str, subject: tuple[int, int, int], coffee) -> None:
    scene = make_scene(640, 360, SceneSpec(kind=kind), SceneContext(photo=coffee))
    lab = np.array(subject, np.float32)
    assert np.array_equal(harmonise_scene(scene, lab), _float_harmonise(scene, lab))


def test_a_warm_product_warms_the_scene_and_a_light_one_darkens_it() -> None:
    scene = make_scene(400, 300, SceneSpec(kind="plain", colors=("#dcdcdc",)))
    warm = harmonise_scene(scene, np.array([120, 160, 170], np.float32)).astype(int)
    assert warm[..., 0].mean() > warm[..., 2].mean() + 3
    light = harmonise_scene(scene, np.array([225, 128, 128], np.float32))
    assert light.mean() < scene.mean() - 5  # kept apart from the product's brightness
    assert harmonise_scene(scene, np.array([225, 128, 128], np.float32), strength=0) is scene


def test_lab_stats_is_exact_on_large_images() -> None:
    rng = np.random.default_rng(5)
    rgb = rng.integers(150, 256, (1500, 1500, 3), dtype=np.uint8)
    mask = np.zeros(rgb.shape[:2], bool)
    mask[100:1400, 200:1300] = True
    lab = cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB).astype(np.float64)
    assert np.abs(lab_stats(rgb, mask) - lab[mask].mean(axis=0)).max() < 1e-3
    assert np.abs(lab_stats(rgb) - lab.reshape(-1, 3).mean(axis=0)).max() < 1e-3
    assert lab_stats(rgb, np.zeros(rgb.shape[:2], bool)).tolist() == [128.0, 128.0, 128.0]
