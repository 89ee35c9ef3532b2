"""Import and export of the retail store: the full real data round-trips exactly, changed stores too."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from shopcopilot.catalog.models import Merchant, Product, Variant
from shopcopilot.catalog.retail_io import (
    export_retail,
    load_retail,
    load_retail_data,
    read_retail_dir,
    variant_stock,
)
from shopcopilot.cli import main
from shopcopilot.commerce.order_ops import run_operation
from shopcopilot.errors import Conflict, InvalidInput
from shopcopilot.storage.db import Database


def as_text(data: dict) -> str:
    """Key order aside, the exact JSON text: an int where the source has an int, every float's exact digits."""
    return json.dumps(data, sort_keys=True)


@pytest.fixture(scope="module")
def source(retail_dir: Path) -> dict:
    return read_retail_dir(retail_dir)


def test_load_then_export_gives_the_input(empty_db: Database, retail_dir: Path, source: dict):
    with empty_db.session() as session:
        counts = load_retail(session, retail_dir)
    assert counts == {
        "products": 50,
        "variants": 591,
        "shoppers": 500,
        "payment_methods": 695,
        "orders": 1000,
        "order_items": 2978,
        "payments": 1102,
    }
    with empty_db.session() as session:
        exported = export_retail(session)
        assert session.get(Merchant, "retail") is not None
    assert exported == source
    assert as_text(exported) == as_text(source)
    # Lists keep their order (a product's variants, a user's orders, an order's items and payments), and so
    # do the products.
    assert list(exported["products"]) == list(source["products"])


def test_cli_load_and_export_round_trip(tmp_path: Path, retail_dir: Path, source: dict, monkeypatch, capsys):
    monkeypatch.setenv("SHOPCOPILOT_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    assert main(["retail", "load", str(retail_dir)]) == 0
    assert "1000 orders" in capsys.readouterr().out
    assert main(["retail", "export", str(tmp_path / "out")]) == 0
    assert as_text(read_retail_dir(tmp_path / "out")) == as_text(source)
    assert main(["retail", "load", str(retail_dir)]) == 2  # a second load is refused, not duplicated
    assert "fresh database" in capsys.readouterr().err


def test_a_changed_store_round_trips_with_every_optional_field(retail_db: Database, empty_db: Database):
    calls = [
        ("cancel_pending_order", {"order_id": "#W3657213", "reason": "no longer needed"}),
        ("modify_pending_order_payment", {"order_id": "#W5442520", "payment_method_id": "paypal_8049766"}),
        (
            "modify_pending_order_items",
            {
                "order_id": "#W7941031",
                "item_ids": ["5917587651"],
                "new_item_ids": ["3928046918"],
                "payment_method_id": "gift_card_7794233",
            },
        ),
        (
            "exchange_delivered_order_items",
            {
                "order_id": "#W5866402",
                "item_ids": ["6242772310"],
                "new_item_ids": ["3709608322"],
                "payment_method_id": "paypal_8049766",
            },
        ),
        (
            "return_delivered_order_items",
            {"order_id": "#W6067464", "item_ids": ["9624127908"], "payment_method_id": "credit_card_4190576"},
        ),
    ]
    with retail_db.session() as session:
        for name, arguments in calls:
            run_operation(session, name, arguments)
    with retail_db.session() as session:
        changed = export_retail(session)
    assert changed["orders"]["#W3657213"]["cancel_reason"] == "no longer needed"
    assert changed["orders"]["#W5866402"]["exchange_price_difference"] == -251.33
    assert changed["orders"]["#W6067464"]["return_items"] == ["9624127908"]

    with empty_db.session() as session:
        load_retail_data(session, copy.deepcopy(changed))
    with empty_db.session() as session:
        assert as_text(export_retail(session)) == as_text(changed)


def test_stock_is_fixed_per_item_and_zero_when_unavailable(retail_db: Database):
    with retail_db.session() as session:
        variants = session.scalars(select(Variant)).all()
    assert len(variants) == 591
    for variant in variants:
        assert variant.stock == variant_stock(variant.id, variant.available)
        assert variant.stock == 0 if not variant.available else 5 <= variant.stock <= 60
    assert len({variant.stock for variant in variants if variant.available}) > 20


def test_loading_into_a_store_that_has_it_is_refused(retail_db: Database, retail_dir: Path):
    with pytest.raises(Conflict, match="fresh database"), retail_db.session() as session:
        load_retail(session, retail_dir)


def test_order_lists_must_agree_with_the_orders(empty_db: Database, source: dict):
    data = copy.deepcopy(source)
    order_id = data["users"]["olivia_ito_3591"]["orders"].pop()
    data["users"]["omar_silva_7446"]["orders"].append(order_id)
    with pytest.raises(InvalidInput, match=order_id), empty_db.session() as session:
        load_retail_data(session, data)


def test_a_folder_without_the_store_is_refused(empty_db: Database, tmp_path: Path):
    with pytest.raises(InvalidInput, match="products.json"), empty_db.session() as session:
        load_retail(session, tmp_path)


def test_export_holds_only_the_retail_merchants_products(retail_db: Database, source: dict):
    with retail_db.session() as session:
        session.add(Merchant(id="elsewhere", name="Elsewhere"))
        session.flush()
        session.add(Product(id="elsewhere-1", merchant_id="elsewhere", name="Lamp"))
    with retail_db.session() as session:
        assert export_retail(session)["products"] == source["products"]
