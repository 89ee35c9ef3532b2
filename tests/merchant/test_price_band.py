"""The price hint for a new listing, on the real retail store and on small hand-checkable stores: the store's own
products of the same type set the band; the category only fills in when the store has nothing of the type; with
nothing comparable there is no number, and the hint says so."""

from __future__ import annotations

import pytest

from shopcopilot.catalog.models import Category, Merchant, Product, Variant
from shopcopilot.merchant.price_band import band_from_prices, suggest_price_band
from shopcopilot.storage.db import Database

# the retail store's own Water Bottle: 18 variants between these prices
BOTTLE_LOW, BOTTLE_HIGH = 45.09, 54.85


def _names(band) -> list[str]:
    return [p["name"] for p in band.similar]


@pytest.mark.parametrize("product_type", ["Water Bottle", None], ids=["type-given", "query-only"])
def test_a_water_bottle_is_priced_from_the_stores_water_bottles(retail_db: Database, product_type) -> None:
    # the category is where the retail store keeps its bottle, next to a Bicycle, a Dumbbell Set, a Cycling Helmet
    with retail_db.session() as s:
        band = suggest_price_band(
            s,
            "retail",
            query="Water Bottle stainless steel 750ml",
            category_id="sports-fitness",
            product_type=product_type,
        )
    assert _names(band) == ["Water Bottle"] and band.method == "name"
    assert BOTTLE_LOW <= band.low <= band.suggested <= band.high <= BOTTLE_HIGH
    assert band.similar[0]["variants"] == 18 and band.similar[0]["match"] == "the same product type"
    assert band.basis.startswith("Priced from the same product type in your store: Water Bottle (18 variants")
    assert band.to_dict()["basis"] == band.basis


def test_the_head_noun_finds_the_same_kind_of_product(retail_db: Database) -> None:
    with retail_db.session() as s:
        kettle = suggest_price_band(s, "retail", query="kettle 1.7l", category_id="kitchen", product_type="kettle")
        bottle = suggest_price_band(s, "retail", query="glass bottle", product_type="glass bottle")
        opener = suggest_price_band(
            s, "retail", query="bottle opener", category_id="kitchen", product_type="bottle opener"
        )
        tea_set = suggest_price_band(s, "retail", query="tea set", category_id="kitchen", product_type="tea set")
        dumbbells = suggest_price_band(s, "retail", query="dumbbells", product_type="dumbbells")
    assert kettle.method == "type" and sorted(_names(kettle)) == ["Electric Kettle", "Tea Kettle"]
    # 'Set' only says how a thing is sold: a tea set is not a Dumbbell Set or a Luggage Set, dumbbells are
    assert tea_set.method == "category" and not {"Dumbbell Set", "Luggage Set"} & set(_names(tea_set))
    assert dumbbells.method == "type" and _names(dumbbells) == ["Dumbbell Set"]
    assert 91.13 <= kettle.low <= kettle.high <= 164.46
    assert bottle.method == "type" and _names(bottle) == ["Water Bottle"]
    # an opener is not a bottle: the word 'bottle' is a modifier here, so the kitchen category is the basis
    assert opener.method == "category" and "Water Bottle" not in _names(opener)


def test_a_type_the_store_lacks_falls_back_to_its_category(retail_db: Database) -> None:
    with retail_db.session() as s:
        band = suggest_price_band(
            s, "retail", query="tennis racket", category_id="sports-fitness", product_type="tennis racket"
        )
    assert band.method == "category" and len(band.similar) == 5
    assert {p["category_id"] for p in band.similar} == {"sports-fitness"}
    assert {p["match"] for p in band.similar} == {"the same category"}
    assert band.basis.startswith("Your store sells nothing of this type; priced from products in the same category")
    assert band.low is not None and band.low <= band.suggested <= band.high


def test_no_comparable_product_gives_no_number_and_says_why(retail_db: Database) -> None:
    with retail_db.session() as s:
        s.add(Category(id="boats", name="Boats"))
        lacking_category = suggest_price_band(s, "retail", query="submarine", category_id="boats")
        no_category = suggest_price_band(s, "retail", query="submarine", product_type="submarine")
        empty_store = suggest_price_band(s, "nobody", query="Water Bottle", category_id="sports-fitness")
    for band in (lacking_category, no_category, empty_store):
        assert (band.low, band.suggested, band.high, band.similar, band.method) == (None, None, None, [], "none")
        assert band.basis.startswith("No basis for a price: your store sells nothing of this type")
    assert "nothing in its category (boats)" in lacking_category.basis
    assert "its category is unknown" in no_category.basis


@pytest.fixture
def small_store(empty_db: Database) -> Database:
    """Kettles in two categories, earphones with Chinese names, and a product without a price."""
    with empty_db.session() as s:
        s.add(Merchant(id="shop", name="Shop"))
        s.add_all([Category(id="kitchen", name="Kitchen"), Category(id="outdoor", name="Outdoor")])
        s.add(Category(id="audio", name="Audio"))
        s.flush()
        rows = [
            ("camp", "Camping Kettle", None, "outdoor", (20.0, 24.0)),
            ("elec", "Electric Kettle", None, "kitchen", (60.0, 70.0, 80.0)),
            ("buds", "Wireless Earbuds", "无线耳机", "audio", (100.0,)),
            ("cans", "Headphones", "头戴式耳机（有线）", "audio", (300.0, 320.0)),
            ("tee", "T-Shirt", "T恤", None, (15.0,)),
            ("free", "Sample Kettle", None, "kitchen", ()),
        ]
        for position, (pid, name, name_zh, category, prices) in enumerate(rows):
            s.add(
                Product(
                    id=pid, merchant_id="shop", name=name, name_zh=name_zh, category_id=category, position=position
                )
            )
            s.flush()
            for n, price in enumerate(prices):
                s.add(Variant(id=f"{pid}{n}", product_id=pid, price=price, options={"n": str(n)}))
    return empty_db


def test_the_category_orders_products_of_the_same_type(small_store: Database) -> None:
    with small_store.session() as s:
        kitchen = suggest_price_band(s, "shop", query="kettle", category_id="kitchen", product_type="kettle")
        outdoor = suggest_price_band(s, "shop", query="kettle", category_id="outdoor", product_type="kettle")
    # both kettles are the basis either way (the type dominates); the category only decides which comes first;
    # a kettle without a price is no basis
    assert _names(kitchen) == ["Electric Kettle", "Camping Kettle"]
    assert _names(outdoor) == ["Camping Kettle", "Electric Kettle"]
    assert (kitchen.low, kitchen.suggested, kitchen.high) == (outdoor.low, outdoor.suggested, outdoor.high)


def test_chinese_names_match_by_name_and_by_their_ending(small_store: Database) -> None:
    with small_store.session() as s:
        bluetooth = suggest_price_band(s, "shop", query="蓝牙耳机", product_type="蓝牙耳机")
        wired = suggest_price_band(s, "shop", query="头戴式耳机 黑色", category_id="audio")
        tee = suggest_price_band(s, "shop", query="纯棉T恤")
    assert bluetooth.method == "type" and _names(bluetooth) == ["Wireless Earbuds", "Headphones"]
    assert wired.method == "name" and _names(wired) == ["Headphones"]  # the bracketed note is not in the name
    assert tee.method == "name" and _names(tee) == ["T-Shirt"] and tee.suggested == 15.0


def test_each_product_counts_once_in_the_band() -> None:
    # one product with ten variants at 10, one with a single variant at 100: the median is between the products
    many_cheap = [10.0] * 10
    prices = many_cheap + [100.0]
    assert band_from_prices(prices)[1] == 10.0
    assert band_from_prices(prices, [0.1] * 10 + [1.0]) == (10.0, 55.0, 100.0)
    assert band_from_prices([42.0]) == (42.0, 42.0, 42.0)
    assert band_from_prices([]) is None


def test_the_search_engine_orders_the_category_but_never_outranks_the_type(retail_db: Database, tmp_path) -> None:
    from shopcopilot.catalog.search.hybrid import SearchEngine
    from shopcopilot.models.embedder import get_embedder

    engine = SearchEngine(retail_db, embedder=get_embedder(), index_dir=tmp_path / "index")
    with retail_db.session() as s:
        bottle = suggest_price_band(
            s, "retail", query="Water Bottle stainless steel 750ml", category_id="sports-fitness",
            product_type="Water Bottle", search_engine=engine,
        )  # fmt: skip
        racket = suggest_price_band(
            s, "retail", query="tennis racket", category_id="sports-fitness", search_engine=engine
        )
        anything = suggest_price_band(s, "retail", query="something to keep drinks cold", search_engine=engine)
    assert _names(bottle) == ["Water Bottle"] and BOTTLE_LOW <= bottle.suggested <= BOTTLE_HIGH
    assert racket.method == "category" and {p["category_id"] for p in racket.similar} == {"sports-fitness"}
    assert anything.method == "search" and anything.basis.startswith("Your store sells nothing of this type and")
    assert anything.similar and {p["match"] for p in anything.similar} == {"the nearest by search"}
