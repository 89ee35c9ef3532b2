"""The cutout: one warm u2netp session per process, the input prepared as the model expects, the product found."""

from __future__ import annotations

import numpy as np
import pytest

from shopcopilot.errors import InvalidInput
from shopcopilot.models.cutout_model import INPUT_SIZE, cutout_model, session_options
from shopcopilot.studio.cutout import cut_out
from shopcopilot.studio.images import LoadedImage


def test_one_session_is_created_and_reused() -> None:
    assert cutout_model() is cutout_model()
    assert cutout_model().session is cutout_model().session
    options = session_options()
    assert 1 <= options.intra_op_num_threads <= 2 and options.inter_op_num_threads == 1
    assert options.get_session_config_entry("session.intra_op.allow_spinning") == "0"


def test_prepared_input_matches_the_textbook_normalisation(coffee) -> None:
    """(x / max - mean) / std in float64, NCHW: what rembg feeds u2netp; ours is the same tensor in float32."""
    import cv2

    model = cutout_model()
    small = cv2.resize(coffee, (INPUT_SIZE, INPUT_SIZE), interpolation=cv2.INTER_AREA).astype(np.float64)
    small /= small.max()
    tensor = ((small - (0.485, 0.456, 0.406)) / (0.229, 0.224, 0.225)).transpose(2, 0, 1)[None]
    pred = model.session.run(None, {model.input_name: tensor.astype(np.float32)})[0][0, 0]
    expected = (pred - pred.min()) / (pred.max() - pred.min())
    got = model.predict_small(coffee)
    assert got.dtype == np.float32 and got.shape == (INPUT_SIZE, INPUT_SIZE)
    assert np.abs(got - expected).max() < 1e-4


def test_cutout_finds_the_product_and_refuses_an_empty_photo(label_photo) -> None:
    cutout = cut_out(LoadedImage(np.asarray(label_photo).copy(), None, "PNG", "RGB"))
    x0, y0, x1, y1 = cutout.bbox
    # the blue box spans x 28%-72%, y 16%-86% of the 640x480 photo
    assert abs(x0 - 179) < 12 and abs(x1 - 461) < 12 and abs(y0 - 77) < 12 and abs(y1 - 413) < 12
    assert cutout.core[240, 320] and not cutout.core[10, 10]
    with pytest.raises(InvalidInput) as err:
        cut_out(LoadedImage(np.zeros((64, 64, 3), np.uint8), np.zeros((64, 64), np.uint8), "PNG", "RGBA"))
    assert err.value.code == "no_subject"
