"""A suggested price band for a new listing, from the prices of comparable products already in the merchant's store.

Which products are comparable, in order (the first kind the store has is the basis, the others are not mixed in):
1. `name`: the store's products whose whole name is in the product type ("Water Bottle" for "water bottle"),
2. `type`: products whose head noun is the type's ("Electric Kettle" for "tea kettle", but not "Dumbbell Set" for
   "tea set"; a Chinese name by its last two characters, "无线耳机" for "蓝牙耳机"),
3. `category`: nothing of the type: the products in the same category, ordered by the search engine when there is
   one, else by shared name words and catalogue position,
4. `search`: no type match and no category known: the search engine's nearest products,
5. none: no basis, and no price is suggested (`suggested` is None and `basis` says why).
Within a kind, products of the same category come first; at most MAX_SIMILAR products are used.

The band is the 25th-75th percentile of the comparables' variant prices, with the median as the suggestion; each
product counts once, whatever its number of variants (a 20-variant product does not outweigh a 5-variant one).
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
SEARCH_POOL = 50  # search hits asked for when they only order the category's products

_TOKEN = re.compile(r"[a-z0-9]+")
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
_BRACKETED = re.compile(r"[（(][^）)]*[）)]")  # "烧水壶（炉灶用）": the note is not part of the name
# a name ending in one of these is named by the word before it: a "Tea Set" is not a "Dumbbell Set"
_SOLD_AS = frozenset({"set", "kit", "pack", "bundle", "pair", "combo", "collection"})
_SOLD_AS_ZH = ("套装", "组合", "礼盒")
_MATCH_LABEL = {
    "name": "the same product type",
    "type": "the same kind of product",
    "category": "the same category",
    "search": "the nearest by search",
}


@dataclass
class PriceBand:
    low: float | None
    suggested: float | None
    high: float | None
    currency: str = "USD"
    similar: list[dict] = field(default_factory=list)  # the products the band was computed from
    method: str = "none"  # name | type | category | search | none: which kind of comparables (see module doc)
    basis: str = ""  # what the band was based on, in a sentence for the merchant

    def to_dict(self) -> dict:
        return {
            "low": self.low,
            "suggested": self.suggested,
            "high": self.high,
            "currency": self.currency,
            "similar_products": self.similar,
            "method": self.method,
            "basis": self.basis,
        }


def _singular(word: str) -> str:
    for suffix, replacement in (("ies", "y"), ("sses", "ss"), ("shes", "sh"), ("ches", "ch"), ("xes", "x")):
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            return word[: -len(suffix)] + replacement
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word


def _tokens(text: str) -> list[str]:
    return [_singular(t) for t in _TOKEN.findall(text.lower())]


def _head(words: list[str]) -> str:
    """The head noun of a name's words: the last, unless it only says how the thing is sold ("Dumbbell Set")."""
    return words[-2] if len(words) > 1 and words[-1] in _SOLD_AS else words[-1]


def _chinese_ending(text: str) -> str:
    """The last two characters of a Chinese name, after a word that only says how it is sold ("哑铃套装" -> "哑铃")."""
    for word in _SOLD_AS_ZH:
        if text.endswith(word) and len(text) - len(word) >= 2:
            return text[: -len(word)][-2:]
    return text[-2:]


def _chinese_name(name_zh: str | None) -> str:
    """The Chinese name as matched: without its bracketed note or spaces, lower case ("LED灯泡" -> "led灯泡");
    empty when it has no Chinese character."""
    name = re.sub(r"\s+", "", _BRACKETED.sub("", name_zh or "")).lower()
    return name if re.search(r"[\u4e00-\u9fff]", name) else ""


@dataclass(frozen=True)
class _TypeQuery:
    """What the new product is, as the matching sees it."""

    words: frozenset[str]
    head: str | None  # the head noun when the type was given on its own, else None (any word may be the head)
    compact: str  # the type's text without spaces, lower case: where a Chinese name is looked for
    context: frozenset[str]  # every word of the query: ties are broken by the most shared words

    @classmethod
    def of(cls, query: str, product_type: str | None) -> _TypeQuery:
        type_text = product_type if product_type and product_type.strip() else query
        words = _tokens(type_text)
        return cls(
            frozenset(words),
            _head(words) if product_type and words else None,
            re.sub(r"\s+", "", type_text).lower(),
            frozenset(_tokens(query) + words),
        )

    def match(self, product: Product) -> str | None:
        """'name' when the product's whole name is in the type, 'type' when it shares the head noun, else None."""
        words = _tokens(product.name)
        chinese = _chinese_name(product.name_zh)
        if (words and set(words) <= self.words) or (chinese and chinese in self.compact):
            return "name"
        if words and (_head(words) == self.head if self.head else _head(words) in self.words):
            return "type"
        if chinese and any(_chinese_ending(chinese) == _chinese_ending(run) for run in _HAN_RUN.findall(self.compact)):
            return "type"
        return None

    def shared_words(self, product: Product) -> int:
        return len(self.context & set(_tokens(f"{product.name} {product.name_zh or ''}")))


def _prices(product: Product) -> list[float]:
    return [v.price for v in product.variants if v.price is not None and v.price > 0]


def _weighted_quantiles(values: np.ndarray, weights: np.ndarray, qs: list[float]) -> list[float]:
    """Quantiles where each value stands for its weight: the first value whose cumulative weight reaches the
    quantile, or the mean of it and the next when the quantile falls exactly between them (as an even count's
    median does)."""
    order = np.argsort(values)
    values, weights = values[order], weights[order]
    cumulative = np.cumsum(weights) / weights.sum()
    out = []
    for q in qs:
        i = min(int(np.searchsorted(cumulative, q - 1e-9)), len(values) - 1)
        at_boundary = abs(cumulative[i] - q) < 1e-9 and i + 1 < len(values)
        out.append(float((values[i] + values[i + 1]) / 2 if at_boundary else values[i]))
    return out


def band_from_prices(
    prices: list[float], weights: list[float] | None = None
) -> tuple[float, float, float] | None:
    """(25th percentile, median, 75th percentile) of the prices, each weighted (equal weights when None)."""
    if not prices:
        return None
    values = np.array(prices, dtype=float)
    weight = np.ones_like(values) if weights is None else np.array(weights, dtype=float)
    low, mid, high = _weighted_quantiles(values, weight, [0.25, 0.5, 0.75])
    return round(float(low), 2), round(float(mid), 2), round(float(high), 2)


def _merchant_products(session: Session, merchant_id: str) -> list[Product]:
    products = session.scalars(
        select(Product)
        .where(Product.merchant_id == merchant_id)
        .options(selectinload(Product.variants))
        .order_by(Product.position, Product.id)
    ).all()
    return [product for product in products if _prices(product)]  # a product without a price is no basis


def _search_ranks(engine: Any, merchant_id: str, query: str, limit: int) -> dict[str, int]:
    if engine is None or not query.strip():
        return {}
    hits = engine.search(query[:500], limit=limit, merchant_id=merchant_id).hits
    return {hit.product_id: rank for rank, hit in enumerate(hits)}


def find_comparables(
    session: Session,
    merchant_id: str,
    *,
    query: str,
    category_id: str | None = None,
    product_type: str | None = None,
    search_engine: Any | None = None,
) -> tuple[str, list[Product]]:
    """(kind, products): the merchant's products a new listing's price should be compared with (module doc)."""
    products = _merchant_products(session, merchant_id)
    wanted = _TypeQuery.of(query, product_type)
    categories = {product.id: product_category(product) for product in products}

    def same_category_first(product: Product) -> tuple[int, int]:
        return (0 if category_id and categories[product.id] == category_id else 1, -wanted.shared_words(product))

    matches = {product.id: wanted.match(product) for product in products}
    for kind in ("name", "type"):
        of_kind = [product for product in products if matches[product.id] == kind]
        if of_kind:
            return kind, sorted(of_kind, key=same_category_first)[:MAX_SIMILAR]  # stable: position breaks ties
    if category_id:
        in_category = [product for product in products if categories[product.id] == category_id]
        if not in_category:
            return "none", []
        ranks = _search_ranks(search_engine, merchant_id, query, SEARCH_POOL)
        in_category.sort(key=lambda p: (ranks.get(p.id, len(ranks)), -wanted.shared_words(p)))
        return "category", in_category[:MAX_SIMILAR]
    ranks = _search_ranks(search_engine, merchant_id, query, MAX_SIMILAR)
    nearest = sorted((p for p in products if p.id in ranks), key=lambda p: ranks[p.id])
    return ("search", nearest) if nearest else ("none", [])


def _basis(kind: str, similar: list[dict], category_id: str | None) -> str:
    if kind == "none":
        where = f" and nothing in its category ({category_id})" if category_id else " and its category is unknown"
        return f"No basis for a price: your store sells nothing of this type{where}. Set the price yourself."
    listed = ", ".join(
        f"{p['name']} ({p['variants']} variant{'s' if p['variants'] != 1 else ''}, "
        f"{p['price_min']:.2f}-{p['price_max']:.2f})"
        for p in similar
    )
    lead = {
        "name": "Priced from the same product type in your store",
        "type": "Priced from the same kind of product in your store",
        "category": f"Your store sells nothing of this type; priced from products in the same category ({category_id})",
        "search": "Your store sells nothing of this type and the category is unknown; priced from the nearest "
        "products by search",
    }[kind]
    return f"{lead}: {listed}. Band: 25th-75th percentile of their variant prices, each product counted once."


def suggest_price_band(
    session: Session,
    merchant_id: str,
    *,
    query: str,
    category_id: str | None = None,
    search_engine: Any | None = None,
    product_type: str | None = None,
) -> PriceBand:
    """The band for a new listing described by `query` (its noun, material, capacity...); `product_type` is what
    the product is ("water bottle"), when known apart from the rest of the query."""
    kind, comparables = find_comparables(
        session,
        merchant_id,
        query=query,
        category_id=category_id,
        product_type=product_type,
        search_engine=search_engine,
    )
    similar = [
        {
            "product_id": p.id,
            "name": p.name,
            "category_id": product_category(p),
            "match": _MATCH_LABEL[kind],
            "variants": len(_prices(p)),
            "price_min": min(_prices(p)),
            "price_max": max(_prices(p)),
        }
        for p in comparables
    ]
    prices = [price for p in comparables for price in _prices(p)]
    weights = [1 / len(_prices(p)) for p in comparables for _ in _prices(p)]
    band = band_from_prices(prices, weights)
    basis = _basis(kind if band else "none", similar, category_id)
    if band is None:
        return PriceBand(None, None, None, method="none", basis=basis)
    return PriceBand(band[0], band[1], band[2], similar=similar, method=kind, basis=basis)
