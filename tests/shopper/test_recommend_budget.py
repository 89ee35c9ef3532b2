"""'Recommend something for me under $50': the personal picks keep to the budget, or say that none does."""

from __future__ import annotations

SHOPPER = "james_li_5688"


def _cards(turn: dict) -> list[dict]:
    return [card for block in turn["blocks"] if block["type"] == "product_cards" for card in block["cards"]]


def test_personal_picks_keep_to_the_budget(assistant) -> None:
    unbounded = _cards(assistant.turn("rec-1", "recommend something for me", shopper_id=SHOPPER).to_dict())
    assert any(card["price_min"] > 50 for card in unbounded)  # without a budget the picks cost more
    turn = assistant.turn("rec-2", "recommend something for me under $50", shopper_id=SHOPPER).to_dict()
    cards = _cards(turn)
    assert cards and all(card["match_price_min"] is not None and card["match_price_min"] <= 50 for card in cards)
    call = next(c for c in turn["trace"]["tool_calls"] if c["name"] == "recommend_products")
    assert call["arguments"]["price_max"] == 50


def test_no_pick_in_the_budget_is_said(assistant) -> None:
    turn = assistant.turn("rec-3", "推荐点0.5元以内的东西", shopper_id=SHOPPER).to_dict()
    assert not _cards(turn) and "$0.50 以内的推荐" in turn["blocks"][0]["text"]
