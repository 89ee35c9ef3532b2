"""Filters: each changes the look in its direction."""

from __future__ import annotations

import numpy as np
import pytest

from shopcopilot.errors import InvalidInput
from shopcopilot.studio.filters import FILTERS, apply_filter


@pytest.fixture
def sample(coffee) -> np.ndarray:
    return coffee[::2, ::2].copy()


def test_filters_move_the_look(sample: np.ndarray) -> None:
    out = {name: apply_filter(sample, name).astype(float) for name in FILTERS}
    src = sample.astype(float)
    warmth = lambda img: (img[..., 0] - img[..., 2]).mean()  # noqa: E731
    assert warmth(out["warm"]) > warmth(src) > warmth(out["cool"])
    assert np.abs(out["mono"][..., 0] - out["mono"][..., 2]).max() == 0
    saturation = lambda img: (img.max(-1) - img.min(-1)).mean()  # noqa: E731
    assert saturation(out["vivid"]) > saturation(src)
    assert out["soft"].std() < src.std()


def test_unknown_filter_is_refused(sample: np.ndarray) -> None:
    with pytest.raises(InvalidInput):
        apply_filter(sample, "sepia-ish")
