"""Scenario planners: templates as data, products that really fit each step, the budget kept, honest gaps."""

from __future__ import annotations

import json
import re
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
        "dish_mapo_tofu",
        "dish_fried_rice",
        "dish_braised_ribs",
        "daily_clogged_drain",
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


# Per scenario, the store product each need resolves to; None: the store does not sell it, and the plan says so.
WOK = {"wok or frying pan": "Non-Stick Frying Pan"}
SCENARIO_PICKS = {
    "dish_mapo_tofu": {
        "tofu (silken or firm)": "Silken Tofu",
        "ground pork": "Ground Pork",
        "scallions": "Scallions",
        "garlic": "Garlic Bulbs",
        "fresh ginger": "Fresh Ginger",
        "chili bean paste (doubanjiang)": None,
        "Sichuan peppercorns": "Sichuan Peppercorns",
        "chili crisp oil": "Chili Crisp Oil",
        "light soy sauce": "Light Soy Sauce",
        "cooking oil": "Peanut Oil",
        **WOK,
        "spatula": "Wok Spatula",
    },
    "dish_fried_rice": {
        "jasmine rice": "Jasmine Rice",
        "eggs": "Free-Range Eggs",
        "scallions": "Scallions",
        "carrots or sweet corn": "Carrots",
        "soy sauce": "Light Soy Sauce",
        "cooking oil": "Peanut Oil",
        "salt": "Table Salt",
        **WOK,
    },
    "dish_braised_ribs": {
        "pork ribs": "Pork Ribs",
        "fresh ginger": "Fresh Ginger",
        "scallions": "Scallions",
        "light soy sauce": "Light Soy Sauce",
        "dark soy sauce": "Dark Soy Sauce",
        "sugar": "White Sugar",
        "cooking oil": "Peanut Oil",
        "pot with a lid or a wok": "Stockpot with Lid",
    },
    "daily_clogged_drain": {
        "rubber gloves": "Rubber Gloves",
        "drain clog remover": "Drain Clog Remover",
        "drain hair catcher": "Drain Hair Catcher",
    },
}


@pytest.mark.parametrize("scenario", sorted(SCENARIO_PICKS))
def test_kitchen_and_home_scenarios_resolve_to_the_products_they_name(chat_db, scenario: str) -> None:
    with chat_db.session() as session:
        plan = build_plan(session, scenario)
        plan_zh = build_plan(session, scenario, language="zh")
    items = [item for section in plan["sections"] for item in section["items"]]
    assert {item["need"]: item.get("name") for item in items} == SCENARIO_PICKS[scenario]
    assert plan["missing"] == [need for need, name in SCENARIO_PICKS[scenario].items() if name is None]
    # The default budget buys every item the store sells.
    assert all(item["status"] in {"ok", "missing"} for item in items)
    assert all(any(i["status"] == "ok" for i in section["items"]) for section in plan["sections"])
    items_zh = [item for section in plan_zh["sections"] for item in section["items"]]
    assert [i.get("product_id") for i in items_zh] == [i.get("product_id") for i in items]
    assert all(re.search(r"[\u4e00-\u9fff]", i["need"]) for i in items_zh)
    assert re.search(r"[\u4e00-\u9fff]", plan_zh["title"]) and plan_zh["total"] == plan["total"]


def test_a_missing_essential_is_reported_and_the_drain_plan_warns_about_mixing(chat_db) -> None:
    with chat_db.session() as session:
        mapo = build_plan(session, "dish_mapo_tofu")
        mapo_zh = build_plan(session, "dish_mapo_tofu", language="zh")
        drain = build_plan(session, "daily_clogged_drain")
        drain_zh = build_plan(session, "daily_clogged_drain", language="zh")
    assert "Not sold here: chili bean paste (doubanjiang)" in plan_summary(mapo, "en")
    assert "店里没有：郫县豆瓣酱" in plan_summary(mapo_zh, "zh")
    # What the store has can still be bought in one go.
    assert plan_block(mapo, "en").actions[0]["type"] == "add_all_to_cart"
    assert "never mix it with other cleaners" in " ".join(plan_block(drain, "en").notes)
    assert "切勿与其他清洁剂" in "".join(plan_block(drain_zh, "zh").notes)


@pytest.mark.parametrize(
    ("text", "scenario"),
    [
        ("how do I make mapo tofu", "dish_mapo_tofu"),
        ("今晚想做麻婆豆腐", "dish_mapo_tofu"),
        ("egg fried rice for two", "dish_fried_rice"),
        ("做蛋炒饭需要什么", "dish_fried_rice"),
        ("炒饭的食材", "dish_fried_rice"),
        ("braised pork ribs for dinner", "dish_braised_ribs"),
        ("红烧排骨怎么做", "dish_braised_ribs"),
        ("my kitchen drain is clogged", "daily_clogged_drain"),
        ("the shower has a clog", "daily_clogged_drain"),
        ("help, blocked sink", "daily_clogged_drain"),
        ("我家下水道堵了", "daily_clogged_drain"),
        ("卫生间地漏不下水", "daily_clogged_drain"),
        ("管子又堵了", "daily_clogged_drain"),
        ("怎么疏通", "daily_clogged_drain"),
        ("shopping for my 80 year old grandma", "senior"),
        ("gifts for my grandmother", "senior"),
        ("my elderly dad", "senior"),
        ("something for my grandfather's flat", "senior"),
        ("grandpa keeps slipping in the shower", "senior"),
        ("a birthday cake for grandma", "dish_birthday_cake"),  # the longer alias still wins
        ("my grandpa caught a cold", "daily_cold"),
    ],
)
def test_shoppers_words_select_the_scenario(text: str, scenario: str) -> None:
    assert match_scenarios(text, TEMPLATES) == [scenario]


def _aliases(scenario: str) -> list[str]:
    return [a.lower() for a in [*TEMPLATES[scenario]["aliases"]["en"], *TEMPLATES[scenario]["aliases"]["zh"]]]


def test_every_alias_selects_its_own_scenario_and_takes_no_other() -> None:
    for scenario in TEMPLATES:
        for alias in _aliases(scenario):
            found = match_scenarios(alias, TEMPLATES)
            assert scenario in found, (scenario, alias, found)
            # A tie is only between scenarios that share the very alias ("trip").
            assert all(alias in _aliases(other) for other in found), (scenario, alias, found)


def test_a_clogged_drain_in_chat_becomes_its_plan(assistant) -> None:
    english = assistant.turn("drain-en", "my kitchen drain is clogged, what do I need?").to_dict()
    chinese = assistant.turn("drain-zh", "下水道堵了怎么办").to_dict()
    for turn in (english, chinese):
        plan = next(block for block in turn["blocks"] if block["type"] == "plan")
        assert plan["scenario"] == "daily_clogged_drain" and plan["actions"]


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
