"""The transaction flow on real tables: preview -> confirm -> audit -> undo, and its refusals."""

from __future__ import annotations

import pytest

from mini_store import build_mini_store
from shopcopilot.catalog.models import Variant
from shopcopilot.commerce.models import Coupon, ShopperCoupon
from shopcopilot.errors import Conflict, InvalidInput, NotFound
from shopcopilot.merchant import audit
from shopcopilot.merchant.models import MerchantOperation


@pytest.fixture
def store(empty_db):
    build_mini_store(empty_db)
    return empty_db


def _prices(db, *ids):
    with db.session() as s:
        return [s.get(Variant, i).price for i in ids]


def test_price_change_preview_confirm_audit_undo(store):
    with store.session() as s:
        preview, row = audit.preview_operation(
            s, "m1", "change_prices", {"scope": {"product": "headphones"}, "percent": 10}
        )
        op_id = row.id
    assert {d["id"]: d["after"] for d in preview.diff} == {"v1": 110.0, "v2": 121.0, "v5": 104.5}
    assert _prices(store, "v1", "v2", "v5") == [100.0, 110.0, 95.0]  # a preview changes nothing

    with store.session() as s:
        audit.confirm_operation(s, "m1", op_id)
    assert _prices(store, "v1", "v2", "v5") == [110.0, 121.0, 104.5]
    with store.session() as s:
        logged = s.get(MerchantOperation, op_id)
        assert logged.status == "applied" and logged.applied_at is not None
        assert logged.undo["variants"]["v1"] == {"before": 100.0, "after": 110.0}
        with pytest.raises(Conflict):
            audit.confirm_operation(s, "m1", op_id)  # applied once only

    with store.session() as s:
        audit.undo_operation(s, "m1", op_id)
    assert _prices(store, "v1", "v2", "v5") == [100.0, 110.0, 95.0]
    with store.session() as s:
        assert s.get(MerchantOperation, op_id).status == "undone"
        assert s.get(Variant, "v3").price == 4.5  # the other store's product was never touched


def test_stale_preview_is_refused(store):
    with store.session() as s:
        _, row = audit.preview_operation(s, "m1", "set_stock", {"scope": {"variant_ids": ["v1"]}, "stock": 7})
        op_id = row.id
    with store.session() as s:
        s.get(Variant, "v1").stock = 3  # someone changed it after the preview
    with store.session() as s, pytest.raises(Conflict):
        audit.confirm_operation(s, "m1", op_id)
    with store.session() as s:
        assert s.get(Variant, "v1").stock == 3


def test_big_raise_is_listed_but_not_applied(store):
    with store.session() as s:
        preview, row = audit.preview_operation(
            s, "m1", "change_prices", {"scope": {"variant_ids": ["v4"]}, "percent": 60}
        )
        assert preview.diff == [] and preview.rejected[0]["id"] == "v4"
        audit.confirm_operation(s, "m1", row.id)
    assert _prices(store, "v4") == [30.0]


def test_other_stores_rows_are_not_found(store):
    with store.session() as s:
        with pytest.raises(NotFound):
            audit.preview_operation(
                s, "m1", "set_availability", {"scope": {"variant_ids": ["v3"]}, "available": False}
            )
        _, row = audit.preview_operation(s, "m2", "set_stock", {"scope": {"variant_ids": ["v3"]}, "stock": 9})
        op_id = row.id
    with store.session() as s, pytest.raises(NotFound):
        audit.confirm_operation(s, "m1", op_id)


def test_coupon_rules_and_undo(store):
    with store.session() as s:
        with pytest.raises(InvalidInput):
            audit.preview_operation(
                s, "m1", "create_coupon", {"kind": "spend_save", "threshold": 20, "amount": 15}
            )
        with pytest.raises(InvalidInput):
            audit.preview_operation(s, "m1", "create_coupon", {"kind": "percent", "percent": 40})
        _, row = audit.preview_operation(
            s,
            "m1",
            "create_coupon",
            {"kind": "spend_save", "threshold": 200, "amount": 20, "category": "audio"},
        )
        applied = audit.confirm_operation(s, "m1", row.id)
        coupon_id, op_id = applied.undo["coupon_id"], row.id
    with store.session() as s:
        coupon = s.get(Coupon, coupon_id)
        assert (coupon.merchant_id, coupon.category_id, coupon.threshold, coupon.amount) == (
            "m1",
            "audio",
            200,
            20,
        )
        s.add(ShopperCoupon(shopper_id="alice_1", coupon_id=coupon_id))  # claimed: may only be ended early
    with store.session() as s:
        _, restored = audit.undo_operation(s, "m1", op_id)
        assert "ended early" in restored[0]["note"]
    with store.session() as s:
        assert s.get(Coupon, coupon_id) is not None


def test_availability_preview_warns_about_pending_orders(store):
    with store.session() as s:
        preview, _ = audit.preview_operation(
            s, "m1", "set_availability", {"scope": {"variant_ids": ["v1"]}, "available": False}
        )
    assert "#W1000001" in preview.warnings[0]


def test_list_orders_shows_only_own_items(store):
    with store.session() as s:
        preview, row = audit.preview_operation(s, "m1", "list_orders", {"status": "pending"})
    assert row is None and preview.read_only
    assert [o["order_id"] for o in preview.result["orders"]] == ["#W1000001"]
