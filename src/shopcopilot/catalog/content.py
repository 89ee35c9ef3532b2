"""Shipped product content: knowledge for the retail store's product types, the everyday-goods store, categories
and the option lexicon (en -> zh). The data lives in `shopcopilot/data/*.json`; this module loads it and writes it
into the catalog tables. Loading is idempotent: running it twice updates rows instead of duplicating them.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shopcopilot.catalog.models import Category, Merchant, Product, ProductContent, Variant
from shopcopilot.config import PACKAGE_DATA
from shopcopilot.errors import Conflict, InvalidInput

RETAIL_MERCHANT_ID = "retail"
EVERYDAY_MERCHANT_ID = "everyday"

_QUANTITY = re.compile(r"^(?P<number>[\d.]+)\s*(?P<unit>[A-Za-z]+)$")


def _read(name: str) -> Any:
    path = PACKAGE_DATA / name
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InvalidInput(f"shipped data file {path} is missing; reinstall the package") from exc
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"shipped data file {path} is not valid JSON: {exc}") from exc


@cache
def product_knowledge() -> dict[str, dict]:
    """Knowledge per retail product type, keyed by the type's English name (e.g. "T-Shirt")."""
    return _read("product_knowledge.json")


@cache
def option_lexicon() -> dict[str, Any]:
    """The option lexicon: `names`, `values`, `by_option`, `units`, `name_synonyms_zh`, `synonyms_zh`."""
    return _read("option_lexicon.json")


@cache
def _categories() -> tuple[dict, ...]:
    return tuple(_read("categories.json"))


def category_names(store: str | None = None) -> dict[str, dict[str, str]]:
    """Category id -> {"name", "name_zh", "store"}; `store` ("retail" / "everyday") narrows the result."""
    return {
        c["id"]: {"name": c["name"], "name_zh": c["name_zh"], "store": c["store"]}
        for c in _categories()
        if store is None or c["store"] == store
    }


@cache
def everyday_store() -> dict[str, Any]:
    """The raw everyday-goods store: {"merchant", "currency", "products": [...]}."""
    return _read("everyday_store.json")


def translate_option_name(name: str) -> str:
    """Chinese name of an option ("color" -> "颜色"); unknown names come back unchanged."""
    return option_lexicon()["names"].get(name, name)


def translate_option_value(name: str, value: str) -> str:
    """Chinese form of an option value, taking the option into account ("large" is 大号 as a size, 大房间 as a
    room size). Quantities such as "500 g" or "2 L" are translated unit by unit. Unknown values come back as is."""
    lexicon = option_lexicon()
    specific = lexicon["by_option"].get(name, {})
    if value in specific:
        return specific[value]
    if value in lexicon["values"]:
        return lexicon["values"][value]
    match = _QUANTITY.match(value)
    if match and match["unit"] in lexicon["units"]:
        return f"{match['number']} {lexicon['units'][match['unit']]}"
    return value


def has_option_translation(name: str, value: str) -> bool:
    """Whether the lexicon really knows this value (not just the pass-through fallback)."""
    lexicon = option_lexicon()
    if value in lexicon["by_option"].get(name, {}) or value in lexicon["values"]:
        return True
    match = _QUANTITY.match(value)
    return bool(match and match["unit"] in lexicon["units"])


@cache
def zh_value_index() -> dict[str, str]:
    """Flat map of every Chinese option word -> English option value: the translations of `values` and
    `by_option` plus the synonyms (which win where they differ). What a query parser needs."""
    lexicon = option_lexicon()
    index: dict[str, str] = {}
    for source in (lexicon["values"], *lexicon["by_option"].values()):
        for english, chinese in source.items():
            if chinese != english:
                index.setdefault(chinese, english)
    index.update(lexicon["synonyms_zh"])
    return index


def option_value_from_zh(text: str) -> str | None:
    """English option value for a Chinese word or synonym ("蓝" -> "blue", "真皮" -> "leather"), or None."""
    return zh_value_index().get(text.strip())


def price_per_unit(price: float, unit_quantity: float | None) -> float | None:
    """Price of one unit (gram, millilitre, piece...) of a pack; None where the pack has no quantity."""
    if not unit_quantity or unit_quantity <= 0:
        return None
    return price / unit_quantity


def ensure_categories(session: Session, store: str | None = None) -> int:
    """Create or update the shipped categories (of one store, or all). Returns how many were written."""
    count = 0
    for category_id, names in category_names(store).items():
        row = session.get(Category, category_id)
        if row is None:
            session.add(Category(id=category_id, name=names["name"], name_zh=names["name_zh"]))
        else:
            row.name, row.name_zh = names["name"], names["name_zh"]
        count += 1
    session.flush()
    return count


def _set_content(product: Product, fields: dict, keywords: list[str]) -> None:
    content = product.content or ProductContent(product_id=product.id)
    for field in ("description", "suits", "usage"):
        setattr(content, field, fields[field])
        setattr(content, f"{field}_zh", fields[f"{field}_zh"])
    content.features = list(fields["features"])
    content.features_zh = list(fields["features_zh"])
    content.keywords = list(dict.fromkeys(k for k in keywords if k))
    if content.images is None:
        content.images = []
    product.content = content


def apply_product_knowledge(session: Session, *, merchant_id: str = RETAIL_MERCHANT_ID) -> int:
    """Fill category, Chinese name, consumable flag and content of the retail products, matched by name.

    Creates the retail categories first. Returns the number of products updated; products whose name has no
    knowledge entry are left alone.
    """
    knowledge = product_knowledge()
    ensure_categories(session, "retail")
    products = session.scalars(select(Product).where(Product.merchant_id == merchant_id)).all()
    updated = 0
    for product in products:
        entry = knowledge.get(product.name)
        if entry is None:
            continue
        product.category_id = entry["category"]
        product.name_zh = entry["name_zh"]
        product.consumable = bool(entry["consumable"])
        _set_content(product, entry, [product.name, entry["name_zh"], *entry["keywords_zh"]])
        updated += 1
    session.flush()
    return updated


def _merchant(session: Session, merchant_id: str, name: str, name_zh: str) -> Merchant:
    existing = session.get(Merchant, merchant_id)
    if existing is not None:
        return existing
    same_name = session.scalar(select(Merchant).where(Merchant.name == name))
    if same_name is not None:
        raise Conflict(
            f"merchant name {name!r} already belongs to merchant {same_name.id!r}; "
            f"load the everyday store under that id or rename the existing merchant"
        )
    merchant = Merchant(id=merchant_id, name=name, name_zh=name_zh)
    session.add(merchant)
    return merchant


def load_everyday_store(session: Session, *, merchant_id: str = EVERYDAY_MERCHANT_ID) -> int:
    """Create (or refresh) the everyday-goods merchant with its categories, products, variants and content.

    Product ids are the shipped ones ("EV-0001"); under another merchant id they are prefixed with it so that
    two copies can live in one database. A second run refreshes names, texts and options but leaves the price,
    availability and stock of existing variants alone (those are the shop's live data). Returns the number of
    products written.
    """
    if not merchant_id or not re.fullmatch(r"[A-Za-z0-9_.-]{1,40}", merchant_id):
        raise InvalidInput(f"merchant id {merchant_id!r} must be 1-40 letters, digits, '-', '_' or '.'")
    store = everyday_store()
    info = store["merchant"]
    name = info["name"] if merchant_id == EVERYDAY_MERCHANT_ID else f"{info['name']} ({merchant_id})"
    _merchant(session, merchant_id, name, info["name_zh"])
    ensure_categories(session, "everyday")
    prefix = "" if merchant_id == EVERYDAY_MERCHANT_ID else f"{merchant_id}-"
    existing_ids = {
        pid for pid in session.scalars(select(Product.id).where(Product.merchant_id == merchant_id)).all()
    }
    count = 0
    for position, item in enumerate(store["products"]):
        product_id = prefix + item["id"]
        product = session.get(Product, product_id) if product_id in existing_ids else None
        if product is None:
            if session.get(Product, product_id) is not None:
                raise Conflict(f"product id {product_id} already belongs to another merchant")
            product = Product(id=product_id, merchant_id=merchant_id, name=item["name"])
            session.add(product)
        product.name = item["name"]
        product.name_zh = item["name_zh"]
        product.category_id = item["category"]
        product.position = position
        product.consumable = bool(item["consumable"])
        product.unit = item["unit"]
        _sync_variants(product, item["variants"], prefix)
        _set_content(product, item, [item["name"], item["name_zh"], *item["tags"]])
        count += 1
    session.flush()
    return count


def _sync_variants(product: Product, variants: list[dict], prefix: str) -> None:
    by_id = {variant.id: variant for variant in product.variants}
    for position, data in enumerate(variants):
        variant_id = prefix + data["id"]
        variant = by_id.get(variant_id)
        if variant is None:
            # Price, availability and stock are set only on creation: afterwards they belong to the shop.
            variant = Variant(
                id=variant_id,
                price=float(data["price"]),
                available=bool(data["available"]),
                stock=int(data["stock"]),
            )
            product.variants.append(variant)
        variant.position = position
        variant.options = dict(data["options"])
        variant.unit_quantity = data.get("unit_quantity")
