"""The merchant audit log: every consequential operation, from its dry-run preview to its application and undo.

One row per operation. A preview is stored (status "previewed") so that confirming it applies exactly what the
merchant saw; applying records the undo payload; undoing records who undid it and when.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from shopcopilot.storage.base import Base

STATUSES = ("previewed", "applied", "undone", "cancelled", "failed")


class MerchantOperation(Base):
    __tablename__ = "merchant_operations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    merchant_id: Mapped[str] = mapped_column(ForeignKey("merchants.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[str | None] = mapped_column(String(100), index=True)
    operation: Mapped[str] = mapped_column(String(64))
    arguments: Mapped[dict] = mapped_column(JSON, default=dict)
    summary: Mapped[str] = mapped_column(Text, default="")
    diff: Mapped[list] = mapped_column(JSON, default=list)
    undo: Mapped[dict | None] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="previewed", index=True)
    actor: Mapped[str] = mapped_column(String(100), default="merchant")
    request: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    applied_at: Mapped[datetime | None] = mapped_column(DateTime)
    undone_at: Mapped[datetime | None] = mapped_column(DateTime)
