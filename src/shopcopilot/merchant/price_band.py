"""A suggested price band for a new listing, from the prices of similar products already in the store.

Similar products come from the store's search engine when one is given (hybrid text + vector search restricted to
the merchant), else from the database: the merchant's products in the same category, nearest by shared name words.
The band is the 25th-75th percentile of their variant prices, with the median as the suggestion.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from shopcopilot.catalog.models import Product
from shopcopilot.merchant.category_mapper import product_category

MAX_SIMILAR = 5


@dataclass
class PriceBand:
    low: float | None
    suggested: float | None
    high: float | None
    currency: str = "USD"
    similar: list[dict] = field(default_factory=list)  # the products the band was computed from
    method: str = "none"

    def to_dict(self) -> dict:
        return {
            "low": self.low,
            "suggested": self.suggested,
            "high": self.high,
            "currency": self.currency,
            "similar_products": self.similar,
            "method": self.method,
        }


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]{3,}", text.lower())) | set(re.findall(r"[\u4e00-\u9fff]", text))


def band_from_prices(prices: list[float]) -> tuple[float, float, float] | None:
    if not prices:
        return None
    low, mid, high = np.percentile(np.array(prices, dtype=float), [25, 50, 75])
    return round(float(low), 2), round(float(mid), 2), round(float(high), 2)


def _similar_from_db(
    session: Session, merchant_id: str, category_id: str | None, query: str
) -> list[Product]:
    products = session.scalars(
        select(Product).where(Product.merchant_id == merchant_id).options(selectinload(Product.variants))
    ).all()
    wanted = _words(query)
    scored = []
    for product in products:
        same_category = category_id is not None and product_category(product) == category_id
        overlap = len(wanted & _words(f"{product.name} {product.name_zh or ''}"))
        if same_category or overlap:
            scored.append((overlap + (2 if same_category else 0), product.position, product))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [product for _, _, product in scored[:MAX_SIMILAR]]


def _similar_from_search(session: Session, engine: Any, merchant_id: str, query: str) -> list[Product]:
    hits = engine.search(query[:500], limit=MAX_SIMILAR, merchant_id=merchant_id).hits
    ids = [hit.product_id for hit in hits]
    rows = {
        p.id: p
        for p in session.scalars(
            select(Product).where(Product.id.in_(ids)).options(selectinload(Product.variants))
        )
    }
    return [rows[i] for i in ids if i in rows]


def suggest_price_band(
    session: Session,
    merchant_id: str,
    *,
    query: str,
    category_id: str | None = None,
    search_engine: Any | None = None,
) -> PriceBand:
    similar: list[Product] = []
    method = "database"
    if search_engine is not None and query.strip():
        similar = _similar_from_search(session, search_engine, merchant_id, query)
        method = "search"
    if not similar:
        similar = _similar_from_db(session, merchant_id, category_id, query)
        method = "database"
    prices = [v.price for p in similar for v in p.variants if v.price is not None and v.price > 0]
    band = band_from_prices(prices)
    if band is None:
        return PriceBand(None, None, None, method="none")
    return PriceBand(
        band[0],
        band[1],
        band[2],
        similar=[
            {
                "product_id": p.id,
                "name": p.name,
                "price_min": min(v.price for v in p.variants) if p.variants else None,
                "price_max": max(v.price for v in p.variants) if p.variants else None,
            }
            for p in similar
        ],
        method=method,
    )
