"""Upscaling: the Lanczos path and the packaged Real-ESRGAN (the fast animevideov3 model in tests)."""

from __future__ import annotations

import numpy as np

from shopcopilot.studio.images import save_image
from shopcopilot.studio.upscale import lanczos, upscale


def test_lanczos_enlarges_to_exact_size_and_keeps_colours(coffee) -> None:
    small = coffee[::4, ::4].copy()
    big = lanczos(small, (small.shape[1] * 3, small.shape[0] * 3))
    assert big.shape == (small.shape[0] * 3, small.shape[1] * 3, 3)
    assert abs(big.astype(float).mean() - small.astype(float).mean()) < 2.0


def test_realesrgan_enlarges_a_real_photo(coffee, studio_artifacts) -> None:
    from shopcopilot.models.upscaler import realesrgan_upscale

    small = coffee[100:164, 200:264].copy()
    out = realesrgan_upscale(small, model="animevideov3-x2")
    assert out.shape == (128, 128, 3)
    save_image(out, studio_artifacts / "upscale_realesrgan_x2.png")
    # compared with the original at 2x (downsampled back), the content is the same picture
    back = out.reshape(64, 2, 64, 2, 3).mean(axis=(1, 3))
    assert np.abs(back - small.astype(float)).mean() < 12
    exact = upscale(small, (150, 150), "realesrgan", model="animevideov3-x2")
    assert exact.shape == (150, 150, 3)
