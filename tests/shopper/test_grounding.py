"""The assistant never states a price, option or spec the store does not hold: over many turns in both
languages, every $ amount and every option in prose and cards is checked against the store's rows for the
products (and orders) that turn's tools returned."""

from __future__ import annotations

import re

from sqlalchemy import select

from shopcopilot.catalog.content import translate_option_value
from shopcopilot.catalog.models import Variant
from shopcopilot.commerce.models import OrderItem, Payment

CONVERSATIONS = [
    ["I want a water bottle", "blue", "a cheaper one", "does it come in red?", "how much is it?"],
    ["show me hiking boots under $250", "waterproof", "the first one", "what sizes does it have?"],
    ["compare headphones and wireless earbuds", "compare them", "the second one in white"],
    ["我想买个背包", "随便", "第一个有灰色的吗", "多少钱"],
    ["推荐点东西给我", "为什么推荐这个", "a cheaper one"],
    ["office chair in leather", "I don't like black", "office chair", "a cheaper one"],
    ["where is my order #W4435622?", "I want to return the water bottle from #W4435622", "gift card"],
]
_MONEY = re.compile(r"\$([0-9][0-9,]*\.[0-9]{2})")


def _store_facts(session) -> tuple[set[float], dict[str, set[tuple[str, str]]]]:
    prices = {round(p, 2) for p in session.scalars(select(Variant.price))}
    prices |= {round(p, 2) for p in session.scalars(select(OrderItem.price))}
    prices |= {round(p, 2) for p in session.scalars(select(Payment.amount))}
    options: dict[str, set[tuple[str, str]]] = {}
    for product_id, opts in session.execute(select(Variant.product_id, Variant.options)):
        options.setdefault(product_id, set()).update((k, str(v)) for k, v in opts.items())
    return prices, options


def test_every_stated_fact_is_in_the_store(assistant, chat_db) -> None:
    with chat_db.session() as session:
        prices, options = _store_facts(session)
    checked_prices = checked_options = 0
    for number, lines in enumerate(CONVERSATIONS):
        for line in lines:
            turn = assistant.turn(f"ground-{number}", line, shopper_id="james_li_5688").to_dict()
            for block in turn["blocks"]:
                prose = " ".join(str(block.get(key, "")) for key in ("text", "prompt")) + " ".join(
                    block.get("details", []))
                for amount in _MONEY.findall(prose):
                    value = float(amount.replace(",", ""))
                    assert value in prices, f"{line!r}: ${amount} is not a price in the store"
                    checked_prices += 1
                for card in block.get("cards", []):
                    held = options[card["product_id"]]
                    for variant in card["variants"]:
                        assert variant["price"] in prices
                        checked_prices += 1
                        for pair in variant["options"].items():
                            assert pair in held, f"{card['title']}: {pair} is not one of its options"
                            checked_options += 1
                    for price_key in ("price_min", "price_max", "match_price_min", "match_price_max"):
                        if card[price_key] is not None:
                            assert card[price_key] in {v["price"] for v in card["variants"]}
                if block["type"] == "question":
                    # A Chinese chip is the lexicon's name for a store value (it maps back when chosen).
                    all_values = {shown for pairs in options.values() for name, value in pairs
                                  for shown in (value, translate_option_value(name, value))}
                    all_names = {name for pairs in options.values() for name, _ in pairs}
                    slot = block["slot"]
                    if slot.startswith("option:"):
                        assert slot.split(":", 1)[1] in all_names
                        assert set(block["choices"]) <= all_values
    assert checked_prices > 50 and checked_options > 50
