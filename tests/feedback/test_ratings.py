"""Feedback storage: a rating names a real turn of a conversation the rater may see; a second rating replaces the
first; bad input is refused and changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from shopcopilot.agent.models import ChatSession, ChatTurn
from shopcopilot.errors import Forbidden, InvalidInput, NotFound
from shopcopilot.feedback.models import Feedback
from shopcopilot.feedback.ratings import conversation_feedback, feedback_view, record_feedback
from shopcopilot.storage.db import Database


@pytest.fixture
def chats(empty_db: Database) -> Database:
    with empty_db.session() as session:
        session.add_all([ChatSession(id="guest-1", shopper_id=None, state={}, turns=2),
                         ChatSession(id="alice-1", shopper_id="alice", state={}, turns=1)])
        session.flush()
        session.add_all([ChatTurn(session_id="guest-1", position=1, message="hi", blocks=[], trace={}),
                         ChatTurn(session_id="guest-1", position=2, message="earbuds", blocks=[], trace={}),
                         ChatTurn(session_id="alice-1", position=1, message="my orders", blocks=[], trace={})])
    return empty_db


def _count(database: Database) -> int:
    with database.session() as session:
        return session.scalar(select(func.count()).select_from(Feedback)) or 0


def test_a_rating_is_stored_against_the_turn_it_names(chats: Database) -> None:
    with chats.session() as session:
        row = record_feedback(session, session_id="guest-1", turn=2, rating=-1, comment="  too pricey ")
        view = feedback_view(row)
        turn_id = session.scalar(select(ChatTurn.id).where(ChatTurn.session_id == "guest-1", ChatTurn.position == 2))
    assert view["turn"] == 2 and view["turn_id"] == turn_id
    assert view["rating"] == -1 and view["comment"] == "too pricey"


def test_rating_the_same_turn_again_replaces_the_first_rating(chats: Database) -> None:
    with chats.session() as session:
        record_feedback(session, session_id="guest-1", turn=1, rating=-1)
        record_feedback(session, session_id="guest-1", turn=1, rating=1, comment="actually good")
        record_feedback(session, session_id="guest-1", turn=2, rating=1)
    with chats.session() as session:
        rows = conversation_feedback(session, "guest-1", None)
    assert [(r.turn_position, r.rating, r.comment) for r in rows] == [(1, 1, "actually good"), (2, 1, "")]


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"session_id": "guest-1", "turn": 1, "rating": 0}, InvalidInput),
        ({"session_id": "guest-1", "turn": 1, "rating": 1, "comment": "x" * 2001}, InvalidInput),
        ({"session_id": "nobody", "turn": 1, "rating": 1}, NotFound),
        ({"session_id": "guest-1", "turn": 9, "rating": 1}, NotFound),
        ({"session_id": "alice-1", "turn": 1, "rating": 1, "shopper_id": "mallory"}, Forbidden),
        ({"session_id": "alice-1", "turn": 1, "rating": 1}, Forbidden),
    ],
)
def test_bad_feedback_is_refused_and_nothing_is_stored(chats: Database, kwargs: dict, error: type) -> None:
    with pytest.raises(error), chats.session() as session:
        record_feedback(session, **kwargs)
    assert _count(chats) == 0


def test_the_owner_rates_and_reads_their_own_conversation(chats: Database) -> None:
    with chats.session() as session:
        record_feedback(session, session_id="alice-1", turn=1, rating=1, shopper_id="alice")
    with chats.session() as session:
        assert [r.rating for r in conversation_feedback(session, "alice-1", "alice")] == [1]
        with pytest.raises(Forbidden):
            conversation_feedback(session, "alice-1", "mallory")
