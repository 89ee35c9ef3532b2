"""Coupon reads and `coupon_discount`."""

from __future__ import annotations

from datetime import datetime

import pytest

from mini_store import build_mini_store
from shopcopilot.commerce import carts, coupons
from shopcopilot.commerce.models import Coupon
from shopcopilot.errors import NotFound
from shopcopilot.storage.db import Database

NOW = datetime(2026, 1, 1)


def _coupon(**fields) -> Coupon:
    base = dict(
        id="c", kind="spend_save", threshold=0.0, amount=0.0, percent=0.0, merchant_id=None, category_id=None
    )
    return Coupon(**(base | fields))


def _line(total: float, merchant: str = "m1", category: str | None = "audio") -> dict:
    return {"line_total": total, "merchant_id": merchant, "category_id": category}


def test_spend_save_threshold() -> None:
    coupon = _coupon(kind="spend_save", threshold=100, amount=15)
    assert coupon_discount([_line(60), _line(39.99)], coupon) == 0.0
    assert coupon_discount([_line(60), _line(40)], coupon) == 15.0


def test_percent_and_cap() -> None:
    assert coupon_discount([_line(80), _line(20)], _coupon(kind="percent", percent=12.5)) == 12.5
    # A save larger than the eligible spend cannot make the total negative.
    assert coupon_discount([_line(8)], _coupon(kind="spend_save", amount=10)) == 8.0


def test_merchant_and_category_scope() -> None:
    lines = [_line(50, "m1", "audio"), _line(30, "m1", "electronics"), _line(200, "m2", "snacks")]
    store = _coupon(kind="percent", percent=10, merchant_id="m1")
    assert coupon_discount(lines, store) == 8.0
    audio_only = _coupon(kind="spend_save", amount=5, threshold=60, category_id="audio")
    assert coupon_discount(lines, audio_only) == 0.0  # 50 of audio is under the 60 threshold
    electronics = _coupon(kind="percent", percent=10, category_id="electronics")
    assert coupon_discount(lines, electronics) == 3.0  # without the tree, only exact matches
    parents = {"audio": "electronics", "electronics": None, "snacks": None}
    assert coupons.coupon_discount(electronics, lines, parents=parents) == 8.0


def test_unit_price_lines_and_unknown_kind() -> None:
    lines = [{"unit_price": 25.0, "quantity": 4, "merchant_id": "m1", "category_id": None}]
    assert coupon_discount(lines, _coupon(kind="percent", percent=50)) == 50.0
    assert coupon_discount(lines, _coupon(kind="bogus", amount=5)) == 0.0


def coupon_discount(lines: list[dict], coupon: Coupon) -> float:
    return coupons.coupon_discount(coupon, lines)


@pytest.fixture
def db(empty_db: Database) -> Database:
    build_mini_store(empty_db)
    return empty_db


def test_valid_coupons_and_wallet(db: Database) -> None:
    with db.session() as s:
        valid = [c.id for c in coupons.valid_coupons(s, NOW)]
        m2_view = [c.id for c in coupons.valid_coupons(s, NOW, merchant_id="m2")]
        wallet = coupons.wallet(s, "alice_1", now=NOW)
    assert sorted(valid) == ["ALL-50-10", "M1-AUDIO-10PCT"]
    assert m2_view == ["ALL-50-10"]
    assert {(c["id"], c["used"], c["valid_now"]) for c in wallet} == {
        ("ALL-50-10", False, True),
        ("OLD-5", True, False),
    }
    with pytest.raises(NotFound), db.session() as s:
        coupons.wallet(s, "nobody")


def test_discount_on_a_real_cart(db: Database) -> None:
    with db.session() as s:
        carts.add_line(s, "bob_2", "v1", 1)  # 100.00, m1 audio
        carts.add_line(s, "bob_2", "v3", 2)  # 9.00, m2 snacks
        lines = carts.cart_view(s, "bob_2")["lines"]
        store_coupon = s.get(Coupon, "M1-AUDIO-10PCT")
        parents = coupons.category_parents(s)
        assert coupons.coupon_discount(store_coupon, lines, parents=parents) == 10.0
        assert coupons.coupon_discount(s.get(Coupon, "ALL-50-10"), lines) == 10.0
