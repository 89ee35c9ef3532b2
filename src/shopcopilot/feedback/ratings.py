"""Recording and reading answer ratings. Plain functions over a session, so they are testable without HTTP."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shopcopilot.agent.models import ChatSession, ChatTurn
from shopcopilot.errors import Forbidden, InvalidInput, NotFound
from shopcopilot.feedback.models import Feedback

MAX_COMMENT_CHARS = 2000
RATINGS = (-1, 1)


def _conversation(session: Session, session_id: str, shopper_id: str | None) -> ChatSession:
    conversation = session.get(ChatSession, session_id)
    if conversation is None:
        raise NotFound(f"no conversation {session_id!r}: rate an answer you were given", code="session_not_found")
    if conversation.shopper_id is not None and conversation.shopper_id != shopper_id:
        # The same rule as the chat itself: a session id is not a key to another shopper's conversation.
        raise Forbidden("this conversation belongs to another shopper", code="not_your_conversation")
    return conversation


def _turn(session: Session, session_id: str, position: int | None, turn_id: int | None) -> ChatTurn | None:
    if turn_id is not None:
        turn = session.get(ChatTurn, turn_id)
        if turn is None or turn.session_id != session_id:
            raise NotFound(f"no turn {turn_id} in conversation {session_id!r}", code="turn_not_found")
        if position is not None and turn.position != position:
            raise InvalidInput("turn_id and turn name different turns", code="turn_mismatch")
        return turn
    if position is None:
        return None
    turn = session.scalar(
        select(ChatTurn).where(ChatTurn.session_id == session_id, ChatTurn.position == position)
    )
    if turn is None:
        raise NotFound(f"no turn {position} in conversation {session_id!r}", code="turn_not_found")
    return turn


def conversation_and_turn(
    session: Session, session_id: str, shopper_id: str | None, position: int | None, turn_id: int | None
) -> tuple[ChatSession, ChatTurn | None]:
    """The conversation (only its owner may touch it) and the turn named by position or id (None if neither)."""
    return _conversation(session, session_id, shopper_id), _turn(session, session_id, position, turn_id)


def record_feedback(
    session: Session,
    *,
    session_id: str,
    rating: int,
    comment: str = "",
    turn: int | None = None,
    turn_id: int | None = None,
    shopper_id: str | None = None,
) -> Feedback:
    """Store a rating of one answer (or of the whole conversation when no turn is named).

    Rating the same turn again replaces the earlier rating of that rater, so a changed mind is one row."""
    if rating not in RATINGS:
        raise InvalidInput("rating must be 1 (thumbs up) or -1 (thumbs down)", code="invalid_rating")
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT_CHARS:
        raise InvalidInput(f"comment is longer than {MAX_COMMENT_CHARS} characters", code="comment_too_long")
    _, chat_turn = conversation_and_turn(session, session_id, shopper_id, turn, turn_id)
    same_rater_and_turn = [
        Feedback.session_id == session_id,
        Feedback.turn_id == chat_turn.id if chat_turn else Feedback.turn_id.is_(None),
        Feedback.shopper_id == shopper_id if shopper_id else Feedback.shopper_id.is_(None),
    ]
    existing = session.scalar(select(Feedback).where(*same_rater_and_turn))
    row = existing or Feedback(session_id=session_id, shopper_id=shopper_id)
    row.turn_id = chat_turn.id if chat_turn else None
    row.turn_position = chat_turn.position if chat_turn else None
    row.rating = rating
    row.comment = comment
    if existing is None:
        session.add(row)
    session.flush()
    return row


def conversation_feedback(session: Session, session_id: str, shopper_id: str | None) -> list[Feedback]:
    """The ratings given in one conversation, oldest first (only its owner may read them)."""
    _conversation(session, session_id, shopper_id)
    return list(
        session.scalars(select(Feedback).where(Feedback.session_id == session_id).order_by(Feedback.id))
    )


def feedback_view(row: Feedback) -> dict[str, Any]:
    return {
        "id": row.id,
        "session_id": row.session_id,
        "turn_id": row.turn_id,
        "turn": row.turn_position,
        "rating": row.rating,
        "comment": row.comment,
        "created_at": row.created_at.isoformat() if row.created_at else None,
    }
