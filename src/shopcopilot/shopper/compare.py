"""Help me choose: compare two (to four) products, in one category or across categories (a kettle against an
espresso machine): shared and differing attributes, price and price per unit where the pack says how much is in
it, pros and cons for the shopper's stated need, and a verdict with its reasons. Every value comes from the store.

The parts: `compare_facts` (what is known of each product), `compare_table` (the aligned attribute rows),
`compare_need` (the need's words and where products mention them), `compare_verdict` (pros, cons, the verdict).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shopcopilot.agent.memory import preferences
from shopcopilot.catalog.models import Variant
from shopcopilot.commerce.models import BrowsingEvent, Cart, CartLine
from shopcopilot.errors import InvalidInput
from shopcopilot.shopper.compare_facts import describe
from shopcopilot.shopper.compare_need import is_budget_need, need_terms, terms_beyond_names
from shopcopilot.shopper.compare_table import table_rows
from shopcopilot.shopper.compare_verdict import pros_and_cons_rows, verdict, verdict_text, weigh

__all__ = ["MAX_COMPARED", "compare_products", "need_terms", "recent_products", "verdict_text"]

MAX_COMPARED = 4


def compare_products(
    session: Session,
    product_ids: list[str],
    *,
    need: str = "",
    language: str = "en",
    shopper_id: str | None = None,
) -> dict[str, Any]:
    """The comparison table, pros and cons for the need, and a verdict with reasons. Changes nothing."""
    product_ids = list(dict.fromkeys(product_ids))
    if not 2 <= len(product_ids) <= MAX_COMPARED:
        raise InvalidInput(f"compare 2 to {MAX_COMPARED} different products, got {len(product_ids)}")
    items = [describe(session, pid, language) for pid in product_ids]
    same_category = len({i.category_id for i in items}) == 1
    rows = table_rows(items, language)
    terms = terms_beyond_names(need, items)
    prefs = preferences(session, shopper_id)
    weighing = weigh(
        items,
        terms,
        budget=is_budget_need(need),
        liked={v.lower() for values in prefs.likes.values() for v in values},
        avoided={v.lower() for values in prefs.avoids.values() for v in values},
        language=language,
    )
    rows += pros_and_cons_rows(items, weighing, language)
    return {
        "product_ids": [i.product_id for i in items],
        "columns": [i.title for i in items],
        "rows": rows,
        "same_category": same_category,
        "need": need,
        "need_terms": terms,
        "pros": weighing.pros,
        "cons": weighing.cons,
        "scores": weighing.scores,
        "verdict": verdict(
            items, weighing, same_category=same_category, has_need=bool(terms), language=language
        ),
    }


def recent_products(session: Session, shopper_id: str, source: str, limit: int = 2) -> list[str]:
    """The products in the shopper's cart, or the most recently viewed ones ('history')."""
    if source == "cart":
        rows = session.scalars(
            select(Variant.product_id)
            .join(CartLine, CartLine.variant_id == Variant.id)
            .join(Cart, Cart.id == CartLine.cart_id)
            .where(Cart.shopper_id == shopper_id)
            .order_by(CartLine.id.desc())
        )
    else:
        rows = session.scalars(
            select(BrowsingEvent.product_id)
            .where(BrowsingEvent.shopper_id == shopper_id, BrowsingEvent.product_id.is_not(None))
            .order_by(BrowsingEvent.created_at.desc(), BrowsingEvent.id.desc())
            .limit(50)
        )
    return list(dict.fromkeys(rows))[:limit]
