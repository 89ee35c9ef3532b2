"""Intent correction from the shopper's chat in real Chromium: after a thumbs down the shopper says what they
wanted ("What did you want?"), the page offers every intent except the one the assistant understood, and the
choice is stored as a pending IntentCorrection of that turn's message. Every check reads the database."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from shopcopilot.agent.intents import INTENTS
from shopcopilot.agent.models import ChatSession, ChatTurn
from shopcopilot.api.routers.dev import demo_shoppers
from shopcopilot.feedback.models import Feedback, IntentCorrection
from shopcopilot.storage.db import Database

pytestmark = pytest.mark.browser

MESSAGE = "where is my latest order?"


def sign_in_as_shopper(page, database: Database, index: int) -> str:
    with database.session() as session:
        shopper = demo_shoppers(session, limit=index + 1)[index]["id"]
    page.goto("/")
    page.click(f'[data-login="{shopper}"]')
    page.wait_for_url("**/shop")
    return shopper


def ask_first_message(page, database: Database, shopper: str) -> tuple[ChatTurn, str]:
    """Type MESSAGE with the keyboard, wait for the whole answer; the stored turn and the intent it was read as."""
    page.focus("#message")
    page.keyboard.type(MESSAGE)
    page.keyboard.press("Enter")
    page.wait_for_selector('[data-role=answer][data-turn="1"] .feedback')
    with database.session() as session:
        turn = session.scalar(select(ChatTurn).join(ChatSession).where(ChatSession.shopper_id == shopper))
        session.expunge(turn)
    understood = turn.trace["intent"]
    assert understood in INTENTS
    return turn, understood


def offered_intents(choice) -> list[str]:
    return [
        value
        for value in choice.locator("option").evaluate_all("nodes => nodes.map((n) => n.value)")
        if value
    ]


def corrections_of(database: Database, shopper: str) -> list[IntentCorrection]:
    with database.session() as session:
        rows = list(session.scalars(select(IntentCorrection).where(IntentCorrection.shopper_id == shopper)))
        session.expunge_all()
    return rows


def test_thumbs_down_then_say_what_was_wanted_records_a_pending_correction(
    page, web_db: Database, shots
) -> None:
    shopper = sign_in_as_shopper(page, web_db, 0)
    turn, understood = ask_first_message(page, web_db, shopper)
    answer = page.locator('[data-role=answer][data-turn="1"]')
    choice = answer.locator("select[name=wanted_intent]")
    assert choice.is_hidden()  # nothing to correct before a thumbs down

    answer.locator('[data-rating="-1"]').click()
    choice.wait_for()
    assert answer.get_by_label("What did you want?").get_attribute("name") == "wanted_intent"  # labelled
    assert choice.evaluate("node => node === document.activeElement")  # keyboard users land on the choice
    # Every intent but the one the assistant understood (choosing that would correct nothing).
    assert offered_intents(choice) == [intent for intent in INTENTS if intent != understood]
    wanted = "order_status" if understood != "order_status" else "browse"

    page.click('[data-lang="zh"]')
    assert answer.get_by_label("你想要的是？").get_attribute("name") == "wanted_intent"
    assert (
        choice.locator(f'option[value="{wanted}"]').inner_text()
        == {"order_status": "查物流/订单", "browse": "找商品"}[wanted]
    )
    page.click('[data-lang="en"]')
    assert (
        choice.locator(f'option[value="{wanted}"]').inner_text()
        == {"order_status": "Track an order", "browse": "Find products"}[wanted]
    )

    choice.select_option(wanted)
    answer.screenshot(path=str(shots / "shopper_intent_choice.png"))
    answer.locator(".feedback input[name=comment]").fill("I asked about my parcel")
    answer.locator(".feedback input[name=comment]").press("Enter")
    answer.locator("[data-role=thanks]").wait_for()
    page.screenshot(path=str(shots / "shopper_intent_correction.png"), full_page=True)

    [correction] = corrections_of(web_db, shopper)
    assert (correction.status, correction.intent, correction.predicted) == ("pending", wanted, understood)
    assert (correction.text, correction.turn_id, correction.session_id) == (MESSAGE, turn.id, turn.session_id)
    with web_db.session() as session:
        rating = session.scalar(select(Feedback).where(Feedback.shopper_id == shopper))
        assert (rating.rating, rating.turn_id, rating.comment) == (-1, turn.id, "I asked about my parcel")


def test_thumbs_up_hides_the_choice_and_a_refused_correction_shows_the_error(page, web_db: Database) -> None:
    shopper = sign_in_as_shopper(page, web_db, 1)
    turn, understood = ask_first_message(page, web_db, shopper)
    answer = page.locator('[data-role=answer][data-turn="1"]')
    choice = answer.locator("select[name=wanted_intent]")

    answer.locator('[data-rating="-1"]').click()
    choice.wait_for()
    answer.locator('[data-rating="1"]').click()
    choice.wait_for(state="hidden")  # a helpful answer has nothing to correct
    answer.locator('[data-rating="-1"]').click()
    choice.wait_for()

    # A choice equal to what the assistant understood (a page built before the trace arrived, say): the server
    # refuses it (not_a_correction) and the widget says so instead of thanking.
    choice.evaluate("(node, intent) => node.append(new Option(intent, intent))", understood)
    choice.select_option(understood)
    answer.locator(".feedback form button").click()
    error = page.locator(".toast.bad")
    error.wait_for()
    assert "already understood" in error.inner_text()
    assert answer.locator("[data-role=thanks]").count() == 0
    assert corrections_of(web_db, shopper) == []
    with web_db.session() as session:
        rating = session.scalar(select(Feedback).where(Feedback.shopper_id == shopper))
        assert (rating.rating, rating.turn_id) == (-1, turn.id)  # the thumbs down itself stays recorded
