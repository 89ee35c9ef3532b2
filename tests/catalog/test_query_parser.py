"""The query parser and the filter rules, on the real retail store's option vocabulary (no database needed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shopcopilot.catalog.search import SearchFilters, Vocabulary, parse_query
from shopcopilot.catalog.search.budget import parse_budget
from shopcopilot.catalog.search.filters import merge_filters, name_is_excluded, variant_matches
from shopcopilot.catalog.search.vocabulary import option_matches
from shopcopilot.errors import InvalidInput


@pytest.fixture(scope="module")
def vocabulary(retail_dir: Path) -> Vocabulary:
    products = json.loads((retail_dir / "products.json").read_text())
    options = [v["options"] for p in products.values() for v in p["variants"].values()]
    return Vocabulary.from_rows(
        options, [("apparel", "Apparel", "服装")], [p["name"] for p in products.values()]
    )


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("headphones under $200", None, 200),
        ("below 80 dollars", None, 80),
        ("200元以内的耳机", None, 200),
        ("不超过300元", None, 300),
        ("预算150", None, 150),
        ("between 50 and 80", 50, 80),
        ("from $50 to $80", 50, 80),
        ("50到80元", 50, 80),
        ("$50-$80 sneakers", 50, 80),
        ("over 100 dollars", 100, None),
        ("1000元以上的手机", 1000, None),
        ("around $100", 80, 120),
        ("200元左右", 160, 240),
        ("laptop under 2k", None, 2000),
        ("under $1,200", None, 1200),
    ],
)
def test_budgets_in_english_and_chinese(text: str, low: float | None, high: float | None) -> None:
    budget = parse_budget(text)
    assert (budget.price_min, budget.price_max) == (low, high)


@pytest.mark.parametrize(
    "text", ["dumbbell set 5-25 lbs", "charger less than 5000mAh", "6 to 8 cups coffee maker"]
)
def test_specs_are_not_prices(text: str) -> None:
    budget = parse_budget(text)
    assert budget.price_min is None and budget.price_max is None
    assert budget.remainder == text


def test_chinese_query_gives_english_catalog_values(vocabulary: Vocabulary) -> None:
    parsed = parse_query("蓝色棉质T恤 200元以内", vocabulary)
    assert parsed.language == "zh"
    assert parsed.price_max == 200
    assert parsed.options == {"color": ["blue"], "material": ["cotton"]}
    assert parsed.product_types == ["t-shirt"]
    assert {"t恤", "shirt"} <= set(parsed.terms)
    assert "blue" in parsed.translation and "t-shirt" in parsed.translation
    assert "200" not in parsed.text


def test_english_query_options_and_types(vocabulary: Vocabulary) -> None:
    parsed = parse_query("Blue cotton T-shirts under $200", vocabulary)
    assert parsed.language == "en"
    assert parsed.options == {"color": ["blue"], "material": ["cotton"]}
    assert parsed.product_types == ["t-shirt"]
    assert parsed.price_max == 200


@pytest.mark.parametrize(
    ("text", "key", "value"),
    [
        ("hiking boots not leather", "material", "leather"),
        ("laptop, no black", "color", "black"),
        ("non-leather watch", "material", "leather"),
        ("office chair without leather", "material", "leather"),
        ("不要皮的登山靴", "material", "leather"),
        ("大号背包，不要黑色", "color", "black"),
        ("不要黑色的蓝牙耳机", "color", "black"),
    ],
)
def test_negations_exclude_the_value_that_follows(
    vocabulary: Vocabulary, text: str, key: str, value: str
) -> None:
    parsed = parse_query(text, vocabulary)
    assert parsed.excluded == {key: [value]}
    assert value not in parsed.options.get(key, [])
    assert value not in parsed.text.lower()


@pytest.mark.parametrize("text", ["waterproof hiking boots", "有没有防水的登山鞋", "防水登山靴"])
def test_a_yes_no_option_named_in_the_query_asks_for_yes(vocabulary: Vocabulary, text: str) -> None:
    parsed = parse_query(text, vocabulary)
    assert parsed.options == {"waterproof": ["yes"]}
    assert parsed.product_types == ["hiking boots"]


@pytest.mark.parametrize("text", ["hiking boots, not waterproof", "不防水的登山鞋"])
def test_a_negated_yes_no_option_excludes_yes(vocabulary: Vocabulary, text: str) -> None:
    parsed = parse_query(text, vocabulary)
    assert parsed.excluded == {"waterproof": ["yes"]}
    assert "waterproof" not in parsed.options


def test_negated_word_outside_the_vocabulary_is_an_excluded_term(vocabulary: Vocabulary) -> None:
    parsed = parse_query("wireless earbuds without noise", vocabulary)
    assert parsed.excluded_terms == ["noise"]
    assert parsed.excluded == {}
    parsed = parse_query("不要耳机", vocabulary)
    assert {"headphones", "earbuds"} <= set(parsed.excluded_terms)


def test_product_type_words_are_not_option_filters(vocabulary: Vocabulary) -> None:
    # "electric" and "wireless" are option values too, but here they name the product.
    assert parse_query("electric kettle", vocabulary).options == {}
    assert parse_query("wireless earbuds", vocabulary).options == {}
    assert parse_query("wireless headphones", vocabulary).options == {"connectivity": ["wireless"]}


def test_only_values_the_catalog_has_become_filters(vocabulary: Vocabulary) -> None:
    parsed = parse_query("magenta cashmere sweater", vocabulary)
    assert parsed.options == {} and parsed.excluded == {}
    assert parse_query("no high heels", vocabulary).excluded == {}  # "high" is a value, but a common word


def test_sizes_colours_synonyms_and_stock(vocabulary: Vocabulary) -> None:
    assert parse_query("大号背包", vocabulary).options == {"size": ["l", "large"]}
    assert parse_query("white sneakers size 10", vocabulary).options == {"size": ["10"], "color": ["white"]}
    gray = parse_query("gray tee in stock", vocabulary)
    assert gray.options == {"color": ["gray", "grey"]}
    assert gray.product_types == ["t-shirt"]
    assert gray.available_only
    assert parse_query("现货的灰色T恤", vocabulary).available_only


def test_category_names_are_recognised(vocabulary: Vocabulary) -> None:
    assert parse_query("apparel under $40", vocabulary).category == "apparel"
    assert parse_query("服装", vocabulary).category == "apparel"


def test_values_under_several_option_names_share_their_last_word(vocabulary: Vocabulary) -> None:
    keys = vocabulary.value_keys()
    assert keys["blue"] == "color"  # color, dial color, lens color
    assert keys["metal"] == "material"  # band / frame / strap material, material
    assert option_matches("dial color", "color") and option_matches("Color", "color")
    assert not option_matches("colorway", "color")


def test_variant_matching_needs_one_variant_with_everything() -> None:
    filters = SearchFilters(price_max=60, options={"color": ["blue"], "material": ["cotton"]})
    assert variant_matches({"color": "Blue", "material": "cotton"}, 50.0, True, filters)
    assert not variant_matches({"color": "blue", "material": "polyester"}, 50.0, True, filters)
    assert not variant_matches({"color": "blue", "material": "cotton"}, 61.0, True, filters)
    assert not variant_matches({"material": "cotton"}, 50.0, True, filters)  # no colour: cannot confirm
    excluded = SearchFilters(excluded={"material": ["leather"]}, available_only=True)
    assert variant_matches({"band material": "metal"}, 10.0, True, excluded)
    assert not variant_matches({"band material": "leather"}, 10.0, True, excluded)
    assert not variant_matches({"band material": "metal"}, 10.0, False, excluded)


def test_excluded_terms_match_whole_words_of_the_name() -> None:
    assert name_is_excluded("Wireless Earbuds", None, ["earbuds"])
    assert not name_is_excluded("Headphones", None, ["earbuds"])
    assert name_is_excluded("Linen Tee", "亚麻短袖上衣", ["短袖"])


def test_explicit_filters_win_and_bad_ones_are_refused(vocabulary: Vocabulary) -> None:
    parsed = parse_query("blue t-shirt under $200, not polyester", vocabulary)
    merged = merge_filters(parsed, SearchFilters(price_max=50, options={"Color": ["Red"]}), merchant_id="m1")
    assert merged.price_max == 50
    assert merged.options == {"color": ["red"]}
    assert merged.excluded == {"material": ["polyester"]}
    assert merged.merchant_id == "m1"
    with pytest.raises(InvalidInput):
        merge_filters(parsed, SearchFilters(price_min=100, price_max=10), None)
    with pytest.raises(InvalidInput):
        merge_filters(parsed, SearchFilters(price_min=-1), None)
    with pytest.raises(InvalidInput):
        merge_filters(parsed, SearchFilters(options={"color": "blue"}), None)  # type: ignore[dict-item]
