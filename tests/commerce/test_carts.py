"""Cart rules, called directly (no HTTP)."""

from __future__ import annotations

import pytest

from mini_store import build_mini_store
from shopcopilot.commerce import carts
from shopcopilot.commerce.models import BrowsingEvent
from shopcopilot.errors import Conflict, InvalidInput, NotFound
from shopcopilot.storage.db import Database


@pytest.fixture
def db(empty_db: Database) -> Database:
    build_mini_store(empty_db)
    return empty_db


def test_add_merges_lines_and_view_prices_them(db: Database) -> None:
    with db.session() as s:
        carts.add_line(s, "alice_1", "v1", 2)
        carts.add_line(s, "alice_1", "v3", 1)
        carts.add_line(s, "alice_1", "v1", 1)
    with db.session() as s:
        view = carts.cart_view(s, "alice_1")
        events = s.query(BrowsingEvent).filter_by(shopper_id="alice_1", kind="add_to_cart").count()
    assert [(line["variant_id"], line["quantity"]) for line in view["lines"]] == [("v1", 3), ("v3", 1)]
    first = view["lines"][0]
    assert first["line_total"] == pytest.approx(300.0)
    assert first["merchant_id"] == "m1" and first["options"] == {"color": "black"}
    assert view["subtotal"] == pytest.approx(304.5)
    assert view["item_count"] == 4
    assert events == 3


@pytest.mark.parametrize("quantity", [0, -1, 100, 10**9, True, "2", 1.5, None])
def test_bad_quantities_are_rejected(db: Database, quantity) -> None:
    with pytest.raises(InvalidInput), db.session() as s:
        carts.add_line(s, "alice_1", "v1", quantity)
    with db.session() as s:
        assert carts.cart_view(s, "alice_1")["lines"] == []


def test_line_total_is_capped(db: Database) -> None:
    with db.session() as s:
        carts.add_line(s, "alice_1", "v1", 60)
    with pytest.raises(InvalidInput), db.session() as s:
        carts.add_line(s, "alice_1", "v1", 40)
    with db.session() as s:
        assert carts.cart_view(s, "alice_1")["lines"][0]["quantity"] == 60


def test_availability_and_stock(db: Database) -> None:
    with pytest.raises(Conflict) as unavailable, db.session() as s:
        carts.add_line(s, "alice_1", "v2", 1)
    assert unavailable.value.code == "variant_unavailable"
    with pytest.raises(Conflict) as short, db.session() as s:
        carts.add_line(s, "alice_1", "v3", 6)  # stock is 5
    assert short.value.code == "insufficient_stock"
    with db.session() as s:
        carts.add_line(s, "alice_1", "v3", 5)
    with pytest.raises(Conflict), db.session() as s:
        carts.update_line(s, "alice_1", "v3", 6)


def test_update_and_remove(db: Database) -> None:
    with db.session() as s:
        carts.add_line(s, "alice_1", "v1", 1)
        carts.update_line(s, "alice_1", "v1", 7)
    with db.session() as s:
        assert carts.cart_view(s, "alice_1")["lines"][0]["quantity"] == 7
        carts.remove_line(s, "alice_1", "v1")
    with db.session() as s:
        assert carts.cart_view(s, "alice_1")["lines"] == []
    with pytest.raises(NotFound), db.session() as s:
        carts.remove_line(s, "alice_1", "v1")
    with pytest.raises(NotFound), db.session() as s:
        carts.update_line(s, "alice_1", "v4", 1)


def test_unknown_ids(db: Database) -> None:
    with pytest.raises(NotFound) as variant, db.session() as s:
        carts.add_line(s, "alice_1", "no-such-variant", 1)
    assert variant.value.code == "variant_not_found"
    with pytest.raises(NotFound), db.session() as s:
        carts.add_line(s, "nobody", "v1", 1)


def test_carts_are_per_shopper(db: Database) -> None:
    with db.session() as s:
        carts.add_line(s, "alice_1", "v1", 1)
    with db.session() as s:
        assert carts.cart_view(s, "bob_2")["lines"] == []
    with pytest.raises(NotFound), db.session() as s:
        carts.remove_line(s, "bob_2", "v1")
    with db.session() as s:
        assert len(carts.cart_view(s, "alice_1")["lines"]) == 1
