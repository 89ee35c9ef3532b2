"""Compositing: the core is copied, soft edges are blended with the cleaned foreground, nothing else is touched."""

from __future__ import annotations

import cv2
import numpy as np

from shopcopilot.studio.compose import ProductLayer, composite
from shopcopilot.studio.matting import estimate_foreground


def _layer() -> ProductLayer:
    rng = np.random.default_rng(11)
    rgb = rng.integers(0, 256, (180, 140, 3), dtype=np.uint8)
    alpha = np.zeros((180, 140), np.float32)
    cv2.ellipse(alpha, (70, 90), (60, 80), 0, 0, 360, 1.0, -1)
    alpha = cv2.GaussianBlur(alpha, (0, 0), 2.5)
    alpha[alpha >= 0.97], alpha[alpha <= 0.03] = 1.0, 0.0
    return ProductLayer(rgb=rgb, alpha=alpha, x=40, y=25, resampling="test")


def _whole_layer_composite(scene: np.ndarray, layer: ProductLayer) -> np.ndarray:
    """Blend every layer pixel with the whole-layer foreground estimate, then copy the core."""
    out = scene.copy()
    region = out[layer.y : layer.y + layer.rgb.shape[0], layer.x : layer.x + layer.rgb.shape[1]]
    a = layer.alpha[..., None]
    blended = estimate_foreground(layer.rgb, layer.alpha).astype(np.float32) * a + region * (1 - a)
    soft = (layer.alpha > 0) & (layer.alpha < 1)
    region[soft] = np.clip(blended[soft] + 0.5, 0, 255).astype(np.uint8)
    region[layer.core] = layer.rgb[layer.core]
    return out


def test_composite_equals_the_whole_layer_computation() -> None:
    scene = np.random.default_rng(2).integers(0, 256, (260, 240, 3), dtype=np.uint8)
    layer = _layer()
    out = composite(scene, layer)
    assert np.array_equal(out, _whole_layer_composite(scene, layer))
    region = out[25:205, 40:180]
    assert np.array_equal(region[layer.core], layer.rgb[layer.core])
    outside = np.ones(scene.shape[:2], bool)
    outside[25:205, 40:180] = layer.alpha == 0
    assert np.array_equal(out[outside], scene[outside])


def test_composite_copies_the_scene_unless_asked_to_work_in_place() -> None:
    scene = np.full((260, 240, 3), 90, np.uint8)
    layer = _layer()
    copied = composite(scene, layer)
    assert (scene == 90).all() and copied is not scene
    same = composite(scene, layer, in_place=True)
    assert same is scene and np.array_equal(scene, copied)


def test_a_fully_opaque_layer_is_a_plain_copy() -> None:
    scene = np.zeros((50, 50, 3), np.uint8)
    rgb = np.random.default_rng(4).integers(0, 256, (20, 30, 3), dtype=np.uint8)
    layer = ProductLayer(rgb=rgb, alpha=np.ones((20, 30), np.float32), x=5, y=10, resampling="test")
    out = composite(scene, layer)
    assert np.array_equal(out[10:30, 5:35], rgb) and out[:10].max() == 0
