"""The fact check keeps sentences whose prices, numbers and option words are in the tool results."""

from __future__ import annotations

from shopcopilot.agent.fact_check import check_facts, split_sentences, terms_for_values

RESULTS = [{"name": "Water Bottle", "variants": [
    {"variant_id": "v1", "options": {"color": "blue", "capacity": "1000ml"}, "price": 1299.0},
    {"variant_id": "v2", "options": {"color": "black", "capacity": "500ml"}, "price": 24.5},
]}]
TERMS = terms_for_values(["blue", "black", "red", "stainless steel", "1000ml", "500ml", "S", "large"])


def test_supported_facts_survive_and_invented_ones_are_removed() -> None:
    prose = ("The Water Bottle costs $1,299.00 in blue. It also comes in red for $19.99. "
             "There are 2 variants. It holds 750 ml.")
    check = check_facts(prose, RESULTS, terms=TERMS)
    assert check.kept == ["The Water Bottle costs $1,299.00 in blue.", "There are 2 variants."]
    reasons = [reason for removed in check.removed for reason in removed.reasons]
    assert "price $19.99 not in the tool results" in reasons and "'red' not in the tool results" in reasons
    assert "number 750 not in the tool results" in reasons
    assert check.grounded and check.claims >= 6


def test_words_inside_other_words_are_not_claims_and_generic_values_are_ignored() -> None:
    check = check_facts("I ordered a large one in the past. Sure, it is a good pick.", RESULTS, terms=TERMS)
    assert not check.removed  # 'red' in 'ordered' is no claim; 'large' and 'S' are everyday words


def test_the_shoppers_own_bounds_and_negated_words_may_be_restated() -> None:
    message = "is there a bottle in red under $30?"
    check = check_facts("Here is one under $30 at $24.50. Sorry, it does not come in red.", RESULTS,
                        terms=TERMS, shopper_message=message)
    assert not check.removed, check.removed
    assert check_facts("It comes in red.", RESULTS, terms=TERMS, shopper_message=message).removed


def test_chinese_prose_is_checked_with_the_lexicon() -> None:
    check = check_facts("这款水杯有蓝色。也有红色。价格是24.5元。", RESULTS, terms=TERMS)
    assert check.kept == ["这款水杯有蓝色。", "价格是24.5元。"]
    assert split_sentences("一。二！\n三") == ["一。", "二！", "三"]


def test_nothing_supported_is_not_grounded() -> None:
    check = check_facts("It costs $5.", [], terms=TERMS)
    assert not check.grounded and check.text == ""
