"""The feedback table: one row per rating a shopper (or guest) gave an assistant answer."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, SmallInteger, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from shopcopilot.storage.base import Base


class Feedback(Base):
    """`rating` is +1 (thumbs up) or -1 (thumbs down). `turn_id` points at the rated `ChatTurn` when the turn
    is known; the session id is kept as well so that a rating survives a pruned turn."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(String(100), index=True)
    turn_id: Mapped[int | None] = mapped_column(ForeignKey("chat_turns.id", ondelete="SET NULL"), index=True)
    turn_position: Mapped[int | None] = mapped_column(Integer)
    shopper_id: Mapped[str | None] = mapped_column(String(64), index=True)
    rating: Mapped[int] = mapped_column(SmallInteger)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())


class IntentCorrection(Base):
    """"I meant X": the intent a rater says a message had, when the assistant understood something else.

    Corrections teach the intent router (`feedback/learning.py`) only once someone who runs the store accepts them
    (`status` 'pending' -> 'accepted' or 'rejected'): a shopper's word alone never retrains a model, so nobody can
    steer it by sending many wrong labels."""

    __tablename__ = "intent_corrections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(String(100), index=True)
    turn_id: Mapped[int | None] = mapped_column(ForeignKey("chat_turns.id", ondelete="SET NULL"), index=True)
    shopper_id: Mapped[str | None] = mapped_column(String(64), index=True)
    text: Mapped[str] = mapped_column(Text)
    predicted: Mapped[str] = mapped_column(String(32), default="")
    intent: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime)
