"""The search index's table: one row per product with its tokenised text (what the full-text engine indexes)
and the text its vector was computed from. The vector index on disk is checked against `content_hash`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from shopcopilot.storage.base import Base


class SearchDocument(Base):
    __tablename__ = "search_documents"

    # An integer key that never changes for the row's life: SQLite's FTS5 table uses it as its rowid.
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), unique=True)
    merchant_id: Mapped[str] = mapped_column(String(64), index=True)
    category_id: Mapped[str | None] = mapped_column(String(64))
    # Space-separated tokens: English normalised, Chinese segmented by jieba (FTS engines cannot split Chinese).
    body: Mapped[str] = mapped_column(Text, default="")
    # The text the product's vector is computed from.
    passage: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now(), onupdate=func.now())


class SearchInteraction(Base):
    """A shopper chose a product from a search: clicked it, put it in the cart, or bought it. The ranker learns
    which products people choose for which words (`interactions.py`)."""

    __tablename__ = "search_interactions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    query: Mapped[str] = mapped_column(Text)
    terms: Mapped[list] = mapped_column(JSON, default=list)  # the query's full-text terms, as the parser gave them
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # click | add_to_cart | purchase
    chooser: Mapped[str] = mapped_column(String(120), index=True)  # the shopper, or a guest's conversation
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
