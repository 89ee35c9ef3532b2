"""The in-memory catalog arrays agree with the plain per-variant filter rule on the real retail catalog."""

from __future__ import annotations

import random

import numpy as np
import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from tests.catalog.search_catalog import OTHER_MERCHANT

from shopcopilot.catalog.models import Product, Variant
from shopcopilot.catalog.search.catalog_arrays import CatalogArrays
from shopcopilot.catalog.search.filters import SearchFilters, variant_matches
from shopcopilot.storage.db import Database


def _arrays(database: Database) -> CatalogArrays:
    connection = database.engine.raw_connection()
    try:
        return CatalogArrays.load(connection.driver_connection)
    finally:
        connection.close()


def _expected(products: list[Product], filters: SearchFilters) -> set[str]:
    """The rule as `filters.py` states it, product by product."""
    out = set()
    for product in products:
        if filters.merchant_id and product.merchant_id != filters.merchant_id:
            continue
        if filters.category_id and product.category_id != filters.category_id:
            continue
        if filters.constrains_variants and not any(
            variant_matches(v.options, v.price, v.available, filters) for v in product.variants
        ):
            continue
        out.add(product.id)
    return out


def _filter_sets(products: list[Product]) -> list[SearchFilters]:
    """Filters drawn from the catalog's own option values and prices, alone and combined."""
    rng = random.Random(11)
    pairs = sorted(
        {(name.lower().split()[-1], str(value).lower()) for p in products for v in p.variants
         for name, value in v.options.items()}
    )  # fmt: skip
    prices = sorted(v.price for p in products for v in p.variants)
    sets = [SearchFilters(), SearchFilters(available_only=True), SearchFilters(merchant_id=OTHER_MERCHANT)]
    sets.append(SearchFilters(category_id="apparel"))
    for _ in range(40):
        key, value = rng.choice(pairs)
        other_key, other_value = rng.choice(pairs)
        low, high = sorted(rng.sample(prices, 2))
        sets += [
            SearchFilters(options={key: [value]}),
            SearchFilters(options={key: [value, other_value]}, price_max=high),
            SearchFilters(options={key: [value]}, excluded={other_key: [other_value]}, available_only=True),
            SearchFilters(price_min=low, price_max=high, excluded={key: [value]}),
        ]
    return sets


def test_passes_matches_the_variant_rule(search_db: Database) -> None:
    arrays = _arrays(search_db)
    with search_db.session() as session:
        products = list(session.scalars(select(Product).options(selectinload(Product.variants))))
        checked = 0
        for filters in _filter_sets(products):
            expected = _expected(products, filters)
            everywhere = {arrays.ids[row] for row in np.flatnonzero(arrays.passes_all(filters))}
            rows = np.arange(len(arrays))
            some = {arrays.ids[row] for row in rows[arrays.passes(rows, filters)]}
            assert everywhere == expected == some, filters
            checked += bool(expected) and len(expected) < len(products)
    assert checked > 20  # most filter sets keep some products and drop others


def test_candidate_subsets_agree_with_the_whole_catalog(search_db: Database) -> None:
    arrays = _arrays(search_db)
    filters = SearchFilters(options={"color": ["blue", "black"]}, price_max=200)
    whole = arrays.passes_all(filters)
    rng = np.random.default_rng(3)
    for size in (1, 5, 17):
        rows = rng.choice(len(arrays), size=size, replace=False)
        assert list(arrays.passes(rows, filters)) == list(whole[rows])


def test_refresh_follows_price_stock_and_deletes(search_db: Database) -> None:
    arrays = _arrays(search_db)
    with search_db.session() as session:
        product = session.scalars(select(Product).where(Product.merchant_id != OTHER_MERCHANT)).first()
        cheapest = min(v.price for v in product.variants)
        pid = product.id
    under = SearchFilters(price_max=cheapest / 2)
    row = arrays.row_of[pid]
    assert not arrays.passes_all(under)[row]
    with search_db.session() as session:
        variant = session.scalars(select(Variant).where(Variant.product_id == pid)).first()
        variant.price = cheapest / 4
    connection = search_db.engine.raw_connection()
    try:
        arrays.refresh(connection.driver_connection, [pid])
        assert arrays.passes_all(under)[row]
        with search_db.session() as session:
            for variant in session.scalars(select(Variant).where(Variant.product_id == pid)):
                session.delete(variant)
            session.delete(session.get(Product, pid))
        arrays.refresh(connection.driver_connection, [pid])
    finally:
        connection.close()
    assert not arrays.passes_all(SearchFilters())[row]
    assert pid not in {arrays.ids[r] for r in arrays.catalog_order()}


@pytest.mark.parametrize("merchant", [None, OTHER_MERCHANT])
def test_catalog_order_is_position_then_id(search_db: Database, merchant: str | None) -> None:
    arrays = _arrays(search_db)
    with search_db.session() as session:
        query = select(Product.id).order_by(Product.position, Product.id)
        if merchant:
            query = query.where(Product.merchant_id == merchant)
        expected = list(session.scalars(query))
    mask = arrays.passes_all(SearchFilters(merchant_id=merchant))
    order = arrays.catalog_order()
    assert [arrays.ids[r] for r in order[mask[order]]] == expected
