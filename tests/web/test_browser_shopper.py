"""The shopper's side in real Chromium: sign in, chat with streamed product cards, pick options, add to cart,
rate an answer, switch language and senior mode, cancel/return an order with preview and confirmation, and edit
memory. Every check reads the database (or the page the API fed), and each flow leaves a screenshot."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from shopcopilot.agent.models import MemoryItem
from shopcopilot.api.routers.dev import demo_shoppers
from shopcopilot.catalog.models import Variant
from shopcopilot.commerce.models import CartLine, Order
from shopcopilot.feedback.models import Feedback
from shopcopilot.storage.db import Database

pytestmark = pytest.mark.browser


def sign_in(page, kind: str, subject_id: str, after: str) -> None:
    page.goto("/")
    page.click(f'[data-login="{subject_id}"]')
    page.wait_for_url(f"**{after}")


def demo_shopper(database: Database, index: int) -> str:
    with database.session() as session:
        return demo_shoppers(session, limit=index + 1)[index]["id"]


def ask(page, text: str, turn: int) -> None:
    """Type a message with the keyboard and wait until that turn's answer has streamed in completely."""
    page.focus("#message")
    page.keyboard.type(text)
    page.keyboard.press("Enter")
    page.wait_for_selector(f'[data-role=answer][data-turn="{turn}"] .feedback')


def money(value: float) -> str:
    return f"${value:,.2f}"


def test_chat_cards_options_cart_and_feedback(page, web_db: Database, shots) -> None:
    shopper = demo_shopper(web_db, 0)
    sign_in(page, "shopper", shopper, "/shop")
    ask(page, "wireless earbuds", 1)
    turn = 1
    # The assistant may first ask which option matters (a question with the store's own choices): answer it.
    while not page.locator(f'[data-role=answer][data-turn="{turn}"] [data-block=product_cards]').count():
        choice = page.locator(f'[data-role=answer][data-turn="{turn}"] [data-block=question] .chip').first
        choice.click()
        turn += 1
        assert turn < 5, "no product cards after answering the assistant's questions"
        page.wait_for_selector(f'[data-role=answer][data-turn="{turn}"] .feedback')
    card = page.locator(f'[data-role=answer][data-turn="{turn}"] [data-block=product_cards] [data-product]').first
    product_id = card.get_attribute("data-product")
    with web_db.session() as session:
        variants = list(session.scalars(select(Variant).where(Variant.product_id == product_id)))
    # Pick, option by option, an available variant other than the one shown first; price and stock follow it.
    first = card.locator("[data-role=add]").get_attribute("data-variant")
    target = next(v for v in variants if v.available and v.id != first)
    for name, value in target.options.items():
        card.locator(f'[data-option="{name}"][data-value="{value}"]').click()
    assert card.locator("[data-role=add]").get_attribute("data-variant") == target.id
    assert card.locator("[data-role=price]").inner_text() == money(target.price)
    card.locator("[data-role=add]").click()
    page.wait_for_selector("#cart-count:not([hidden])")
    with web_db.session() as session:
        lines = session.scalars(select(CartLine).where(CartLine.cart.has(shopper_id=shopper))).all()
        assert [(line.variant_id, line.quantity) for line in lines] == [(target.id, 1)]
    assert page.locator("#cart-count").inner_text() == "1"

    # Thumbs down with a comment on the answer: stored against this conversation's first turn.
    answer = page.locator('[data-role=answer][data-turn="1"]')
    answer.locator('[data-rating="-1"]').click()
    answer.locator(".feedback input").fill("I wanted cheaper ones")
    answer.locator(".feedback form button").click()
    answer.locator("[data-role=thanks]").wait_for()
    with web_db.session() as session:
        row = session.scalar(select(Feedback).where(Feedback.shopper_id == shopper))
        assert (row.rating, row.turn_position, row.comment) == (-1, 1, "I wanted cheaper ones")
    page.screenshot(path=str(shots / "shopper_chat_cards.png"), full_page=True)

    page.click("#cart-button")
    page.wait_for_selector(f'#cart-drawer [data-line="{target.id}"]')
    assert page.locator("#cart-subtotal").inner_text() == money(target.price)
    page.screenshot(path=str(shots / "shopper_cart_drawer.png"))
    page.keyboard.press("Escape")
    assert page.locator("#cart-drawer").is_hidden()


def test_comparison_plan_and_chinese_with_senior_mode(page, web_db: Database, shots) -> None:
    shopper = demo_shopper(web_db, 1)
    sign_in(page, "shopper", shopper, "/shop")
    ask(page, "compare wireless earbuds and headphones", 1)
    table = page.locator('[data-role=answer][data-turn="1"] [data-block=comparison] table')
    assert table.locator("tbody tr").count() >= 2
    page.screenshot(path=str(shots / "shopper_comparison.png"), full_page=True)


    # A plan with the store's products per step, and "add all to cart" puts exactly its items in the cart.
    ask(page, "plan a weekend camping trip", 2)
    plan = page.locator('[data-role=answer][data-turn="2"] [data-block=plan]')
    planned = plan.locator("li[data-variant]").evaluate_all("nodes => nodes.map(n => n.dataset.variant)")
    assert planned
    plan.locator("[data-role=add-all]").click()
    plan.locator("[data-role=add-all]", has_text="All items added").wait_for()
    with web_db.session() as session:
        in_cart = {line.variant_id for line in session.scalars(select(CartLine).where(CartLine.cart.has(shopper_id=shopper)))}
    assert in_cart == set(planned)
    page.screenshot(path=str(shots / "shopper_plan.png"), full_page=True)

    page.click('[data-lang="zh"]')
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.locator('nav a[href="/orders"]').inner_text() == "我的订单"
    ask(page, "推荐一款咖啡机", 3)
    assert re.search(r"[\u4e00-\u9fff]", page.locator('[data-role=answer][data-turn="3"] .bubble').first.inner_text())
    page.click("#senior-toggle")
    assert "senior" in (page.locator("html").get_attribute("class") or "")
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "20px"
    page.screenshot(path=str(shots / "shopper_zh_senior.png"), full_page=True)
    page.reload()  # both choices survive a reload
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert "senior" in (page.locator("html").get_attribute("class") or "")


def _order_of(database: Database, shopper: str, status: str) -> str:
    with database.session() as session:
        return session.scalars(select(Order.id).where(Order.shopper_id == shopper, Order.status == status)
                               .order_by(Order.id)).first()


def _status(database: Database, order_id: str) -> str:
    with database.session() as session:
        return session.get(Order, order_id).status


def test_cancel_an_order_only_after_confirming_the_preview(page, web_db: Database, shots) -> None:
    shopper = demo_shopper(web_db, 2)
    pending = _order_of(web_db, shopper, "pending")
    sign_in(page, "shopper", shopper, "/shop")
    page.click('nav a[href="/orders"]')
    with web_db.session() as session:
        count = session.scalar(select(func.count()).select_from(Order).where(Order.shopper_id == shopper))
    rows = page.locator("[data-order]")
    rows.first.wait_for()
    assert rows.count() == count
    page.locator(f'[data-order="{pending.lstrip("#")}"] a').click()
    page.select_option("#cancel-reason", "ordered by mistake")

    page.click("#cancel-preview")
    dialog = page.locator("dialog[open]")
    assert "cancelled" in dialog.locator("[data-role=diff]").inner_text()
    dialog.locator("[data-action=cancel]").click()  # backing out of the preview changes nothing
    assert _status(web_db, pending) == "pending"

    page.click("#cancel-preview")
    dialog = page.locator("dialog[open]")
    dialog.locator("[data-role=diff]").wait_for()
    page.screenshot(path=str(shots / "shopper_cancel_preview.png"))
    page.keyboard.press("Enter")  # focus starts on Confirm: the keyboard alone can confirm
    page.wait_for_selector('[data-status="cancelled"]')
    assert _status(web_db, pending) == "cancelled"
    page.screenshot(path=str(shots / "shopper_order_cancelled.png"), full_page=True)


def test_return_items_of_a_delivered_order(page, web_db: Database, shots) -> None:
    shopper = demo_shopper(web_db, 3)
    delivered = _order_of(web_db, shopper, "delivered")
    sign_in(page, "shopper", shopper, "/shop")
    page.goto(f"/orders/{delivered.lstrip('#')}")
    form = page.locator("#return-form")
    form.locator("input[type=checkbox]").first.check()
    form.locator("button[type=submit]").click()
    dialog = page.locator("dialog[open]")
    assert "return requested" in dialog.locator("[data-role=diff]").inner_text()
    dialog.locator("[data-action=confirm]").click()
    page.wait_for_selector('[data-status="return requested"]')
    assert _status(web_db, delivered) == "return requested"
    page.screenshot(path=str(shots / "shopper_order_returned.png"), full_page=True)


def test_memory_add_why_edit_delete(page, web_db: Database, shots) -> None:
    shopper = demo_shopper(web_db, 0)
    sign_in(page, "shopper", shopper, "/shop")
    page.click('nav a[href="/memory"]')
    page.select_option("#mem-attribute", "color")
    page.select_option("#mem-polarity", "avoid")
    page.fill("#mem-value", "orange")
    page.fill("#mem-note", "never orange")
    page.click("#memory-form button[type=submit]")
    row = page.locator("[data-memory]", has=page.locator("[data-role=value]", has_text="orange"))
    row.wait_for()
    row.get_by_role("button", name="Why this?").click()
    assert "You told the assistant this." in row.locator("[data-role=why]").inner_text()
    page.screenshot(path=str(shots / "shopper_memory.png"), full_page=True)

    row.locator("[data-action=edit]").click()
    row.locator("form input").fill("bright orange")
    row.locator("form button[type=submit]").click()
    page.locator("[data-role=value]", has_text="bright orange").wait_for()
    with web_db.session() as session:
        item = session.scalar(select(MemoryItem).where(MemoryItem.shopper_id == shopper, MemoryItem.note == "never orange"))
        assert (item.value, item.polarity, item.attribute) == ("bright orange", "avoid", "color")
        item_id = item.id

    page.locator(f'[data-memory="{item_id}"] [data-action=delete]').click()
    page.locator("dialog[open] [data-action=confirm]").click()
    page.locator(f'[data-memory="{item_id}"]').wait_for(state="detached")
    with web_db.session() as session:
        assert session.get(MemoryItem, item_id) is None
