"""Merchant fixtures: photos with known colours and text (drawn by tests/product_photos.py)."""

from __future__ import annotations

import pytest

from product_photos import product_photo


@pytest.fixture
def red_bottle_photo() -> bytes:
    return product_photo()
