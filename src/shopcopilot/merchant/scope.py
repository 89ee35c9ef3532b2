"""The merchant's own rows that an operation reads or writes: ownership checks and the scope an operation names
(variant ids, a product by id or name, a category, option filters).

Another store's variant or product is reported as not found (404), so ids of other stores are not disclosed.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from shopcopilot.catalog.models import Category, Product, Variant
from shopcopilot.errors import InvalidInput, NotFound
from shopcopilot.merchant.category_mapper import packaged_categories, product_category


def _singular(word: str) -> str:
    word = word.lower().strip()
    for suffix, repl in (("ies", "y"), ("shes", "sh"), ("ches", "ch"), ("sses", "ss"), ("s", "")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            return word[: -len(suffix)] + repl
    return word


def _norm(text: str) -> str:
    return " ".join(_singular(w) for w in re.findall(r"[a-z0-9]+|[\u4e00-\u9fff]+", text.lower()))


def own_variant(session: Session, merchant_id: str, variant_id: str) -> Variant:
    variant = session.get(Variant, str(variant_id), options=[selectinload(Variant.product)])
    if variant is None or variant.product.merchant_id != merchant_id:
        raise NotFound(f"no variant {variant_id!r} in your store", code="variant_not_found")
    return variant


def own_product(session: Session, merchant_id: str, product_id: str) -> Product:
    product = session.get(Product, str(product_id))
    if product is None or product.merchant_id != merchant_id:
        raise NotFound(f"no product {product_id!r} in your store", code="product_not_found")
    return product


def find_category(session: Session, text: str) -> str | None:
    """A category id from an id or a (partial, en or zh) name."""
    wanted = _norm(text)
    rows = [(c.id, c.name, c.name_zh or "") for c in session.scalars(select(Category))]
    rows += [(c["id"], c["name"], c.get("name_zh", "")) for c in packaged_categories()]
    for category_id, name, name_zh in rows:
        if wanted in (_norm(category_id), _norm(name)) or (name_zh and text.strip() in name_zh):
            return category_id
    for category_id, name, _ in rows:
        words = set(_norm(name).split()) | set(_norm(category_id.replace("-", " ")).split())
        if wanted and set(wanted.split()) <= words:
            return category_id
    return None


def resolve_variants(session: Session, merchant_id: str, scope: dict) -> list[Variant]:
    """The merchant's variants a scope names: `variant_ids`, or `product` (id or name) and/or `category`, narrowed
    by `options` (e.g. {"size": "XL"})."""
    if not isinstance(scope, dict) or not scope:
        raise InvalidInput("say which products: a product name, a category or variant ids", code="no_scope")
    if scope.get("variant_ids"):
        return [own_variant(session, merchant_id, v) for v in scope["variant_ids"]]
    products = session.scalars(
        select(Product).where(Product.merchant_id == merchant_id).options(selectinload(Product.variants))
    ).all()
    chosen = list(products)
    if scope.get("product"):
        text = str(scope["product"])
        wanted = _norm(text)
        chosen = [
            p
            for p in chosen
            if p.id == text or _norm(p.name) == wanted or (p.name_zh and text.strip() == p.name_zh.strip())
        ] or [
            p
            for p in chosen
            if wanted and (wanted in _norm(p.name) or (p.name_zh and text.strip() in p.name_zh))
        ]
    if scope.get("category"):
        category_id = find_category(session, str(scope["category"]))
        chosen = [p for p in chosen if category_id and product_category(p) == category_id]
    variants = [v for p in chosen for v in p.variants]
    options = scope.get("options") or {}
    for key, value in options.items():
        variants = [v for v in variants if str((v.options or {}).get(key, "")).lower() == str(value).lower()]
    if not variants:
        raise NotFound(f"nothing in your store matches {scope}", code="no_match")
    return variants


def variant_label(variant: Variant) -> str:
    options = ", ".join(f"{k}: {v}" for k, v in (variant.options or {}).items())
    return f"{variant.product.name} ({options})" if options else variant.product.name
