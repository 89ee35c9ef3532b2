"""Soul writer: posts from true facts only, ownership and delivery checks, and the edit-and-save API."""

from __future__ import annotations

import re

import httpx
import pytest
from sqlalchemy import select

from http_server import running_server
from shopcopilot.api.app import create_app
from shopcopilot.api.auth import mint_token
from shopcopilot.catalog.models import Product
from shopcopilot.commerce.models import Order, OrderItem
from shopcopilot.errors import Conflict, Forbidden, InvalidInput
from shopcopilot.shopper.models import Post
from shopcopilot.shopper.soul_writer import TONES, compose, draft_post, gather_facts


def _order(session, status: str) -> Order:
    return session.scalars(select(Order).where(Order.status == status).order_by(Order.id)).first()


@pytest.mark.parametrize("language", ["en", "zh"])
def test_post_about_a_delivered_order_uses_only_its_facts(chat_db, language: str) -> None:
    with chat_db.session() as session:
        order = _order(session, "delivered")
        post = draft_post(
            session, order.shopper_id, order_id=order.id, language=language, tone="enthusiastic"
        )
        assert post["status"] == "draft" and post["order_id"] == order.id
        text = post["title"] + "\n" + post["body"]
        prices = {f"{item.price:,.2f}" for item in order.items}
        for amount in re.findall(r"\$([\d,]+\.\d\d)", text):
            assert amount in prices  # no number that is not the order's
        for item in order.items:
            assert f"${item.price:,.2f}" in post["body"]
        names = [i["name"] for i in post["facts"]["items"]]
        assert names[0] in post["title"]
        assert all(tag.startswith("#") and " " not in tag for tag in post["hashtags"])
        assert session.get(Post, post["id"]).facts == post["facts"]


def test_every_tone_and_product_posts(chat_db) -> None:
    with chat_db.session() as session:
        order = _order(session, "delivered")
        product_id = order.items[0].product_id
        facts = gather_facts(session, order.shopper_id, product_id=product_id)
        posts = {tone: compose(facts, tone=tone) for tone in TONES}
        assert len({post["title"] + post["body"] for post in posts.values()}) == len(TONES)
        with pytest.raises(InvalidInput):
            compose(facts, tone="angry")


_OWNING = re.compile(r"\bmy\b(?! eye| list)|\bI got\b|again|我买的|我的|回购|再加购", re.I)


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("tone", TONES)
def test_a_product_not_received_is_never_written_as_owned(chat_db, language: str, tone: str) -> None:
    with chat_db.session() as session:
        order = _order(session, "delivered")
        bought = {item.product_id for o in session.scalars(select(Order).where(
            Order.shopper_id == order.shopper_id)) for item in o.items}
        other = session.scalar(select(OrderItem.product_id).where(OrderItem.product_id.not_in(bought)))
        post = compose(gather_facts(session, order.shopper_id, product_id=other), language=language, tone=tone)
        assert not _OWNING.search(post["title"] + "\n" + post["body"]), post
        owned = compose(gather_facts(session, order.shopper_id, order_id=order.id), language=language, tone=tone)
        assert owned["title"] != post["title"]


def test_chat_post_follows_what_the_shopper_received(assistant, chat_db) -> None:
    with chat_db.session() as session:
        order = _order(session, "delivered")
        shopper, received = order.shopper_id, order.items[0].name
        bought = {item.product_id for o in session.scalars(select(Order).where(Order.shopper_id == shopper))
                  for item in o.items}
        other = session.scalar(select(Product.name).where(Product.id.not_in(bought), Product.merchant_id == "retail"))
    assistant.turn("post-1", f"show me {received.lower()}", shopper_id=shopper)
    turn = assistant.turn("post-1", "write a post about it", shopper_id=shopper).to_dict()
    post = next(b for b in turn["blocks"] if b["type"] == "post")
    assert "I got the" in post["body"] and "arrived" in post["body"]
    assistant.turn("post-2", f"show me {other.lower()}", shopper_id=shopper)
    turn = assistant.turn("post-2", "write a post about it", shopper_id=shopper).to_dict()
    post = next(b for b in turn["blocks"] if b["type"] == "post")
    assert "on my list" in post["title"] and not _OWNING.search(post["body"])
    assert "have not received" in turn["blocks"][0]["text"]


def test_refusals_change_nothing(chat_db) -> None:
    with chat_db.session() as session:
        pending = _order(session, "pending")
        delivered = _order(session, "delivered")
        stranger = session.scalars(
            select(Order.shopper_id).where(Order.shopper_id != delivered.shopper_id)
        ).first()
        with pytest.raises(Conflict):
            draft_post(session, pending.shopper_id, order_id=pending.id)
        with pytest.raises(Forbidden):
            draft_post(session, stranger, order_id=delivered.id)
        with pytest.raises(InvalidInput):
            draft_post(session, delivered.shopper_id)
        assert session.scalar(select(Post.id)) is None


def test_draft_edit_save_over_http(chat_db) -> None:
    with chat_db.session() as session:
        order = _order(session, "delivered")
        owner = order.shopper_id
        other = session.scalars(select(Order.shopper_id).where(Order.shopper_id != owner)).first()
    mine = {"Authorization": f"Bearer {mint_token('shopper', owner)}"}
    theirs = {"Authorization": f"Bearer {mint_token('shopper', other)}"}
    with running_server(create_app(chat_db)) as base, httpx.Client(base_url=base, timeout=30) as client:
        draft = client.post(
            "/v1/posts", json={"order_id": order.id, "language": "zh", "tone": "warm"}, headers=mine
        )
        assert draft.status_code == 201, draft.text
        post_id = draft.json()["id"]
        assert client.post("/v1/posts", json={"order_id": order.id}).status_code == 401
        assert (
            client.post("/v1/posts", json={"order_id": order.id, "tone": "rude"}, headers=mine).status_code
            == 422
        )
        edit = {"title": "我的新标题", "hashtags": ["好物", "#分享"]}
        assert client.put(f"/v1/posts/{post_id}", json=edit, headers=theirs).status_code == 404
        assert client.put(f"/v1/posts/{post_id}", json={"title": ""}, headers=mine).status_code == 422
        assert (
            client.put(f"/v1/posts/{post_id}", json={"hashtags": ["two words"]}, headers=mine).status_code
            == 422
        )
        assert (
            client.get("/v1/posts", headers=mine).json()[0]["status"] == "draft"
        )  # refusals changed nothing
        saved = client.put(f"/v1/posts/{post_id}", json=edit, headers=mine)
        assert saved.status_code == 200
        assert saved.json()["title"] == "我的新标题" and saved.json()["hashtags"] == ["#好物", "#分享"]
        assert saved.json()["body"] == draft.json()["body"] and saved.json()["status"] == "saved"
        listed = client.get("/v1/posts", headers=mine).json()
        assert [p["id"] for p in listed] == [post_id] and listed[0]["status"] == "saved"
        assert client.get("/v1/posts", headers=theirs).json() == []
