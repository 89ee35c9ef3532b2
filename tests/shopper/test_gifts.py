"""Gift finder: for someone else, in the budget, from what the store's product knowledge says, with reasons."""

from __future__ import annotations

from sqlalchemy import select

from shopcopilot.catalog.models import Product, ProductContent, Variant
from shopcopilot.shopper.gifts import NOT_GIFT_CATEGORIES, find_gifts, interests_of, recipient_of

SHOPPER = "james_li_5688"


def _cards(turn: dict) -> list[dict]:
    return [card for block in turn["blocks"] if block["type"] == "product_cards" for card in block["cards"]]


def test_a_gift_for_dad_under_100_is_in_budget_and_says_why(assistant, chat_db) -> None:
    turn = assistant.turn("gift-1", "I need a gift for my dad under $100", shopper_id=SHOPPER).to_dict()
    assert turn["trace"]["intent"] == "recommend"
    assert "find_gifts" in [call["name"] for call in turn["trace"]["tool_calls"]]
    cards = _cards(turn)
    assert len(cards) >= 3
    with chat_db.session() as session:
        categories = dict(session.execute(select(Product.id, Product.category_id)).tuples().all())
        for card in cards:
            assert card["match_price_min"] is not None and card["match_price_min"] <= 100
            assert categories[card["product_id"]] not in NOT_GIFT_CATEGORIES  # no wrapping paper, no salt
            assert "gift" in card["reason"] or "like" in card["reason"]
            assert "Who it suits:" in card["reason"]


def test_chinese_gift_request_answers_in_chinese(assistant) -> None:
    turn = assistant.turn("gift-2", "送妈妈的礼物 500元以内", shopper_id=SHOPPER).to_dict()
    assert turn["language"] == "zh" and turn["trace"]["intent"] == "recommend"
    assert turn["blocks"][0]["text"].startswith("为母亲挑了这些礼物")
    assert all(card["match_price_min"] <= 500 for card in _cards(turn))


def test_what_they_like_leads(assistant) -> None:
    turn = assistant.turn("gift-3", "a gift for my mom who loves cooking, under $60", shopper_id=SHOPPER)
    first = _cards(turn.to_dict())[0]
    assert "Matches what you said they like" in first["reason"]


def test_the_shoppers_own_history_does_not_pick_a_gift(chat_db) -> None:
    with chat_db.session() as session:
        gifts = find_gifts(session, recipient="father", price_max=100, limit=10)
        assert gifts and all(g["price_min"] <= 100 for g in gifts)
        # Every pick is something the store's knowledge calls a gift, or matched a stated interest.
        texts = {pid: " ".join([suits or "", suits_zh or "", " ".join(keywords or [])]) for pid, suits, suits_zh,
                 keywords in session.execute(select(ProductContent.product_id, ProductContent.suits,
                                                    ProductContent.suits_zh, ProductContent.keywords))}
        assert all("gift" in texts[g["product_id"]].lower() or "礼" in texts[g["product_id"]] for g in gifts)
        cheap = find_gifts(session, price_max=1.0)
        assert cheap == [] or all(g["price_min"] <= 1.0 for g in cheap)
        prices = {pid for pid, in session.execute(select(Variant.product_id).where(Variant.price <= 1.0))}
        assert {g["product_id"] for g in cheap} <= prices


def test_recipients_and_interests_are_read_from_the_request() -> None:
    assert recipient_of("birthday present for my wife").key == "partner"
    assert recipient_of("送给奶奶的礼物").key == "grandparent"
    assert recipient_of("a gift for my boss").key == "colleague"
    assert recipient_of("a gift idea") is None
    dad = recipient_of("gift for my dad who loves hiking under $200")
    assert interests_of("gift for my dad who loves hiking under $200", dad) == "loves hiking"
    assert interests_of("I need a gift for my dad under $100", recipient_of("my dad")) == ""


def test_a_new_budget_after_gift_ideas_keeps_the_recipient(assistant) -> None:
    first = assistant.turn("gift-5", "送妈妈的礼物 100元以内", shopper_id=SHOPPER).to_dict()
    assert first["blocks"][0]["text"].startswith("为母亲挑了这些礼物（$100.00以内）")
    wider = assistant.turn("gift-5", "预算500以内", shopper_id=SHOPPER).to_dict()
    assert wider["trace"]["intent"] == "recommend"
    assert wider["blocks"][0]["text"].startswith("为母亲挑了这些礼物（$500.00以内）")
    assert all(card["match_price_min"] <= 500 for card in _cards(wider))
