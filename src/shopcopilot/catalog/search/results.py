"""What a search returns (hits and the response), and how a hit is made from a product's matching variants."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import NamedTuple

from shopcopilot.catalog.search.filters import SearchFilters, variant_matches
from shopcopilot.catalog.search.query_parser import ParsedQuery


class ProductInfo(NamedTuple):
    id: str
    name: str
    name_zh: str | None
    merchant_id: str
    category_id: str | None


@dataclass
class SearchHit:
    product_id: str
    name: str
    score: float
    variant_ids: list[str]  # variants that pass the filters, best first (available, then cheapest)
    price_min: float | None
    price_max: float | None
    merchant_id: str
    name_zh: str | None = None
    category_id: str | None = None
    available: bool = False  # at least one matching variant can be bought now


@dataclass
class SearchResponse:
    query: str
    parsed: ParsedQuery
    filters: SearchFilters
    hits: list[SearchHit] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "query": self.query,
            "parsed": self.parsed.to_dict(),
            "filters": self.filters.to_dict(),
            "hits": [asdict(hit) for hit in self.hits],
        }


@dataclass(frozen=True)
class VariantRow:
    id: str
    options: dict
    price: float
    available: bool
    position: int


def make_hit(
    product: dict, variants: list[VariantRow], score: float, filters: SearchFilters
) -> SearchHit | None:
    matching = [row for row in variants if variant_matches(row.options, row.price, row.available, filters)]
    if not matching and filters.constrains_variants:
        return None
    matching.sort(key=lambda row: (not row.available, row.price, row.position))
    prices = [row.price for row in matching]
    return SearchHit(
        product_id=product.id,
        name=product.name,
        score=score,
        variant_ids=[row.id for row in matching],
        price_min=min(prices) if prices else None,
        price_max=max(prices) if prices else None,
        merchant_id=product.merchant_id,
        name_zh=product.name_zh,
        category_id=product.category_id,
        available=any(row.available for row in matching),
    )
