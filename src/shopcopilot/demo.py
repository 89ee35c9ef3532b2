"""The demo store: the real retail store, its product knowledge, the everyday-goods merchant, coupons, browsing.

`load_demo_store` is what `make run` calls on an empty database.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from shopcopilot.catalog.models import Product
from shopcopilot.config import default_retail_dir
from shopcopilot.storage.db import Database


def is_empty(database: Database) -> bool:
    with database.session() as session:
        return not session.scalar(select(func.count()).select_from(Product))


def load_demo_store(database: Database, retail_dir: Path | None = None, *, index: bool = True) -> dict:
    """Load everything the demo needs into a database at the latest schema; returns counts per step."""
    from shopcopilot.catalog.content import apply_product_knowledge, load_everyday_store
    from shopcopilot.catalog.retail_io import load_retail
    from shopcopilot.commerce.seed import seed_browsing, seed_coupons

    summary: dict = {}
    with database.session() as session:
        summary["retail"] = load_retail(session, retail_dir or default_retail_dir())
        summary["knowledge"] = apply_product_knowledge(session)
        summary["everyday_products"] = load_everyday_store(session)
        summary["coupons"] = seed_coupons(session)
        summary["browsing_events"] = seed_browsing(session)
    if index:
        from shopcopilot.catalog.search import SearchEngine

        SearchEngine(database).reindex()
        summary["indexed"] = True
    return summary
