"""Edge refinement and edge colours: the fast forms give what the textbook forms give."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from shopcopilot.studio.matting import (
    _box,
    estimate_foreground,
    estimate_foreground_at,
    guided_filter,
    refine_alpha,
)


def _textbook_guided_filter(guide: np.ndarray, src: np.ndarray, radius: int, eps: float) -> np.ndarray:
    """He et al.'s colour guided filter with a per-pixel `np.linalg.solve` of the 3x3 system, in float64."""
    guide, src = guide.astype(np.float64), src.astype(np.float64)
    mean_i, mean_p = _box(guide, radius), _box(src, radius)
    cov_ip = _box(guide * src[..., None], radius) - mean_i * mean_p[..., None]
    sigma = np.empty(src.shape + (3, 3))
    for a in range(3):
        for b in range(3):
            sigma[..., a, b] = _box(guide[..., a] * guide[..., b], radius) - mean_i[..., a] * mean_i[..., b]
    sigma += eps * np.eye(3)
    coeff_a = np.linalg.solve(sigma, cov_ip[..., None])[..., 0]
    coeff_b = mean_p - (coeff_a * mean_i).sum(-1)
    return (_box(coeff_a, radius) * guide).sum(-1) + _box(coeff_b, radius)


def test_guided_filter_matches_the_per_pixel_solve(coffee) -> None:
    guide = cv2.resize(coffee, (256, 170), interpolation=cv2.INTER_AREA).astype(np.float32) / 255.0
    src = np.zeros(guide.shape[:2], np.float32)
    cv2.circle(src, (128, 85), 60, 1.0, -1)
    src = cv2.GaussianBlur(src, (0, 0), 4)
    fast = guided_filter(guide, src, radius=6, eps=1e-3)
    assert fast.dtype == np.float32
    assert np.abs(fast - _textbook_guided_filter(guide, src, 6, 1e-3)).max() < 1e-3


def _ring_layer(seed: int, size: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    height, width = size
    rgb = rng.integers(0, 256, (height, width, 3), dtype=np.uint8)
    alpha = np.zeros((height, width), np.float32)
    cv2.ellipse(alpha, (width // 2, height // 2), (width // 2 - 3, height // 3), 0, 0, 360, 1.0, -1)
    alpha = cv2.GaussianBlur(alpha, (0, 0), 2.0)
    alpha[alpha > 0.97] = 1.0
    alpha[alpha < 0.03] = 0.0
    alpha[:, :2] = 0.5  # soft pixels on the layer's own border: the reflected padding is exercised
    return rgb, alpha


@pytest.mark.parametrize("size", [(97, 131), (300, 410), (20, 20)])
def test_foreground_at_soft_pixels_equals_the_whole_layer_estimate(size) -> None:
    rgb, alpha = _ring_layer(3, size)
    soft = (alpha > 0) & (alpha < 1)
    assert soft.any() and not soft.all()
    whole = estimate_foreground(rgb, alpha)
    assert np.array_equal(estimate_foreground_at(rgb, alpha, soft), whole[soft])


def test_foreground_at_no_pixels_is_empty() -> None:
    rgb, alpha = _ring_layer(1, (40, 40))
    out = estimate_foreground_at(rgb, alpha, np.zeros(alpha.shape, bool))
    assert out.shape == (0, 3) and out.dtype == np.uint8


def test_foreground_keeps_opaque_pixels_and_pulls_edges_away_from_the_old_background() -> None:
    rgb = np.zeros((60, 60, 3), np.uint8)
    rgb[:] = (0, 0, 255)  # blue backdrop
    alpha = np.zeros((60, 60), np.float32)
    alpha[:, :30] = 1.0
    alpha[:, 30:34] = np.linspace(0.8, 0.2, 4, dtype=np.float32)
    rgb[:, :34] = (255, 0, 0)  # red product whose soft edge was shot against blue
    rgb[:, 30:34] = np.outer(alpha[0, 30:34], (255, 0, 0)) + np.outer(1 - alpha[0, 30:34], (0, 0, 255))
    fg = estimate_foreground(rgb, alpha)
    assert np.array_equal(fg[:, :30], rgb[:, :30])
    edge = fg[:, 30:34].astype(int)
    assert (edge[..., 0] > rgb[:, 30:34, 0]).all() and (edge[..., 2] < rgb[:, 30:34, 2]).all()


def test_refined_alpha_is_snapped(coffee) -> None:
    coarse = np.zeros(coffee.shape[:2], np.float32)
    cv2.ellipse(coarse, (300, 200), (150, 120), 0, 0, 360, 1.0, -1)
    coarse = cv2.GaussianBlur(coarse, (0, 0), 8)
    alpha = refine_alpha(coffee, coarse)
    assert alpha.shape == coarse.shape and alpha.dtype == np.float32
    assert alpha[200, 300] == 1.0 and alpha[5, 5] == 0.0
    soft = alpha[(alpha > 0) & (alpha < 1)]
    assert soft.size and soft.min() > 0.03 and soft.max() < 0.97
