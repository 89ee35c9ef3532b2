"""Scenario planners: templates as data, products that really fit each step, the budget kept, honest gaps."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from shopcopilot.api.app import create_app
from shopcopilot.catalog.models import Product, Variant
from shopcopilot.errors import InvalidInput, NotFound
from shopcopilot.shopper.planners import (
    build_plan,
    load_templates,
    match_scenarios,
    parse_budget,
    plan_block,
    plan_summary,
)

TEMPLATES = load_templates()


def _fits(item_spec: dict, product: Product) -> bool:
    if item_spec.get("categories") and product.category_id not in item_spec["categories"]:
        return False
    names = [n.lower() for n in item_spec.get("names", [])]
    keywords = {k.lower() for k in (product.content.keywords if product.content else [])}
    return any(n in product.name.lower() or n in (product.name_zh or "") for n in names) or bool(
        keywords & {t.lower() for t in item_spec.get("tags", [])}
    )


def test_shipped_templates_cover_the_scenarios() -> None:
    kinds = {t["kind"] for t in TEMPLATES.values()}
    assert {"wedding", "trip", "senior", "daily", "dish"} <= kinds
    assert {
        "trip_camping",
        "trip_beach",
        "trip_business",
        "daily_mould",
        "daily_cold",
        "daily_moving",
        "dish_tomato_egg",
        "dish_dumplings",
        "dish_hot_pot",
        "dish_pasta",
        "dish_curry",
        "dish_birthday_cake",
        "wedding",
        "senior",
    } <= set(TEMPLATES)
    for template in TEMPLATES.values():
        assert template["title"]["en"] and template["title"]["zh"] and template["aliases"]["zh"]


@pytest.mark.parametrize("scenario", sorted(TEMPLATES))
def test_every_plan_fits_its_steps_and_budget(chat_db, scenario: str) -> None:
    with chat_db.session() as session:
        plan = build_plan(session, scenario)
        template = TEMPLATES[scenario]
        assert plan["total"] <= plan["budget"] + 1e-9
        assert plan["total"] == pytest.approx(sum(s["spent"] for s in plan["sections"]))
        for section, step in zip(plan["sections"], template["steps"], strict=True):
            assert section["spent"] <= section["budget"] + 1e-9
            for item, spec in zip(section["items"], step["items"], strict=True):
                if item["status"] != "ok":
                    continue
                product = session.get(Product, item["product_id"])
                variant = session.get(Variant, item["variant_id"])
                assert _fits(spec, product), (scenario, item)
                assert variant.available and variant.product_id == product.id
                assert variant.price == pytest.approx(item["price"])
        chosen = [p["product_id"] for p in plan["add_all"]]
        assert len(chosen) == len(set(chosen))
        block = plan_block(plan, "en").to_dict()
        assert block["type"] == "plan" and len(block["steps"]) == len(template["steps"])
        assert [i["variant_id"] for i in block["actions"][0]["items"]] == [
            p["variant_id"] for p in plan["add_all"]
        ]


def test_senior_guide_is_simple_and_does_not_upsell(chat_db) -> None:
    with chat_db.session() as session:
        plan = build_plan(session, "senior")
        assert plan["large_text"] is True
        assert plan_block(plan, "en").large_text is True
        for section in plan["sections"]:
            for item in section["items"]:
                if item["status"] == "ok":
                    product = session.get(Product, item["product_id"])
                    cheapest = min(v.price for v in product.variants if v.available)
                    assert item["price"] == pytest.approx(cheapest) and item["quantity"] == 1
        assert any(section["note"] for section in plan["sections"])  # safety and ease notes
        assert "simple list" in plan_summary(plan, "en")


def test_a_new_scenario_needs_only_a_file_and_gaps_are_honest(chat_db, tmp_path: Path) -> None:
    template = {
        "id": "picnic",
        "kind": "daily",
        "title": {"en": "Picnic", "zh": "野餐"},
        "aliases": {"en": ["picnic"], "zh": ["野餐"]},
        "default_budget": 20,
        "steps": [
            {
                "title": {"en": "Food", "zh": "吃的"},
                "share": 1.0,
                "items": [
                    {
                        "need": {"en": "potato chips", "zh": "薯片"},
                        "names": ["potato chips"],
                        "categories": ["snacks"],
                    },
                    {"need": {"en": "unicorn saddle", "zh": "独角兽鞍"}, "names": ["unicorn saddle"]},
                    {"need": {"en": "electric hot pot", "zh": "电火锅"}, "names": ["electric hot pot"]},
                ],
            }
        ],
    }
    (tmp_path / "picnic.json").write_text(json.dumps(template), encoding="utf-8")
    templates = load_templates(tmp_path)
    assert match_scenarios("let's have a picnic on Sunday", templates) == ["picnic"]
    with chat_db.session() as session:
        plan = build_plan(session, "picnic", templates=templates, language="zh")
    statuses = [item["status"] for item in plan["sections"][0]["items"]]
    assert statuses == ["ok", "missing", "over_budget"]  # the hot pot costs more than what is left of 20
    assert plan["missing"] == ["独角兽鞍"]
    assert "独角兽鞍" in plan_summary(plan, "zh")
    assert "店内没有匹配的商品" in plan_block(plan, "zh").steps[0]


def test_scenario_matching_and_budget_parsing() -> None:
    assert match_scenarios("I want to plan a camping trip", TEMPLATES) == ["trip_camping"]
    assert sorted(match_scenarios("plan a trip for me", TEMPLATES)) == [
        "trip_beach",
        "trip_business",
        "trip_camping",
    ]
    assert match_scenarios("帮我准备西红柿炒鸡蛋", TEMPLATES) == ["dish_tomato_egg"]
    assert match_scenarios("show me headphones", TEMPLATES) == []
    assert parse_budget("a wedding with a budget of $250") == 250.0
    assert parse_budget("预算300元") == 300.0
    assert parse_budget("plan a wedding") is None


def test_bad_input_and_api(chat_db) -> None:
    with chat_db.session() as session:
        with pytest.raises(NotFound):
            build_plan(session, "no_such_plan")
        with pytest.raises(InvalidInput):
            build_plan(session, "wedding", budget=-5)
    with TestClient(create_app(chat_db)) as client:
        listing = client.get("/v1/plans").json()
        assert {p["id"] for p in listing} == set(TEMPLATES)
        made = client.post("/v1/plans", json={"scenario": "dish_hot_pot", "budget": 60, "language": "zh"})
        assert made.status_code == 200
        body = made.json()
        assert body["total"] <= 60 and body["block"]["type"] == "plan" and body["block"]["actions"]
        assert client.post("/v1/plans", json={"scenario": "nope"}).status_code == 404
        assert client.post("/v1/plans", json={"scenario": "wedding", "budget": 0}).status_code == 422
