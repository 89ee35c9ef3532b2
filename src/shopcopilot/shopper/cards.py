"""Product cards: title, price range, image, features, who/when it suits, why it was picked, and its options
with per-variant price and availability. Every field comes from the store's tables."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from shopcopilot.catalog.models import Product, Variant
from shopcopilot.errors import NotFound


def cheapest_in_budget(session: Session, price_min: float | None, price_max: float | None) -> dict[str, float]:
    """product -> its cheapest available variant within the bounds, for every product that has one."""
    query = select(Variant.product_id, func.min(Variant.price)).where(Variant.available)
    if price_min is not None:
        query = query.where(Variant.price >= price_min)
    if price_max is not None:
        query = query.where(Variant.price <= price_max)
    return {product_id: float(price) for product_id, price in session.execute(query.group_by(Variant.product_id))}


def _price_range(prices: list[float]) -> str:
    if not prices:
        return ""
    low, high = min(prices), max(prices)
    return money(low) if low == high else f"{money(low)} - {money(high)}"


def money(value: float) -> str:
    return f"${value:,.2f}"


def variant_matches(options: dict[str, Any], wanted: dict[str, list[str]], excluded: dict[str, list[str]]) -> bool:
    for name, values in (wanted or {}).items():
        if name in options and str(options[name]) not in values:
            return False
    for name, values in (excluded or {}).items():
        if name in options and str(options[name]) in values:
            return False
    return True


def load_product(session: Session, product_id: str) -> Product:
    product = session.get(Product, product_id, options=[selectinload(Product.variants), selectinload(Product.content)])
    if product is None:
        raise NotFound(f"product {product_id} not found")
    return product


def build_card(
    session: Session,
    product_id: str,
    *,
    language: str = "en",
    reason: str = "",
    wanted: dict[str, list[str]] | None = None,
    excluded: dict[str, list[str]] | None = None,
    price_min: float | None = None,
    price_max: float | None = None,
) -> dict[str, Any]:
    """A card for one product. Variants matching the shopper's constraints are flagged `matches`; the card's
    `match_price_min/max` cover the matching, available ones (None when none match)."""
    product = load_product(session, product_id)
    content = product.content
    zh = language == "zh"
    variants: list[dict[str, Any]] = []
    for variant in product.variants:
        matches = variant_matches(variant.options, wanted or {}, excluded or {})
        if price_min is not None and variant.price < price_min:
            matches = False
        if price_max is not None and variant.price > price_max:
            matches = False
        variants.append({
            "variant_id": variant.id,
            "options": dict(variant.options or {}),
            "price": round(float(variant.price), 2),
            "available": bool(variant.available),
            "matches": matches,
        })
    prices = [v["price"] for v in variants]
    matching = [v["price"] for v in variants if v["matches"] and v["available"]]
    option_names: list[str] = []
    for v in variants:
        for name in v["options"]:
            if name not in option_names:
                option_names.append(name)
    images = list(content.images or []) if content else []
    return {
        "product_id": product.id,
        "title": (product.name_zh or product.name) if zh else product.name,
        "name": product.name,
        "merchant_id": product.merchant_id,
        "price_min": min(prices) if prices else None,
        "price_max": max(prices) if prices else None,
        "price_range": _price_range(prices),
        "match_price_min": min(matching) if matching else None,
        "match_price_max": max(matching) if matching else None,
        "image": images[0] if images else None,
        "images": images,
        "description": ((content.description_zh or content.description) if zh else content.description)
        if content else "",
        "features": list((content.features_zh or content.features) if zh else content.features) if content else [],
        "suits": ((content.suits_zh or content.suits) if zh else content.suits) if content else "",
        "usage": ((content.usage_zh or content.usage) if zh else content.usage) if content else "",
        "reason": reason,
        "option_names": option_names,
        "variants": variants,
        "add_to_cart": {
            "tool": "add_to_cart",
            "variant_ids": [v["variant_id"] for v in variants if v["available"] and v["matches"]],
        },
    }
