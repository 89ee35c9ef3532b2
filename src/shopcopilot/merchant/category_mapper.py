"""Which of the store's categories a photographed product belongs to.

Evidence: the ImageNet labels of the photo, the words read on it, and (when present) the store's own product names
per category. The evidence text and each category's description are embedded with the multilingual e5 model; the
category's score is the cosine, plus a bonus when a category or product word appears in the evidence verbatim.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from shopcopilot.catalog.models import Category, Product
from shopcopilot.config import PACKAGE_DATA

LEXICAL_BONUS = 0.04
NAMED_TYPE_BONUS = 0.1  # one of the store's product types is written on the product: strong evidence


class Embedder(Protocol):
    def embed_query(self, text: str) -> np.ndarray: ...

    def embed_passages(self, texts: list[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class CategoryCandidate:
    id: str
    name: str
    name_zh: str | None
    examples: tuple[str, ...] = ()

    def passage(self) -> str:
        examples = f": {', '.join(self.examples[:12])}" if self.examples else ""
        return f"{self.name} ({self.name_zh or ''}){examples}"


@dataclass(frozen=True)
class CategoryMatch:
    id: str
    name: str
    name_zh: str | None
    score: float

    def to_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "name_zh": self.name_zh, "score": round(self.score, 4)}


@lru_cache(maxsize=1)
def packaged_categories() -> list[dict]:
    return json.loads((PACKAGE_DATA / "categories.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def knowledge_categories() -> dict[str, str]:
    """Product-type name -> category id for the retail store's products (their rows carry no category)."""
    data = json.loads((PACKAGE_DATA / "product_knowledge.json").read_text(encoding="utf-8"))
    return {name: entry["category"] for name, entry in data.items() if entry.get("category")}


def product_category(product: Product) -> str | None:
    return product.category_id or knowledge_categories().get(product.name)


def store_categories(session: Session, merchant_id: str) -> list[CategoryCandidate]:
    """The categories this merchant sells in: its products' categories and the packaged ones for its store; every
    category in the database when neither says anything."""
    examples: dict[str, list[str]] = defaultdict(list)
    for product in session.scalars(select(Product).where(Product.merchant_id == merchant_id)):
        category = product_category(product)
        if category:
            examples[category].append(product.name)
    wanted = set(examples) | {c["id"] for c in packaged_categories() if c.get("store") == merchant_id}
    rows = {c.id: c for c in session.scalars(select(Category))}
    packaged = {c["id"]: c for c in packaged_categories()}
    ids = sorted(wanted) if wanted else sorted(rows) or sorted(packaged)
    out = []
    for category_id in ids:
        row = rows.get(category_id)
        spec = packaged.get(category_id, {})
        name = row.name if row else spec.get("name", category_id)
        name_zh = row.name_zh if row else spec.get("name_zh")
        out.append(CategoryCandidate(category_id, name, name_zh, tuple(examples.get(category_id, ()))))
    return out


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]{3,}", text.lower())} | set(re.findall(r"[\u4e00-\u9fff]{2,}", text))


def evidence_text(labels: list[str], ocr_words: list[str], hint: str | None = None) -> str:
    parts = []
    if hint:
        parts.append(hint)
    if labels:
        parts.append("a photo of " + ", ".join(labels))
    if ocr_words:
        parts.append("label text: " + " ".join(ocr_words))
    return "; ".join(parts)


def map_category(
    candidates: list[CategoryCandidate],
    labels: list[str],
    ocr_words: list[str],
    embedder: Embedder,
    *,
    hint: str | None = None,
) -> list[CategoryMatch]:
    """Every candidate with its score, best first (empty when there is nothing to map or no candidate)."""
    query = evidence_text(labels, ocr_words, hint)
    if not query or not candidates:
        return []
    vector = embedder.embed_query(query)
    matrix = embedder.embed_passages([c.passage() for c in candidates])
    scores = matrix @ vector
    evidence_words = _words(query)
    matches = []
    for candidate, score in zip(candidates, scores, strict=True):
        category_words = _words(candidate.name) | _words(" ".join(candidate.examples))
        bonus = LEXICAL_BONUS if evidence_words & category_words else 0.0
        if any(name.lower() in query.lower() for name in candidate.examples):
            bonus += NAMED_TYPE_BONUS
        matches.append(CategoryMatch(candidate.id, candidate.name, candidate.name_zh, float(score) + bonus))
    return sorted(matches, key=lambda m: -m.score)
