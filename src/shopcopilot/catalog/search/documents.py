"""What the index knows about a product: its tokenised full text and the passage its vector is computed from.

Built from the product's name (+ name_zh), category, option names and values, and its ProductContent when
present (description, features, suits, usage, keywords in both languages). English product-type words and option
values also get their Chinese words from the lexicon, so a Chinese query matches an English-only catalog even
before anyone writes Chinese content.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from shopcopilot.catalog.models import Category, Product, ProductContent, Variant
from shopcopilot.catalog.search.lexicon import PRODUCT_TYPE_TERMS, en_to_zh
from shopcopilot.catalog.search.text import index_tokens

_PASSAGE_DESCRIPTION_CHARS = 400


@dataclass(frozen=True)
class ProductDocument:
    product_id: str
    merchant_id: str
    category_id: str | None
    name: str
    name_zh: str | None
    body: str
    passage: str
    content_hash: str


def option_values(variants: Iterable[Variant]) -> dict[str, list[str]]:
    """Option name -> distinct values over the variants, in first-seen order."""
    values: dict[str, dict[str, None]] = {}
    for variant in variants:
        for name, value in (variant.options or {}).items():
            values.setdefault(str(name), {})[str(value)] = None
    return {name: list(seen) for name, seen in values.items()}


def _content_texts(content: ProductContent | None) -> tuple[list[str], list[str]]:
    if content is None:
        return [], []
    english = [content.description, content.suits, content.usage, *map(str, content.features or [])]
    chinese = [
        content.description_zh,
        content.suits_zh,
        content.usage_zh,
        *map(str, content.features_zh or []),
    ]
    english += [str(k) for k in content.keywords or []]
    return [t for t in english if t], [t for t in chinese if t]


def _chinese_for(name: str, options: dict[str, list[str]]) -> list[str]:
    lowered = name.lower()
    words = [zh for term in PRODUCT_TYPE_TERMS if term in lowered for zh in en_to_zh(term)]
    words += [zh for values in options.values() for value in values for zh in en_to_zh(value)]
    return list(dict.fromkeys(words))


def build_document(product: Product, category: Category | None = None) -> ProductDocument:
    options = option_values(product.variants)
    english, chinese = _content_texts(product.content)
    option_text = "; ".join(f"{name}: {', '.join(values)}" for name, values in options.items())
    category_words = [category.name, category.name_zh or ""] if category else []
    parts = [product.name, product.name_zh or "", *category_words, option_text, *english, *chinese]
    parts += _chinese_for(product.name, options)
    body = " ".join(index_tokens(" ".join(p for p in parts if p)))
    description = english[0] if english else ""
    passage = ". ".join(
        p
        for p in (
            " / ".join(n for n in (product.name, product.name_zh) if n),
            category.name if category else "",
            option_text,
            description[:_PASSAGE_DESCRIPTION_CHARS],
        )
        if p
    )
    digest = hashlib.sha256(
        f"{body}\0{passage}\0{product.merchant_id}\0{product.category_id}".encode()
    ).hexdigest()
    return ProductDocument(
        product_id=product.id,
        merchant_id=product.merchant_id,
        category_id=product.category_id,
        name=product.name,
        name_zh=product.name_zh,
        body=body,
        passage=passage,
        content_hash=digest,
    )
