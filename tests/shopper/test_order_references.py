"""Orders meant without being named: "it" is the order just talked about, and "return the vacuum cleaner" is the
one delivered order that holds one. Policy still decides (a pending order is not returned)."""

from __future__ import annotations

SHOPPER = "sofia_rossi_8776"  # orders #W5918442, #W5500815 and #W2818151 pending, #W8535951 delivered


def _say(assistant, session: str, text: str) -> dict:
    return assistant.turn(session, text, shopper_id=SHOPPER).to_dict()


def _texts(turn: dict) -> str:
    return "\n".join(block.get("text") or block.get("prompt") or "" for block in turn["blocks"])


def test_it_is_the_order_just_talked_about(assistant) -> None:
    _say(assistant, "ref-1", "what's the status of #W5500815")
    refused = _say(assistant, "ref-1", "I want to return the coffee maker from it")
    assert "#W5500815 is pending; only a delivered order can be returned" in _texts(refused)
    cancel = _say(assistant, "ref-1", "cancel it")
    assert cancel["trace"]["intent"] == "order_cancel"
    assert "Which order" not in _texts(cancel)  # no need to ask: "it" is #W5500815
    _say(assistant, "ref-1", "ordered by mistake")
    confirm = _say(assistant, "ref-1", "no")
    assert "not changed anything" in _texts(confirm)


def test_the_item_names_the_order(assistant) -> None:
    turn = _say(assistant, "ref-2", "I want to return the vacuum cleaner")
    assert turn["trace"]["intent"] == "order_return"
    assert "Which order" not in _texts(turn)
    assert "payment method" in _texts(turn)  # the next detail of the return of #W8535951
    state_order = [c for c in turn["trace"]["tool_calls"] if c["name"] == "get_order_details"]
    assert any(c["arguments"]["order_id"] == "#W8535951" for c in state_order)


def test_an_item_in_several_orders_still_asks_which(assistant) -> None:
    turn = _say(assistant, "ref-3", "cancel the makeup kit")  # in #W5500815 and #W2818151, both pending
    assert "Which order" in _texts(turn)


def test_the_only_order_and_item_a_request_can_mean_are_taken_and_said_in_chinese(assistant) -> None:
    exchange = _say(assistant, "ref-4", "我想换货")  # one delivered order (#W8535951), one item in it
    text = _texts(exchange)
    assert "请问是哪个订单" not in text and "您想换哪些商品" not in text
    assert text.startswith("吸尘器（类型 ") and "想换成什么款式" in text and "Vacuum" not in text
    colour = _say(assistant, "ref-4", "换成别的颜色")
    assert _texts(colour).startswith("吸尘器没有颜色可选。")


def test_order_lists_name_statuses_and_products_in_chinese(assistant) -> None:
    listing = _texts(_say(assistant, "ref-5", "我的订单"))
    assert "#W8535951: 已送达 (吸尘器)" in listing and "待发货" in listing
    assert "delivered" not in listing and "pending" not in listing
