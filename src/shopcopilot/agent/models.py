"""Assistant tables: conversations (dialogue state per session id), their turns, and long-term shopper memory."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from shopcopilot.storage.base import Base


class ChatSession(Base):
    """One conversation. `shopper_id` is the token owner (None for a guest); `state` is the serialised
    `DialogueState`, which holds the shopper authenticated inside the conversation."""

    __tablename__ = "chat_sessions"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    shopper_id: Mapped[str | None] = mapped_column(String(64), index=True)
    state: Mapped[dict] = mapped_column(JSON, default=dict)
    turns: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now(), onupdate=func.now())


class ChatTurn(Base):
    """A turn as it was answered: the message, the blocks and the trace (the audit of what the assistant did)."""

    __tablename__ = "chat_turns"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("chat_sessions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str] = mapped_column(Text)
    blocks: Mapped[list] = mapped_column(JSON, default=list)
    trace: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())


class MemoryItem(Base):
    """Something the assistant knows about a shopper: `polarity` 'like' or 'avoid' of `value` for `attribute`
    (category, color, material, price_band, ...). `source` is 'explicit' (the shopper said it; kept until the
    shopper edits or deletes it) or 'orders' / 'cart' / 'browsing' (learned; recomputed from the data)."""

    __tablename__ = "memory_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    shopper_id: Mapped[str] = mapped_column(ForeignKey("shoppers.id", ondelete="CASCADE"), index=True)
    attribute: Mapped[str] = mapped_column(String(64))
    value: Mapped[str] = mapped_column(String(200))
    polarity: Mapped[str] = mapped_column(String(16), default="like")
    source: Mapped[str] = mapped_column(String(32), default="explicit")
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now(), onupdate=func.now())
