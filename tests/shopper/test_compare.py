"""Help me choose: the comparison table, price per unit, pros and cons for a need, and the verdict."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from shopcopilot.api.app import create_app
from shopcopilot.api.auth import mint_token
from shopcopilot.catalog.models import Product
from shopcopilot.errors import InvalidInput, NotFound
from shopcopilot.shopper.compare import compare_products, verdict_text


def _id(session, name: str) -> str:
    return session.scalar(select(Product.id).where(Product.name == name))


def _row(result: dict, attribute: str) -> dict:
    return next(row for row in result["rows"] if row["attribute"] == attribute)


def test_same_category_comparison_with_a_need(chat_db) -> None:
    with chat_db.session() as session:
        kettle, espresso = _id(session, "Electric Kettle"), _id(session, "Espresso Machine")
        result = compare_products(session, [kettle, espresso], need="making coffee every morning")
        products = [session.get(Product, pid) for pid in (kettle, espresso)]
        assert result["same_category"] is True
        assert _row(result, "category")["kind"] == "shared"
        for value, product in zip(_row(result, "price")["values"], products, strict=True):
            prices = [v.price for v in product.variants if v.available]
            assert f"${min(prices):,.2f}" in value and f"${max(prices):,.2f}" in value
        assert _row(result, "capacity")["kind"] == "shared"  # both come in 1L, 1.5L and 2L
        assert _row(result, "pressure")["kind"] == "only some"
        assert all(
            row["attribute"] != "price per unit" for row in result["rows"]
        )  # machines are not sold by the litre
        assert result["verdict"]["product_id"] == espresso
        assert any("coffee" in pro for pro in result["pros"][espresso])
        assert "Espresso Machine" in verdict_text(result, "en")


def test_cross_category_with_price_per_unit_and_a_budget_need(chat_db) -> None:
    with chat_db.session() as session:
        kettle, chips = _id(session, "Electric Kettle"), _id(session, "Sea Salt Potato Chips")
        result = compare_products(session, [kettle, chips], need="something cheap", language="zh")
        assert result["same_category"] is False and _row(result, "类目")["kind"] == "differs"
        per_unit = _row(result, "单价")["values"]
        assert per_unit[0] == "-"
        chips_row = session.get(Product, chips)
        best = min(v.price / (v.unit_quantity / 1000) for v in chips_row.variants if v.available)
        assert per_unit[1] == f"${best:,.2f}/kg"
        assert result["verdict"]["product_id"] == chips  # cheapest wins a budget need
        assert any("不同品类" in reason for reason in result["verdict"]["reasons"])


def test_bad_input_is_refused(chat_db) -> None:
    with chat_db.session() as session:
        kettle = _id(session, "Electric Kettle")
        with pytest.raises(InvalidInput):
            compare_products(session, [kettle])
        with pytest.raises(InvalidInput):
            compare_products(session, [kettle, kettle])
        with pytest.raises(NotFound):
            compare_products(session, [kettle, "no-such-product"])


def test_compare_api(chat_db) -> None:
    with chat_db.session() as session:
        ids = [_id(session, "Electric Kettle"), _id(session, "Tea Kettle")]
    with TestClient(create_app(chat_db)) as client:
        token = {"Authorization": f"Bearer {mint_token('shopper', 'ava_moore_2033')}"}
        ok = client.post("/v1/compare", json={"product_ids": ids, "need": "boil water"}, headers=token)
        assert ok.status_code == 200 and ok.json()["verdict"]["product_id"] in ids
        assert client.post("/v1/compare", json={"product_ids": ids[:1]}).status_code == 422
        assert client.post("/v1/compare", json={"product_ids": [ids[0], "nope"]}).status_code == 404
        assert client.post("/v1/compare", json={"product_ids": ids, "extra": 1}).status_code == 422


@pytest.mark.parametrize("language", ["en", "zh"])
def test_an_option_named_features_does_not_repeat_a_row(chat_db, language: str) -> None:
    with chat_db.session() as session:
        ids = [_id(session, "Coffee Maker"), _id(session, "Air Purifier")]
        result = compare_products(session, ids, language=language)
    attributes = [row["attribute"] for row in result["rows"]]
    assert len(attributes) == len(set(attributes)), attributes
    if language == "zh":
        assert "features" not in attributes and "capacity" not in attributes  # named through the lexicon
