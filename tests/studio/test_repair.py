"""Detail repair removes dust from the background and never touches the product."""

from __future__ import annotations

import numpy as np

from shopcopilot.studio.images import save_image
from shopcopilot.studio.repair import remove_blemishes


def test_dust_is_removed_from_background_only(studio_artifacts) -> None:
    rng = np.random.default_rng(3)
    image = np.full((300, 400, 3), 220, np.uint8)
    image += rng.integers(0, 4, image.shape, dtype=np.uint8)
    protect = np.zeros((300, 400), bool)
    protect[100:200, 150:250] = True
    image[protect] = (40, 60, 140)
    dust = [(30, 30), (250, 60), (60, 350), (280, 390), (150, 200)]  # the last one sits on the product
    for y, x in dust:
        image[max(0, y - 1) : y + 2, max(0, x - 1) : x + 2] = 35
    result = remove_blemishes(image, protect)
    save_image(np.hstack([image, result.rgb]), studio_artifacts / "repair_before_after.png")
    for y, x in dust[:-1]:
        assert result.rgb[y, x].min() > 180, (y, x)
    assert result.specks >= 4
    assert np.array_equal(result.rgb[protect], image[protect])  # the product, speck included, is untouched
    assert not result.repaired_mask[protect].any()


def test_clean_background_is_left_alone() -> None:
    image = np.full((120, 160, 3), 200, np.uint8)
    result = remove_blemishes(image)
    assert result.specks == 0 and np.array_equal(result.rgb, image)
