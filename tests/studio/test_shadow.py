"""Shadows: computed from the product layer alone, on the region where they show, equal to the whole-canvas way."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from shopcopilot.studio.shadow import VISIBLE, ShadowSpec, apply_shadow, shadow_map, shadow_opacity


def _layer(width: int, height: int) -> np.ndarray:
    """A bottle-like silhouette with a soft edge."""
    alpha = np.zeros((height, width), np.float32)
    cv2.ellipse(alpha, (width // 2, height // 2), (width // 2 - 2, height // 2 - 2), 0, 0, 360, 1.0, -1)
    return cv2.GaussianBlur(alpha, (0, 0), 1.5)


def _whole_canvas_shadow(alpha: np.ndarray, origin: tuple[int, int], canvas: tuple[int, int]) -> np.ndarray:
    """The straightforward computation: place the alpha on a full canvas, shrink it, blur, grow the whole map."""
    spec, (width, height), (x0, y0) = ShadowSpec(), canvas, origin
    ph, pw = alpha.shape
    factor = 4 if min(height, width) >= 256 else 1
    sw, sh = -(-width // factor), -(-height // factor)
    full = np.zeros((sh * factor, sw * factor), np.float32)
    full[y0 : y0 + ph, x0 : x0 + pw] = alpha
    small = cv2.resize(full, (sw, sh), interpolation=cv2.INTER_AREA)
    moved = cv2.warpAffine(
        small,
        np.float32([[1, 0, spec.offset[0] * pw / factor], [0, 1, spec.offset[1] * ph / factor]]),
        (sw, sh),
    )
    drop = cv2.GaussianBlur(moved, (0, 0), max(1.0, spec.softness * max(pw, ph) / factor)) * spec.drop
    cols = np.flatnonzero(alpha[ph - max(2, ph // 20) :].max(axis=0) > 0.5)
    foot_x0, foot_x1 = x0 + cols[0], x0 + cols[-1]
    contact = np.zeros_like(small)
    axes = (max(1, round((foot_x1 - foot_x0) * 0.55 / factor)), max(1, round(ph * 0.025 / factor)))
    center = (round((foot_x0 + foot_x1) / 2 / factor), round((y0 + ph - 1) / factor))
    cv2.ellipse(contact, center, axes, 0, 0, 360, 1.0, -1)
    contact = cv2.GaussianBlur(contact, (0, 0), max(1.0, axes[1] * 0.8)) * spec.contact
    combined = 1.0 - (1.0 - drop) * (1.0 - contact)
    if factor > 1:
        combined = cv2.resize(combined, (sw * factor, sh * factor), interpolation=cv2.INTER_LINEAR)
    return combined[:height, :width]


@pytest.mark.parametrize(
    ("canvas", "layer_size", "origin"),
    [
        ((1920, 1080), (700, 860), (610, 110)),  # banner
        ((750, 1000), (630, 700), (60, 150)),  # width not a multiple of the 4x reduction
        ((800, 800), (800, 800), (0, 0)),  # product touching every edge
        ((200, 120), (90, 100), (50, 10)),  # small canvas: full resolution
    ],
)
def test_region_shadow_equals_the_whole_canvas_computation(canvas, layer_size, origin) -> None:
    alpha = _layer(*layer_size)
    shadow = shadow_map(alpha, origin, canvas, ShadowSpec())
    assert shadow is not None
    expected = _whole_canvas_shadow(alpha, origin, canvas)
    got = shadow_opacity(shadow, canvas)
    assert got.shape == expected.shape
    inside = np.zeros(expected.shape, bool)
    x0, y0, x1, y1 = shadow.bbox
    inside[y0:y1, x0:x1] = True
    # outside its region the shadow could not have changed an 8-bit pixel, inside it is the same map
    assert expected[~inside].max(initial=0.0) < VISIBLE
    assert np.abs(got - expected)[inside].max() < 1e-3
    assert (x1 - x0) * (y1 - y0) < canvas[0] * canvas[1] or canvas == (800, 800)


def test_shadow_darkens_only_its_region_and_falls_below_right() -> None:
    canvas = (1200, 900)
    alpha, origin = _layer(300, 500), (450, 200)
    shadow = shadow_map(alpha, origin, canvas, ShadowSpec())
    scene = np.full((900, 1200, 3), 230, np.uint8)
    before = scene.copy()
    out = apply_shadow(scene, shadow)
    assert out is scene  # in place
    x0, y0, x1, y1 = shadow.bbox
    outside = np.ones((900, 1200), bool)
    outside[y0:y1, x0:x1] = False
    assert np.array_equal(out[outside], before[outside])
    darker = (before.astype(int) - out).max(axis=-1)
    assert darker.max() > 50  # the contact shadow under the base is dark
    ys, xs = np.nonzero(darker > 3)
    assert ys.max() > origin[1] + 500 - 5  # reaches the floor below the product
    assert xs.mean() > origin[0] + 150  # drop shadow offset to the right


def test_no_visible_shadow_is_none_and_applies_as_nothing() -> None:
    spec = ShadowSpec(contact=0.0, drop=0.0)
    shadow = shadow_map(_layer(100, 100), (50, 50), (400, 300), spec)
    assert shadow is None
    scene = np.full((300, 400, 3), 200, np.uint8)
    assert np.array_equal(apply_shadow(scene.copy(), shadow), scene)
