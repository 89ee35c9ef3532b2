"""Multi-turn scripted conversations (through `shopcopilot chat --script`) in English and Chinese, asserting on
blocks and trace: discovery with one clarifying question, references, refinement, cart, memory, order service."""

from __future__ import annotations

from scripted import blocks_of, run_script, text_of, tools_of
from sqlalchemy import select

from shopcopilot.commerce.models import CartLine, Order, OrderEvent
from shopcopilot.shopper.vocabulary import build_vocabulary

WATER_BOTTLE = "8310926033"


def test_discovery_in_english(chat_db, tmp_path, capsys, monkeypatch) -> None:
    with chat_db.session() as session:
        from shopcopilot.catalog.models import Variant

        wanted = session.scalars(select(Variant).where(Variant.product_id == WATER_BOTTLE,
                                                       Variant.available.is_(True)).order_by(Variant.id)).first()
        wanted_id, wanted_options = wanted.id, dict(wanted.options)
    answers = run_script(chat_db, tmp_path, capsys, monkeypatch, [
        "I want a water bottle",
        "blue",
        "a cheaper one",
        "does it come in green?",
        "add it in {color} {capacity} {material} to my cart".format(**wanted_options),
    ], shopper="james_li_5688")
    ask, blue, cheaper, green, cart = answers
    # Under-specified (18 variants): exactly one clarifying question, with the store's own choices.
    question = blocks_of(ask, "question")[0]
    assert question["slot"].startswith("option:") and not blocks_of(ask, "product_cards")
    with chat_db.session() as session:
        vocab = build_vocabulary(session)
    offered = vocab.products[WATER_BOTTLE].options[question["slot"].split(":", 1)[1]]
    assert set(question["choices"]) <= set(offered)
    # The answer fills the slot; cards show only blue matches as matching.
    card = blocks_of(blue, "product_cards")[0]["cards"][0]
    assert card["product_id"] == WATER_BOTTLE and blue["trace"]["slots"]["options"] == {"color": ["blue"]}
    blue_prices = [v["price"] for v in card["variants"] if v["matches"] and v["available"]]
    assert blue_prices and all(v["options"]["color"] == "blue" for v in card["variants"] if v["matches"])
    # "a cheaper one": everything shown as matching is below the cheapest blue one.
    cheap_card = blocks_of(cheaper, "product_cards")[0]["cards"][0]
    cheap = [v["price"] for v in cheap_card["variants"] if v["matches"] and v["available"]]
    assert cheap and max(cheap) < min(blue_prices)
    assert green["trace"]["intent"] == "product_question"
    has_green = any(v["options"]["color"] == "green" and v["available"] for v in card["variants"])
    assert ("Yes" in text_of(green)) == has_green
    assert cart["trace"]["intent"] == "cart" and "add_to_cart" in tools_of(cart)
    added = blocks_of(cart, "cart_update")[0]["added"]
    assert added["options"] == wanted_options and added["variant_id"] == wanted_id
    with chat_db.session() as session:
        assert session.scalars(select(CartLine.variant_id)).all() == [added["variant_id"]]


def test_references_and_memory_in_chinese(chat_db, tmp_path, capsys, monkeypatch) -> None:
    answers = run_script(chat_db, tmp_path, capsys, monkeypatch, [
        "我不喜欢黑色",
        "我想买个背包",
        "第一个有红色的吗",
        "为什么推荐这个",
    ], shopper="james_li_5688")
    remembered, backpack, red, why = answers
    assert remembered["language"] == "zh" and remembered["trace"]["intent"] == "remember"
    assert "remember" in tools_of(remembered)
    cards = [c for b in backpack["blocks"] if b["type"] == "product_cards" for c in b["cards"]]
    question = blocks_of(backpack, "question")
    assert cards or question
    for card in cards:  # black variants are never offered as matches
        assert all(v["options"].get("color") != "black" for v in card["variants"] if v["matches"])
    assert red["trace"]["intent"] == "product_question" and "没有" in text_of(red)
    assert why["trace"]["intent"] == "explain" and "黑色" in text_of(why) or "black" in text_of(why)


def test_guest_must_authenticate_before_any_order_is_shown(chat_db, tmp_path, capsys, monkeypatch) -> None:
    answers = run_script(chat_db, tmp_path, capsys, monkeypatch, [
        "I want to return something from order #W6067464",
        "I'm Omar Anderson, zip 19031",
        "the electric kettle and the wall clock",
        "to the original payment method",
        "yes",
    ], session="guest-return")
    ask, verified, items, preview, done = answers
    assert blocks_of(ask, "question")[0]["slot"] == "auth" and tools_of(ask) == []
    assert "find_user_id_by_name_zip" in tools_of(verified)
    assert verified["trace"]["slots"]["authenticated_user_id"] == "omar_anderson_3203"
    confirmation = blocks_of(preview, "confirmation")[0]
    assert confirmation["action"] == "return_delivered_order_items"
    assert confirmation["arguments"] == {"order_id": "#W6067464", "item_ids": ["9624127908", "8917609800"],
                                         "payment_method_id": "credit_card_4190576"}
    assert "return_delivered_order_items" not in tools_of(preview)
    assert done["trace"]["intent"] == "confirm" and tools_of(done) == ["return_delivered_order_items"]
    with chat_db.session() as session:
        order = session.get(Order, "#W6067464")
        assert order.status == "return requested"
        assert sorted(order.return_items) == ["8917609800", "9624127908"]
        assert session.scalars(select(OrderEvent.kind).where(OrderEvent.order_id == "#W6067464")).all()


def test_cancel_in_chinese_with_confirmation(chat_db, tmp_path, capsys, monkeypatch) -> None:
    answers = run_script(chat_db, tmp_path, capsys, monkeypatch, [
        "我想取消订单 #W5765741",
        "我的邮箱是 sofia.kovacs4505@example.com",
        "买错了",
        "是的",
    ], session="zh-cancel")
    ask, reason_q, preview, done = answers
    assert all(a["language"] == "zh" for a in answers)
    assert "验证" in text_of(ask)
    assert blocks_of(reason_q, "question")[0]["choices"] == ["no longer needed", "ordered by mistake"]
    assert blocks_of(preview, "confirmation")[0]["arguments"] == {"order_id": "#W5765741",
                                                                  "reason": "ordered by mistake"}
    assert tools_of(done) == ["cancel_pending_order"] and "已完成" in text_of(done)
    with chat_db.session() as session:
        assert session.get(Order, "#W5765741").status == "cancelled"


def test_declining_changes_nothing(chat_db, tmp_path, capsys, monkeypatch) -> None:
    answers = run_script(chat_db, tmp_path, capsys, monkeypatch, [
        "cancel order #W5765741 because I no longer need it",
        "no",
    ], shopper="sofia_kovacs_7075")
    assert blocks_of(answers[0], "confirmation")
    assert answers[1]["trace"]["intent"] == "decline" and tools_of(answers[1]) == []
    with chat_db.session() as session:
        assert session.get(Order, "#W5765741").status == "pending"


def test_other_shoppers_orders_stay_out_of_reach(chat_db, tmp_path, capsys, monkeypatch) -> None:
    answers = run_script(chat_db, tmp_path, capsys, monkeypatch, [
        "where is my order #W2611340?",
        "cancel order #W2611340, ordered by mistake",
        "my email is james.li4495@example.com",
    ], shopper="sofia_kovacs_7075")
    for answer in answers[:2]:
        assert "ownership_denied" in answer["trace"]["flags"]
        assert "Water Bottle" not in text_of(answer)
        assert not blocks_of(answer, "confirmation")
    assert "another account" in text_of(answers[2])
    with chat_db.session() as session:
        assert session.get(Order, "#W2611340").status == "processed"


def test_exchange_lists_details_and_reminds_it_is_once(chat_db, tmp_path, capsys, monkeypatch) -> None:
    answers = run_script(chat_db, tmp_path, capsys, monkeypatch, [
        "I want to exchange the coffee maker in order #W7736983 for a white one",
        "paypal",
        "yes",
    ], shopper="sofia_kovacs_7075")
    confirmation = blocks_of(answers[1], "confirmation")[0]
    assert confirmation["action"] == "exchange_delivered_order_items"
    assert "only once" in confirmation["prompt"]
    new_id = confirmation["arguments"]["new_item_ids"][0]
    with chat_db.session() as session:
        from shopcopilot.catalog.models import Variant

        new = session.get(Variant, new_id)
        assert new.options["color"] == "white" and new.available and new.product_id == "7996920482"
        assert tools_of(answers[2]) == ["exchange_delivered_order_items"]
        assert session.get(Order, "#W7736983").status == "exchange requested"
