"""The final hits: only the best `limit` products are read from the database, with their current variants."""

from __future__ import annotations

import json

import numpy as np

from shopcopilot.catalog.search.catalog_arrays import CatalogArrays
from shopcopilot.catalog.search.filters import SearchFilters
from shopcopilot.catalog.search.results import SearchHit, VariantRow, make_hit

_VARIANTS_SQL = (
    "SELECT product_id, id, options, price, available, position FROM variants WHERE product_id IN "
)


def read_variants(connection, product_ids: list[str], need_options: bool) -> dict[str, list[VariantRow]]:
    """Variants of these products from a DB-API connection (one plain query, no ORM)."""
    if not product_ids:
        return {}
    mark = "?" if type(connection).__module__.startswith("sqlite3") else "%s"
    cursor = connection.cursor()
    try:
        cursor.execute(_VARIANTS_SQL + "(" + ",".join([mark] * len(product_ids)) + ")", product_ids)
        rows = cursor.fetchall()
    finally:
        cursor.close()
    variants: dict[str, list[VariantRow]] = {}
    for product_id, variant_id, options, price, available, position in rows:
        if not need_options:
            options = {}
        elif isinstance(options, str):  # SQLite hands JSON back as text; psycopg decodes it
            options = json.loads(options)
        row = VariantRow(variant_id, options or {}, float(price), bool(available), position or 0)
        variants.setdefault(product_id, []).append(row)
    return variants


def hydrate(
    connection,
    arrays: CatalogArrays,
    rows: np.ndarray,
    scores: np.ndarray,
    filters: SearchFilters,
    limit: int,
) -> list[SearchHit]:
    """Walk the ranking in windows until `limit` products have a variant that passes the filters. The arrays
    said they would; the rows read now have the last word (a change may have landed since)."""
    hits: list[SearchHit] = []
    need_options = bool(filters.options or filters.excluded)
    start, window = 0, limit + 2
    while start < len(rows) and len(hits) < limit:
        chunk = [int(row) for row in rows[start : start + window]]
        variants = read_variants(connection, [arrays.ids[row] for row in chunk], need_options)
        for row, score in zip(chunk, scores[start : start + window], strict=True):
            info = arrays.info[row]
            hit = make_hit(info, variants.get(info.id, []), float(score), filters)
            if hit is not None:
                hits.append(hit)
                if len(hits) == limit:
                    break
        start, window = start + window, window * 4
    return hits
