"""`shopcopilot search "QUERY"`: ranked products with the filters read from the query; `search reindex`."""

from __future__ import annotations

import argparse
import json

from shopcopilot.storage.db import create_database


def register(subparsers: argparse._SubParsersAction) -> None:
    search = subparsers.add_parser(
        "search", help='search the catalog in English or Chinese: shopcopilot search "蓝色棉质T恤 200元以内"'
    )
    search.add_argument("query", help='what to look for, e.g. "blue cotton t-shirt under $200", or "reindex"')
    search.add_argument("--limit", type=int, default=10, help="how many products (1-100, default 10)")
    search.add_argument("--merchant", default=None, help="only this merchant's products")
    search.add_argument("--json", action="store_true", help="print the response as JSON")
    search.set_defaults(func=_search)


def _search(args: argparse.Namespace) -> int:
    from shopcopilot.catalog.search import SearchEngine

    engine = SearchEngine(create_database())
    if args.query == "reindex":
        changed = engine.reindex()
        print(f"search index up to date ({changed} documents changed)")
        return 0
    response = engine.search(args.query, limit=args.limit, merchant_id=args.merchant)
    if args.json:
        print(json.dumps(response.to_dict(), ensure_ascii=False, indent=2))
        return 0
    print(_describe_filters(response))
    if not response.hits:
        print("no products match; try fewer words or a wider budget")
        return 0
    for rank, hit in enumerate(response.hits, 1):
        price = "" if hit.price_min is None else f"${hit.price_min:.2f}"
        if hit.price_max is not None and hit.price_max != hit.price_min:
            price += f"-${hit.price_max:.2f}"
        stock = "" if hit.available else " (none available)"
        print(
            f"{rank:>2}. {hit.name:<28} {price:<18} {len(hit.variant_ids):>3} variants  "
            f"score {hit.score:.4f}  id {hit.product_id}{stock}"
        )
    return 0


def _describe_filters(response) -> str:
    parsed, filters = response.parsed, response.filters
    parts = [f"language={parsed.language}", f"text={parsed.text!r}"]
    if filters.price_min is not None or filters.price_max is not None:
        low = "" if filters.price_min is None else f"{filters.price_min:g}"
        high = "" if filters.price_max is None else f"{filters.price_max:g}"
        parts.append(f"price={low}..{high}")
    if filters.options:
        parts.append("options=" + json.dumps(filters.options, ensure_ascii=False))
    if filters.excluded:
        parts.append("excluded=" + json.dumps(filters.excluded, ensure_ascii=False))
    if parsed.excluded_terms:
        parts.append("excluded_terms=" + ",".join(parsed.excluded_terms))
    if parsed.product_types:
        parts.append("types=" + ",".join(parsed.product_types))
    if filters.available_only:
        parts.append("in stock only")
    if filters.category_id:
        parts.append(f"category={filters.category_id}")
    return "parsed: " + "  ".join(parts)
