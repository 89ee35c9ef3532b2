"""The shopper skills through chat: compare -> pick one -> add to cart -> fill coupons -> add them all, in English
and Chinese; plans with 'add all to cart'; a post; and the routing of the skills' cues."""

from __future__ import annotations

from datetime import datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from shopcopilot.agent.blocks import block_texts
from shopcopilot.api.app import create_app
from shopcopilot.api.auth import mint_token
from shopcopilot.catalog.models import Product
from shopcopilot.commerce.carts import cart_view
from shopcopilot.commerce.models import Coupon, Order, ShopperCoupon
from shopcopilot.shopper.models import Post


def _say(assistant, session_id: str, message: str, shopper: str | None) -> dict:
    return assistant.turn(session_id, message, shopper_id=shopper).to_dict()


def _blocks(turn: dict, kind: str) -> list[dict]:
    return [block for block in turn["blocks"] if block["type"] == kind]


def _text(turn: dict) -> str:
    return "\n".join(b.get("text", "") for b in turn["blocks"])


def _give_coupon(chat_db, shopper: str) -> None:
    with chat_db.session() as session:
        session.add(
            Coupon(
                id=f"CHAT-150-20-{shopper}",
                kind="spend_save",
                threshold=150.0,
                amount=20.0,
                stackable=True,
                valid_from=datetime(2020, 1, 1),
                valid_to=datetime(2099, 1, 1),
                title="Spend 150 save 20",
                title_zh="满150减20",
            )
        )
        session.add(ShopperCoupon(shopper_id=shopper, coupon_id=f"CHAT-150-20-{shopper}"))


FLOWS = {
    "en": (
        "ava_moore_2033",
        "compare the electric kettle and the espresso machine for making coffee every morning",
        "add the first one to my cart",
        "help me use my coupons",
        "add them all",
    ),
    "zh": (
        "mei_kovacs_8020",
        "比较电热水壶和意式咖啡机，用来每天早上做咖啡",
        "把第一个加入购物车",
        "帮我凑单用优惠券",
        "全部加入购物车",
    ),
}


@pytest.mark.parametrize("language", ["en", "zh"])
def test_compare_pick_add_fill_flow(assistant, chat_db, language: str) -> None:
    shopper, compare, pick, fill, add_all = FLOWS[language]
    _give_coupon(chat_db, shopper)
    session_id = f"flow-{language}"
    with chat_db.session() as session:
        kettle = session.scalar(select(Product.id).where(Product.name == "Electric Kettle"))
        espresso = session.scalar(select(Product.id).where(Product.name == "Espresso Machine"))

    turn = _say(assistant, session_id, compare, shopper)
    assert turn["language"] == language and turn["trace"]["intent"] == "compare"
    table = _blocks(turn, "comparison")[0]
    assert table["product_ids"] == [kettle, espresso]
    assert "compare_products" in [c["name"] for c in turn["trace"]["tool_calls"]]
    assert any(row["attribute"] in ("pros", "优点") for row in table["rows"])

    turn = _say(assistant, session_id, pick, shopper)
    for _ in range(5):  # answer each option question with the first choice the store offers
        questions = _blocks(turn, "question")
        if not questions:
            break
        turn = _say(assistant, session_id, questions[0]["choices"][0], shopper)
    added = _blocks(turn, "cart_update")[0]
    assert added["added"]["product_id"] == kettle

    turn = _say(assistant, session_id, fill, shopper)
    assert turn["trace"]["intent"] == "coupon_fill"
    with chat_db.session() as session:
        before = cart_view(session, shopper)
    cards = _blocks(turn, "product_cards")
    assert cards, _text(turn)
    assert all(card["product_id"] != kettle for card in cards[0]["cards"])
    assert ("save" in _text(turn)) if language == "en" else ("省" in _text(turn))

    turn = _say(assistant, session_id, add_all, shopper)
    assert turn["trace"]["intent"] == "add_all"
    with chat_db.session() as session:
        after = cart_view(session, shopper)
    assert len(after["lines"]) == len(before["lines"]) + len(cards[0]["cards"])
    assert after["subtotal"] >= 150.0  # the coupon's threshold is reached

    turn = _say(assistant, session_id, fill, shopper)  # a second fill has nothing worth adding
    assert not _blocks(turn, "product_cards")


def test_plan_in_chat_asks_which_trip_and_adds_all(assistant, chat_db) -> None:
    shopper = "ava_moore_2033"
    turn = _say(assistant, "plans", "plan a trip for me, budget $120", shopper)
    question = _blocks(turn, "question")[0]
    assert sorted(question["choices"]) == ["Beach holiday", "Business trip", "Camping trip"]
    turn = _say(assistant, "plans", "camping", shopper)
    plan = _blocks(turn, "plan")[0]
    assert plan["scenario"] == "trip_camping" and plan["budget"] == 120.0 and plan["total"] <= 120.0
    assert "tent: no matching product in the store" in block_texts(
        assistant.turn("plans", "camping", shopper).blocks
    )
    turn = _say(assistant, "plans", "camping", shopper)  # the plan again: 'add all' acts on the latest one
    turn = _say(assistant, "plans", "add all to cart", shopper)
    with chat_db.session() as session:
        view = cart_view(session, shopper)
    wanted = {item["variant_id"] for item in plan["actions"][0]["items"]}
    assert wanted <= {line["variant_id"] for line in view["lines"]}


def test_plans_and_posts_in_chinese_and_for_guests(assistant, chat_db) -> None:
    turn = _say(assistant, "zh-plan", "帮我准备番茄炒蛋的食材", None)
    plan = _blocks(turn, "plan")[0]
    assert plan["scenario"] == "dish_tomato_egg" and "番茄炒蛋" in plan["title"]
    turn = _say(assistant, "zh-plan", "全部加入购物车", None)
    assert "登录" in _text(turn)  # a guest has no cart; nothing was added
    turn = _say(assistant, "senior", "my grandma needs help at home", None)
    assert _blocks(turn, "plan")[0]["large_text"] is True

    with chat_db.session() as session:
        order = session.scalars(select(Order).where(Order.status == "delivered").order_by(Order.id)).first()
        owner = order.shopper_id
    turn = _say(assistant, "post", f"write a playful post about order {order.id}", owner)
    post = _blocks(turn, "post")[0]
    assert turn["trace"]["intent"] == "write_post" and post["status"] == "draft"
    assert post["edit"]["path"] == f"/v1/posts/{post['post_id']}"
    turn = _say(assistant, "post-zh", "写一篇温馨的晒单", owner)
    assert _blocks(turn, "post") and "分享" in _text(turn)
    stranger = "ava_moore_2033" if owner != "ava_moore_2033" else "mei_kovacs_8020"
    turn = _say(assistant, "post-other", f"write a post about order {order.id}", stranger)
    assert not _blocks(turn, "post")  # someone else's order is refused
    with chat_db.session() as session:
        assert session.scalar(select(Post.id).where(Post.shopper_id == stranger)) is None


def test_skill_over_the_chat_api(chat_db) -> None:
    token = {"Authorization": f"Bearer {mint_token('shopper', 'ava_moore_2033')}"}
    with TestClient(create_app(chat_db)) as client:
        response = client.post(
            "/v1/chat",
            json={"session_id": "http-skill", "message": "there is mould in my bathroom"},
            headers=token,
        )
        assert response.status_code == 200
        assert "event: block" in response.text and '"type": "plan"' in response.text
