"""Shipped product content: retail knowledge, option lexicon, categories and the everyday-goods store."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from shopcopilot.catalog.content import (
    apply_product_knowledge,
    category_names,
    everyday_store,
    has_option_translation,
    load_everyday_store,
    option_lexicon,
    option_value_from_zh,
    price_per_unit,
    product_knowledge,
    translate_option_name,
    translate_option_value,
    zh_value_index,
)
from shopcopilot.catalog.models import Category, Merchant, Product, ProductContent, Variant
from shopcopilot.errors import Conflict, InvalidInput

HAN = re.compile(r"[\u4e00-\u9fff]")


def _retail_products(retail_dir: Path) -> dict:
    return json.loads((retail_dir / "products.json").read_text(encoding="utf-8"))


def _retail_options(retail_dir: Path) -> set[tuple[str, str]]:
    return {
        (name, value)
        for product in _retail_products(retail_dir).values()
        for variant in product["variants"].values()
        for name, value in variant["options"].items()
    }


# --- retail knowledge -------------------------------------------------------------------------------------------


def test_every_retail_type_has_complete_bilingual_knowledge(retail_dir: Path) -> None:
    knowledge = product_knowledge()
    names = {p["name"] for p in _retail_products(retail_dir).values()}
    assert set(knowledge) == names
    retail_categories = category_names("retail")
    for name, entry in knowledge.items():
        assert 4 <= len(entry["features"]) <= 6, name
        assert len(entry["features_zh"]) == len(entry["features"]), name
        for field in ("description", "suits", "usage"):
            assert len(entry[field]) > 40, (name, field)
            assert HAN.search(entry[f"{field}_zh"]), (name, field)
        assert all(HAN.search(f) for f in entry["features_zh"]), name
        assert HAN.search(entry["name_zh"]), name
        assert entry["category"] in retail_categories, name
        assert entry["keywords_zh"] and any(HAN.search(k) for k in entry["keywords_zh"]), name
        assert isinstance(entry["consumable"], bool)
    descriptions = [entry["description"] for entry in knowledge.values()]
    assert len(set(descriptions)) == len(descriptions), "descriptions must be specific to each type"


def test_retail_categories_group_the_types() -> None:
    used = Counter(entry["category"] for entry in product_knowledge().values())
    assert 8 <= len(used) <= 14
    assert set(used) == set(category_names("retail"))


def test_every_retail_option_name_and_value_has_a_chinese_translation(retail_dir: Path) -> None:
    for name, value in _retail_options(retail_dir):
        assert HAN.search(translate_option_name(name)), name
        assert has_option_translation(name, value), (name, value)


def test_translation_depends_on_the_option() -> None:
    assert translate_option_value("color", "blue") == "蓝色"
    assert translate_option_value("material", "leather") == "皮革"
    assert translate_option_value("waterproof", "yes") == "防水"
    assert translate_option_value("size", "large") != translate_option_value("room size", "large")
    assert translate_option_value("pack size", "500 g") == "500 克"
    assert translate_option_value("pack size", "2 L") == "2 升"
    assert not has_option_translation("color", "ultraviolet-sparkle")
    assert translate_option_value("color", "ultraviolet-sparkle") == "ultraviolet-sparkle"


def test_chinese_synonyms_map_back_to_option_values(retail_dir: Path) -> None:
    assert option_value_from_zh("蓝") == "blue"
    assert option_value_from_zh("棉质") == "cotton"
    assert option_value_from_zh("真皮") == "leather"
    assert option_value_from_zh("皮") == "leather"
    assert option_value_from_zh("不存在的词") is None
    assert option_value_from_zh("防水") in {"yes", "waterproof"}
    assert zh_value_index()["紫色"] == "purple"
    values = {value for _, value in _retail_options(retail_dir)}
    assert set(option_lexicon()["synonyms_zh"].values()) & values, "synonyms must point at real option values"


# --- the everyday store -----------------------------------------------------------------------------------------


def test_everyday_store_has_300_bilingual_products_with_variants() -> None:
    products = everyday_store()["products"]
    assert len(products) >= 300
    ids = [p["id"] for p in products]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"EV-\d{4}", pid) for pid in ids)
    variant_ids = [v["id"] for p in products for v in p["variants"]]
    assert len(set(variant_ids)) == len(variant_ids)
    categories = category_names("everyday")
    for p in products:
        assert p["variants"], p["id"]
        assert p["category"] in categories, p["id"]
        assert HAN.search(p["name_zh"]), p["id"]
        assert 3 <= len(p["features"]) <= 5 and len(p["features_zh"]) == len(p["features"]), p["id"]
        for field in ("description", "suits", "usage"):
            assert p[field] and HAN.search(p[f"{field}_zh"]), (p["id"], field)
        assert p["unit"] and isinstance(p["consumable"], bool)
        for v in p["variants"]:
            assert v["price"] > 0 and v["stock"] >= 0 and v["unit_quantity"] > 0, v["id"]
            assert v["available"] or v["stock"] == 0, v["id"]
    descriptions = [p["description"] for p in products]
    assert len(set(descriptions)) == len(descriptions), "descriptions must be specific to each product"
    assert len({p["category"] for p in products}) >= 10


def test_everyday_pack_prices_are_consistent() -> None:
    """Within a product, a bigger pack of the same kind costs more in total and no more per unit."""
    checked = 0
    for p in everyday_store()["products"]:
        groups: dict[str, list[dict]] = {}
        for v in p["variants"]:
            if "pack size" not in v["options"]:
                continue
            rest = json.dumps({k: x for k, x in v["options"].items() if k != "pack size"}, sort_keys=True)
            groups.setdefault(rest, []).append(v)
        for group in groups.values():
            group.sort(key=lambda v: v["unit_quantity"])
            for small, big in zip(group, group[1:], strict=False):
                assert big["price"] > small["price"], (p["id"], small["options"], big["options"])
                assert (
                    price_per_unit(big["price"], big["unit_quantity"])
                    <= price_per_unit(small["price"], small["unit_quantity"]) + 1e-9
                ), (p["id"], small["options"], big["options"])
                checked += 1
    assert checked > 100


def test_everyday_option_values_are_translated() -> None:
    for p in everyday_store()["products"]:
        for v in p["variants"]:
            for name, value in v["options"].items():
                assert HAN.search(translate_option_name(name)), name
                assert has_option_translation(name, value), (p["id"], name, value)


def test_planners_find_candidates_for_dishes_and_occasions() -> None:
    tags = Counter(tag for p in everyday_store()["products"] for tag in p["tags"])
    for dish in ("tomato-egg", "dumplings", "hot-pot", "pasta", "curry", "birthday-cake"):
        assert tags[dish] >= 5, dish
    for occasion in ("wedding", "travel", "senior", "party", "pet"):
        assert tags[occasion] >= 10, occasion
    snacks = [p for p in everyday_store()["products"] if p["category"] == "snacks"]
    # The coupon filler tops up an order with small items: most snacks come in a pack under $5.
    cheap = [p for p in snacks if min(v["price"] for v in p["variants"]) < 5]
    assert len(snacks) >= 20 and len(cheap) >= 20


def test_price_per_unit_needs_a_quantity() -> None:
    assert price_per_unit(4.0, 200) == pytest.approx(0.02)
    assert price_per_unit(4.0, None) is None
    assert price_per_unit(4.0, 0) is None


# --- loading into the database ----------------------------------------------------------------------------------


def test_load_everyday_store_creates_rows_and_is_idempotent(empty_db) -> None:
    expected = everyday_store()["products"]
    with empty_db.session() as session:
        assert load_everyday_store(session) == len(expected)
    with empty_db.session() as session:
        merchant = session.get(Merchant, "everyday")
        assert merchant is not None and merchant.name_zh
        assert session.scalar(select(func.count()).select_from(Product)) == len(expected)
        variant_count = sum(len(p["variants"]) for p in expected)
        assert session.scalar(select(func.count()).select_from(Variant)) == variant_count
        assert session.scalar(select(func.count()).select_from(ProductContent)) == len(expected)
        first = session.get(Product, expected[0]["id"])
        assert first.merchant_id == "everyday" and first.name_zh == expected[0]["name_zh"]
        assert first.category.name_zh == category_names()[expected[0]["category"]]["name_zh"]
        assert first.content.features_zh == expected[0]["features_zh"]
        assert first.variants[0].unit_quantity == expected[0]["variants"][0]["unit_quantity"]
        # The shop changes a price; reloading must not undo it nor duplicate anything.
        first.variants[0].price = 0.5
    with empty_db.session() as session:
        load_everyday_store(session)
    with empty_db.session() as session:
        assert session.scalar(select(func.count()).select_from(Product)) == len(expected)
        assert session.get(Product, expected[0]["id"]).variants[0].price == 0.5


def test_load_everyday_store_rejects_bad_merchant_ids(empty_db) -> None:
    with pytest.raises(InvalidInput), empty_db.session() as session:
        load_everyday_store(session, merchant_id="bad id!")
    with empty_db.session() as session:
        session.add(Merchant(id="other", name="Everyday Goods Market"))
    with pytest.raises(Conflict), empty_db.session() as session:
        load_everyday_store(session)
    with empty_db.session() as session:
        assert session.scalar(select(func.count()).select_from(Product)) == 0


def test_apply_product_knowledge_on_hand_made_products(empty_db) -> None:
    with empty_db.session() as session:
        session.add(Merchant(id="retail", name="Retail store"))
        session.add_all(
            [
                Product(id="p1", merchant_id="retail", name="T-Shirt"),
                Product(id="p2", merchant_id="retail", name="Perfume"),
                Product(id="p3", merchant_id="retail", name="Mystery Gadget"),
            ]
        )
    with empty_db.session() as session:
        assert apply_product_knowledge(session) == 2
        assert apply_product_knowledge(session) == 2  # a second run updates, never duplicates
    with empty_db.session() as session:
        shirt = session.get(Product, "p1")
        assert shirt.name_zh == "T恤" and shirt.category_id == "clothing-shoes" and not shirt.consumable
        assert shirt.content.features == product_knowledge()["T-Shirt"]["features"]
        assert "短袖" in shirt.content.keywords
        assert session.get(Product, "p2").consumable
        assert session.get(Product, "p3").content is None
        assert session.scalar(select(func.count()).select_from(ProductContent)) == 2
        assert session.get(Category, "clothing-shoes").name_zh


def test_apply_product_knowledge_to_the_real_retail_store(retail_db) -> None:
    with retail_db.session() as session:
        assert apply_product_knowledge(session) == 50
    with retail_db.session() as session:
        missing = session.scalars(
            select(Product.name).where(Product.merchant_id == "retail", Product.category_id.is_(None))
        ).all()
        assert missing == []
        kettle = session.scalar(select(Product).where(Product.name == "Electric Kettle"))
        assert kettle.name_zh == "电热水壶" and kettle.content.description_zh
