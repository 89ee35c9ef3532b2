"""Intent corrections: a rater says what a message meant; someone who runs the store accepts or rejects it.

Only accepted corrections reach the intent router (`feedback/learning.py`). Plain functions over a session.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shopcopilot.agent.intents import INTENTS
from shopcopilot.errors import InvalidInput, NotFound
from shopcopilot.feedback.models import IntentCorrection
from shopcopilot.feedback.ratings import conversation_and_turn

STATUSES = ("pending", "accepted", "rejected")


def record_correction(
    session: Session,
    *,
    session_id: str,
    intent: str,
    turn: int | None = None,
    turn_id: int | None = None,
    shopper_id: str | None = None,
) -> IntentCorrection:
    """Store "this message meant `intent`" for one turn the rater may see (pending review). Correcting the same
    turn again replaces the earlier correction of that rater while it is still pending."""
    if intent not in INTENTS:
        raise InvalidInput(f"unknown intent {intent!r}; use one of {', '.join(INTENTS)}", code="unknown_intent")
    if turn is None and turn_id is None:
        raise InvalidInput("name the turn that was misunderstood (turn or turn_id)", code="turn_required")
    _, chat_turn = conversation_and_turn(session, session_id, shopper_id, turn, turn_id)
    assert chat_turn is not None
    predicted = str((chat_turn.trace or {}).get("intent") or "")
    if predicted == intent:
        raise InvalidInput(f"the assistant already understood this as {intent!r}", code="not_a_correction")
    rater = IntentCorrection.shopper_id == shopper_id if shopper_id else IntentCorrection.shopper_id.is_(None)
    row = session.scalar(
        select(IntentCorrection).where(
            IntentCorrection.turn_id == chat_turn.id, rater, IntentCorrection.status == "pending"
        )
    ) or IntentCorrection(session_id=session_id, turn_id=chat_turn.id, shopper_id=shopper_id, status="pending")
    row.text, row.predicted, row.intent = chat_turn.message, predicted, intent
    if row.id is None:
        session.add(row)
    session.flush()
    return row


def list_corrections(session: Session, status: str | None = None, limit: int = 200) -> list[IntentCorrection]:
    if status is not None and status not in STATUSES:
        raise InvalidInput(f"status must be one of {', '.join(STATUSES)}", code="invalid_status")
    query = select(IntentCorrection).order_by(IntentCorrection.id).limit(limit)
    if status is not None:
        query = query.where(IntentCorrection.status == status)
    return list(session.scalars(query))


def review(session: Session, ids: Sequence[int], *, accept: bool) -> list[IntentCorrection]:
    """Accept or reject pending corrections; all or nothing (an unknown or already reviewed id changes nothing)."""
    if not ids:
        raise InvalidInput("name at least one correction id", code="ids_required")
    rows = {row.id: row for row in session.scalars(select(IntentCorrection).where(IntentCorrection.id.in_(ids)))}
    missing = [i for i in ids if i not in rows]
    if missing:
        raise NotFound(f"no correction with id {', '.join(map(str, missing))}", code="correction_not_found")
    done = [i for i in ids if rows[i].status != "pending"]
    if done:
        raise InvalidInput(f"already reviewed: {', '.join(map(str, done))}", code="already_reviewed")
    now = datetime.now(UTC).replace(tzinfo=None)
    for row in rows.values():
        row.status = "accepted" if accept else "rejected"
        row.reviewed_at = now
    session.flush()
    return [rows[i] for i in ids]


def accepted_examples(session: Session) -> list[tuple[str, str]]:
    """(text, intent) of every accepted correction, oldest first; for a text corrected to several intents the
    latest accepted one wins."""
    latest: dict[str, str] = {}
    for row in list_corrections(session, "accepted", limit=100_000):
        text = row.text.strip()
        if text:
            latest.pop(text, None)
            latest[text] = row.intent
    return list(latest.items())


def correction_view(row: IntentCorrection) -> dict[str, Any]:
    return {
        "id": row.id,
        "session_id": row.session_id,
        "turn_id": row.turn_id,
        "text": row.text,
        "predicted": row.predicted,
        "intent": row.intent,
        "status": row.status,
        "created_at": row.created_at.isoformat() if row.created_at else None,
        "reviewed_at": row.reviewed_at.isoformat() if row.reviewed_at else None,
    }
