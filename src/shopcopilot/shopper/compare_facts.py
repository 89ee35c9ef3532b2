"""What a comparison knows about each product: its category, price range, price per unit (where the pack says how
much is in it), the options its available variants come in, its top features and the text a need is matched in.
Every value comes from the store."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.orm import Session

from shopcopilot.catalog.models import Category, Variant
from shopcopilot.shopper.cards import load_product, money

# Quantities a price per unit can be computed from: option values such as "2L", "1.5 liters", "500 g".
_QUANTITY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ml|l|liters?|litres?|g|kg|pieces|pcs|cups?)\s*$", re.I)
_UNIT_SCALE = {
    "ml": ("L", 0.001),
    "l": ("L", 1.0),
    "liter": ("L", 1.0),
    "liters": ("L", 1.0),
    "litre": ("L", 1.0),
    "litres": ("L", 1.0),
    "g": ("kg", 0.001),
    "kg": ("kg", 1.0),
    "pieces": ("piece", 1.0),
    "pcs": ("piece", 1.0),
    "cup": ("cup", 1.0),
    "cups": ("cup", 1.0),
}
_PACK_UNITS = {"g": ("kg", 0.001), "ml": ("L", 0.001), "kg": ("kg", 1.0), "l": ("L", 1.0)}


@dataclass
class Compared:
    product_id: str
    title: str
    category_id: str | None
    category: str
    price_min: float | None
    price_max: float | None
    available: int
    variants: int
    options: dict[str, set[str]]
    per_unit: tuple[float, str] | None
    text: str
    features: list[str]
    name_en: str = ""
    name_zh: str = ""


def unit_price(variant: Variant, pack_unit: str | None) -> tuple[float, str] | None:
    """(price per unit, unit) of one variant: from its pack quantity, else from a quantity-like option value."""
    if variant.unit_quantity and pack_unit:
        unit, scale = _PACK_UNITS.get(pack_unit.lower(), (pack_unit, 1.0))
        return variant.price / (variant.unit_quantity * scale), unit
    for value in (variant.options or {}).values():
        match = _QUANTITY.match(str(value))
        if match and float(match.group(1)) > 0:
            unit, scale = _UNIT_SCALE[match.group(2).lower()]
            return variant.price / (float(match.group(1)) * scale), unit
    return None


def describe(session: Session, product_id: str, language: str) -> Compared:
    product = load_product(session, product_id)
    zh = language == "zh"
    content = product.content
    category = session.get(Category, product.category_id) if product.category_id else None
    live = [v for v in product.variants if v.available]
    prices = [v.price for v in (live or product.variants)]
    options: dict[str, set[str]] = {}
    for variant in live or product.variants:
        for name, value in (variant.options or {}).items():
            options.setdefault(name, set()).add(str(value))
    # A price per unit means something for what is used up (a 2L kettle is not "per litre").
    sold_by_quantity = bool(product.unit) or product.consumable
    unit_prices = [u for u in (unit_price(v, product.unit) for v in live) if u] if sold_by_quantity else []
    per_unit = min(unit_prices) if unit_prices and len({u[1] for u in unit_prices}) == 1 else None
    features = list((content.features_zh or content.features) if zh else content.features) if content else []
    parts = [product.name, product.name_zh or ""]
    if content:
        parts += [
            content.description,
            content.description_zh,
            content.suits,
            content.suits_zh,
            content.usage,
            content.usage_zh,
            *content.features,
            *content.features_zh,
            *(content.keywords or []),
        ]
    parts += [value for values in options.values() for value in values]
    return Compared(
        product_id=product.id,
        title=(product.name_zh or product.name) if zh else product.name,
        category_id=product.category_id,
        category=((category.name_zh or category.name) if zh else category.name) if category else "-",
        price_min=min(prices) if prices else None,
        price_max=max(prices) if prices else None,
        available=len(live),
        variants=len(product.variants),
        options=options,
        per_unit=per_unit,
        text=" ".join(p for p in parts if p).lower(),
        features=features[:3],
        name_en=product.name,
        name_zh=product.name_zh or "",
    )


def price_range(item: Compared) -> str:
    if item.price_min is None:
        return "-"
    if item.price_min == item.price_max:
        return money(item.price_min)
    return f"{money(item.price_min)} - {money(item.price_max)}"
