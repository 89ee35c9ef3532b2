"""Scripted multi-turn conversations (English and Chinese) through `shopcopilot chat --script` over the real retail
store: an open order question does not hijack the conversation, store-policy questions are answered from the
knowledge base with citations (no LLM), a stray "yes" is not a search, Chinese answers name options and products in
Chinese, a product-type request shows the related types the hybrid search finds, and "比较A和B" states no need."""

from __future__ import annotations

import re

from scripted import blocks_of, run_script, text_of, tools_of

from shopcopilot.catalog.content import translate_option_value
from shopcopilot.shopper.vocabulary import build_vocabulary

SHOPPER = "noah_brown_6181"  # one delivered order (#W7678072) with an Electric Kettle in it
ORDER = "#W7678072"


def _flags(answer: dict, prefix: str) -> list[str]:
    return [flag for flag in answer["trace"]["flags"] if flag.startswith(prefix)]


def _asks_for_order(answer: dict) -> bool:
    return any(q["slot"] == "order_id" for q in blocks_of(answer, "question"))


def _cited(answer: dict) -> list[dict]:
    blocks = blocks_of(answer, "cited_answer")
    assert len(blocks) == 1, answer["blocks"]
    return blocks[0]["citations"]


def test_english_flow_leaves_for_other_requests_and_policy_is_cited(chat_db, tmp_path, capsys, monkeypatch) -> None:
    answers = run_script(chat_db, tmp_path, capsys, monkeypatch, [
        "yes",
        "what is your return policy?",
        "I want to return my kettle",
        "plan a camping trip for 2 under $300",
        "what is the weather tomorrow",
        "how long does a refund take?",
        f"return order {ORDER} please",
    ], shopper=SHOPPER, session="en-fixes")
    stray, policy, start, plan, weather, refund, back = answers

    # Nothing waits for a yes: no search, no cards, a short offer of help.
    assert stray["trace"]["intent"] == "acknowledge"
    assert not blocks_of(stray, "product_cards") and "search_products" not in tools_of(stray)
    assert "nothing waiting" in text_of(stray).lower()

    # A policy question is answered from the store's documents with citations, not taken as an order return.
    assert policy["trace"]["intent"] == "policy_question" and tools_of(policy) == ["store_knowledge"]
    citations = _cited(policy)
    assert citations and all(c["kb"] and c["chunk_id"] and c["title"] and c["quote"] for c in citations)
    answer_text = blocks_of(policy, "cited_answer")[0]["text"]
    assert all(c["quote"] in answer_text for c in citations)  # the text is the quotes, each with its mark
    assert len(re.findall(r"\[\d+\]", answer_text)) == len(citations)
    assert not _asks_for_order(policy)

    # The real return request asks which order; then other requests leave the question and are served.
    # #W7678072 is the shopper's only delivered order, so the only one a return can be about: no need to ask.
    assert start["trace"]["intent"] == "order_return" and not _asks_for_order(start)
    assert start["trace"]["slots"]["order_request"]["order_id"] == ORDER
    assert plan["trace"]["intent"] == "plan" and blocks_of(plan, "plan") and not _asks_for_order(plan)
    assert _flags(plan, "left_flow:order_return")
    assert weather["trace"]["intent"] == "out_of_scope" and not _asks_for_order(weather)
    assert refund["trace"]["intent"] == "policy_question" and _cited(refund)

    # Coming back resumes the kept return request with the order now given.
    assert back["trace"]["intent"] == "order_return"
    assert back["trace"]["slots"]["order_request"]["order_id"] == ORDER
    assert not _asks_for_order(back)


def test_chinese_conversation_names_things_in_chinese(chat_db, tmp_path, capsys, monkeypatch) -> None:
    with chat_db.session() as session:
        vocab = build_vocabulary(session)
    by_name = {info.name: info for info in vocab.products.values()}
    coffee, espresso, tshirt = by_name["Coffee Maker"], by_name["Espresso Machine"], by_name["T-Shirt"]
    answers = run_script(chat_db, tmp_path, capsys, monkeypatch, [
        "是的",
        "退货政策是什么",
        "我想退掉电热水壶",
        "帮我写个种草文案",
        "取消订单多久退款",
        "推荐一款咖啡机",
        "我想买T恤",
        "比较咖啡机和水壶",
    ], shopper=SHOPPER, session="zh-fixes")
    stray, policy, start, post, refund, coffee_turn, shirt, compared = answers

    assert stray["trace"]["intent"] == "acknowledge" and not blocks_of(stray, "product_cards")
    assert "是的" not in text_of(stray)  # not "为您找到以下与“是的”相关的商品"

    assert policy["trace"]["intent"] == "policy_question"
    assert any("-zh" in c["chunk_id"] for c in _cited(policy))  # the Chinese page of the policy

    # The kettle is in one delivered order: the return goes on with it instead of asking which order.
    assert start["trace"]["intent"] == "order_return" and not _asks_for_order(start)
    assert any(c["arguments"].get("order_id") == ORDER for c in start["trace"]["tool_calls"])
    assert post["trace"]["intent"] == "write_post" and blocks_of(post, "post") and not _asks_for_order(post)
    assert refund["trace"]["intent"] == "policy_question" and _cited(refund)

    # "推荐一款咖啡机": both coffee machines, named in Chinese.
    shown = [card["product_id"] for card in blocks_of(coffee_turn, "product_cards")[0]["cards"]]
    assert coffee.id in shown and espresso.id in shown
    assert "Coffee Maker" not in text_of(coffee_turn) and "Espresso" not in text_of(coffee_turn)

    # The clarifying question names the option and its values in Chinese; the card data keeps the store's values.
    question = blocks_of(shirt, "question")[0]
    option = question["slot"].split(":", 1)[1]
    assert option not in question["text"] and "T-Shirt" not in question["text"]
    offered = tshirt.options[option]
    assert sorted(question["choices"]) == sorted(translate_option_value(option, v) for v in offered)

    # "水壶" names a product here; it is not the shopper's need.
    assert blocks_of(compared, "comparison")
    assert "水壶" not in text_of(compared)


def test_a_chinese_choice_chip_fills_the_store_value(chat_db, tmp_path, capsys, monkeypatch) -> None:
    answers = run_script(chat_db, tmp_path, capsys, monkeypatch, ["我想买T恤"], shopper=SHOPPER, session="zh-chip-1")
    question = blocks_of(answers[0], "question")[0]
    option = question["slot"].split(":", 1)[1]
    chip = question["choices"][0]
    answers = run_script(chat_db, tmp_path, capsys, monkeypatch, ["我想买T恤", chip],
                         shopper=SHOPPER, session="zh-chip-2")
    assert answers[1]["trace"]["intent"] == "browse", answers[1]
    chosen = answers[1]["trace"]["slots"]["options"][option]
    assert len(chosen) == 1 and translate_option_value(option, chosen[0]) == chip
    assert blocks_of(answers[1], "product_cards")


def test_a_search_that_finds_nothing_says_so(chat_db, tmp_path, capsys, monkeypatch) -> None:
    answers = run_script(chat_db, tmp_path, capsys, monkeypatch, ["show me qzxv wobblefrots", "找一下咕噜嘎嘎叽"],
                         session="nothing")
    for answer in answers:
        assert not blocks_of(answer, "product_cards"), answer["blocks"]
