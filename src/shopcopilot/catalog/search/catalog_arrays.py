"""What filtering and ranking need about every product and variant, held in numpy arrays.

Reading variants from the database per candidate was most of a search's time at 100k products; here a filter is a
few vectorised comparisons over arrays loaded once and kept current by `refresh(product_ids)` (the engine calls it
from `reindex` and for every product the variant change log names, so prices and stock are never stale).

Layout: products are rows 0..P-1; a product's variants are the contiguous variant rows
`var_start[p] : var_start[p] + var_count[p]` (a refreshed product gets fresh rows at the end; its old rows are
left unreferenced until the next full load). A variant's options are interned (lower name, lower value) pairs,
stored flat: `opt_codes[opt_start[v] : opt_start[v] + opt_count[v]]`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

import numpy as np

from shopcopilot.catalog.search.filters import SearchFilters
from shopcopilot.catalog.search.results import ProductInfo
from shopcopilot.catalog.search.text import english_tokens
from shopcopilot.catalog.search.vocabulary import option_matches

_PRODUCTS_SQL = "SELECT id, name, name_zh, merchant_id, category_id, position FROM products"
_VARIANTS_SQL = "SELECT product_id, options, price, available FROM variants"


def _ranges(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Concatenated ranges [s, s + c) for each (s, c): the rows of several CSR spans at once."""
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    ends = np.cumsum(counts)
    offsets = np.repeat(starts - (ends - counts), counts)
    return offsets + np.arange(total, dtype=np.int64)


class CatalogArrays:
    def __init__(self) -> None:
        self.ids: list[str] = []
        self.info: list[ProductInfo] = []
        self.row_of: dict[str, int] = {}
        self.live = np.zeros(0, dtype=bool)
        self.merchant = np.zeros(0, dtype=np.int32)
        self.category = np.zeros(0, dtype=np.int32)
        self.position = np.zeros(0, dtype=np.int64)
        self.var_start = np.zeros(0, dtype=np.int64)
        self.var_count = np.zeros(0, dtype=np.int64)
        self.price = np.zeros(0, dtype=np.float64)
        self.available = np.zeros(0, dtype=bool)
        self.opt_start = np.zeros(0, dtype=np.int64)
        self.opt_count = np.zeros(0, dtype=np.int64)
        self.opt_codes = np.zeros(0, dtype=np.int32)
        self._codes: dict[str, int] = {}  # merchant/category id -> small int (0 = none)
        self._pairs: dict[tuple[str, str], int] = {}
        self._pair_list: list[tuple[str, str]] = []
        self._parsed_options: dict[
            str, list[int]
        ] = {}  # raw options JSON -> pair codes (catalogs repeat them)
        self._luts: dict[tuple[str, tuple[str, ...]], np.ndarray] = {}
        self._name_tokens: dict[int, frozenset[str]] = {}
        self._order: np.ndarray | None = None
        self._owner: tuple[int, np.ndarray] | None = None
        self._inverted: tuple[int, np.ndarray, np.ndarray] | None = None
        self.version = 0  # bumped on every change: derived data (vector row maps, cached masks) keys on it

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def wasted(self) -> bool:
        """Refreshes left many unreferenced variant rows behind: time for a full load."""
        return len(self.price) > 2 * int(self.var_count.sum()) + 10_000

    # --- loading --------------------------------------------------------------------------------------------
    @classmethod
    def load(cls, connection) -> CatalogArrays:
        """Everything, from a DB-API connection (two plain queries, no ORM)."""
        arrays = cls()
        arrays._replace_products(connection, None)
        return arrays

    def refresh(self, connection, product_ids: Iterable[str]) -> None:
        """Re-read these products and their variants (deleted ones are marked dead)."""
        ids = list(dict.fromkeys(product_ids))
        for start in range(0, len(ids), 900):  # SQLite's bound-parameter limit
            self._replace_products(connection, ids[start : start + 900])

    def _replace_products(self, connection, product_ids: Sequence[str] | None) -> None:
        cursor = connection.cursor()
        if product_ids is None:
            cursor.execute(_PRODUCTS_SQL)
            products = cursor.fetchall()
            cursor.execute(_VARIANTS_SQL + " ORDER BY product_id, position, id")
            variants = cursor.fetchall()
        else:
            mark = "?" if type(connection).__module__.startswith("sqlite3") else "%s"
            where = " WHERE {} IN (" + ",".join([mark] * len(product_ids)) + ")"
            cursor.execute(_PRODUCTS_SQL + where.format("id"), list(product_ids))
            products = cursor.fetchall()
            cursor.execute(
                _VARIANTS_SQL + where.format("product_id") + " ORDER BY product_id, position, id",
                list(product_ids),
            )
            variants = cursor.fetchall()
        cursor.close()
        if product_ids is None:
            version = self.version
            self.__init__()  # type: ignore[misc]
            self.version = version
        else:
            found = {row[0] for row in products}
            for pid in product_ids:
                row = self.row_of.get(pid)
                if row is not None and pid not in found:
                    self.live[row] = False
        self._append(products, variants)
        self.version += 1

    def _code(self, value: str | None) -> int:
        if value is None:
            return 0
        return self._codes.setdefault(value, len(self._codes) + 1)

    def _option_codes(self, raw) -> list[int]:
        key = raw if isinstance(raw, str) else json.dumps(raw, sort_keys=True)
        codes = self._parsed_options.get(key)
        if codes is None:
            options = json.loads(raw) if isinstance(raw, str) else raw
            codes = []
            for name, value in (options or {}).items():
                pair = (str(name).lower(), str(value).lower())
                code = self._pairs.get(pair)
                if code is None:
                    code = self._pairs[pair] = len(self._pair_list)
                    self._pair_list.append(pair)
                    self._luts.clear()
                codes.append(code)
            self._parsed_options[key] = codes
        return codes

    def _append(self, products: list[tuple], variants: list[tuple]) -> None:
        by_product: dict[str, list[tuple]] = {}
        for row in variants:
            by_product.setdefault(row[0], []).append(row)
        new_rows: list[int] = []
        rows, merchants, categories, positions, starts, counts = [], [], [], [], [], []
        prices, avail, opt_starts, opt_counts, codes = [], [], [], [], []
        var_base, opt_base = len(self.price), len(self.opt_codes)
        for pid, name, name_zh, merchant_id, category_id, position in products:
            row = self.row_of.get(pid)
            if row is None:
                row = len(self.ids)
                new_rows.append(row)
                self.ids.append(pid)
                self.info.append(ProductInfo(pid, name, name_zh, merchant_id, category_id))
            else:
                self.info[row] = ProductInfo(pid, name, name_zh, merchant_id, category_id)
                self._name_tokens.pop(row, None)
            self.row_of[pid] = row
            rows.append(row)
            merchants.append(self._code(merchant_id))
            categories.append(self._code(category_id))
            positions.append(position or 0)
            mine = by_product.get(pid, [])
            starts.append(var_base + len(prices))
            counts.append(len(mine))
            for _, options, price, available in mine:
                pair_codes = self._option_codes(options)
                prices.append(float(price))
                avail.append(bool(available))
                opt_starts.append(opt_base + len(codes))
                opt_counts.append(len(pair_codes))
                codes.extend(pair_codes)
        grow = len(new_rows)
        if grow:
            self.live = np.concatenate([self.live, np.zeros(grow, dtype=bool)])
            self.merchant = np.concatenate([self.merchant, np.zeros(grow, dtype=np.int32)])
            self.category = np.concatenate([self.category, np.zeros(grow, dtype=np.int32)])
            self.position = np.concatenate([self.position, np.zeros(grow, dtype=np.int64)])
            self.var_start = np.concatenate([self.var_start, np.zeros(grow, dtype=np.int64)])
            self.var_count = np.concatenate([self.var_count, np.zeros(grow, dtype=np.int64)])
        index = np.asarray(rows, dtype=np.int64)
        self.live[index] = True
        self.merchant[index] = merchants
        self.category[index] = categories
        self.position[index] = positions
        self.var_start[index] = starts
        self.var_count[index] = counts
        self.price = np.concatenate([self.price, np.asarray(prices, dtype=np.float64)])
        self.available = np.concatenate([self.available, np.asarray(avail, dtype=bool)])
        self.opt_start = np.concatenate([self.opt_start, np.asarray(opt_starts, dtype=np.int64)])
        self.opt_count = np.concatenate([self.opt_count, np.asarray(opt_counts, dtype=np.int64)])
        self.opt_codes = np.concatenate([self.opt_codes, np.asarray(codes, dtype=np.int32)])
        self._order = None

    # --- filtering ------------------------------------------------------------------------------------------
    def rows_for(self, product_ids: Iterable[str]) -> np.ndarray:
        row_of = self.row_of
        return np.fromiter((row_of.get(pid, -1) for pid in product_ids), dtype=np.int64)

    def _lut(self, key: str, values: Sequence[str]) -> np.ndarray:
        """Which interned option pairs answer a filter `key in values` (a boolean table over pair codes)."""
        cache_key = (key, tuple(sorted(values)))
        lut = self._luts.get(cache_key)
        if lut is None:
            wanted = set(values)
            lut = np.fromiter(
                (option_matches(name, key) and value in wanted for name, value in self._pair_list),
                dtype=bool,
                count=len(self._pair_list),
            )
            if len(self._luts) > 256:
                self._luts.clear()
            self._luts[cache_key] = lut
        return lut

    def _any_option(self, variants: np.ndarray, lut: np.ndarray) -> np.ndarray:
        counts = self.opt_count[variants]
        flat = _ranges(self.opt_start[variants], counts)
        if not len(flat):
            return np.zeros(len(variants), dtype=bool)
        owner = np.repeat(np.arange(len(variants)), counts)
        return np.bincount(owner, weights=lut[self.opt_codes[flat]], minlength=len(variants)) > 0

    def passes(self, rows: np.ndarray, filters: SearchFilters) -> np.ndarray:
        """For each product row: live, of the merchant/category asked for, and (when the filters constrain
        variants) with at least one variant that satisfies all of them at once (see `filters.variant_matches`)."""
        rows = np.asarray(rows, dtype=np.int64)
        ok = self.live[rows].copy()
        if filters.merchant_id:
            code = self._codes.get(filters.merchant_id, -1)
            ok &= self.merchant[rows] == code
        if filters.category_id:
            code = self._codes.get(filters.category_id, -1)
            ok &= self.category[rows] == code
        if not filters.constrains_variants:
            return ok
        rows_left = rows[ok]
        counts = self.var_count[rows_left]
        variants = _ranges(self.var_start[rows_left], counts)
        good = np.ones(len(variants), dtype=bool)
        if filters.available_only:
            good &= self.available[variants]
        if filters.price_min is not None:
            good &= self.price[variants] >= filters.price_min
        if filters.price_max is not None:
            good &= self.price[variants] <= filters.price_max
        for key, wanted in filters.options.items():
            good &= self._any_option(variants, self._lut(key, wanted))
        for key, unwanted in filters.excluded.items():
            good &= ~self._any_option(variants, self._lut(key, unwanted))
        owner = np.repeat(np.arange(len(rows_left)), counts)
        ok[np.flatnonzero(ok)] = np.bincount(owner, weights=good, minlength=len(rows_left)) > 0
        return ok

    def passes_all(self, filters: SearchFilters) -> np.ndarray:
        """`passes` for every product row at once. Option filters go through an inverted index (option pair ->
        variant rows), so they cost in proportion to the variants that have the value, not to the catalog."""
        ok = self.live.copy()
        if filters.merchant_id:
            ok &= self.merchant == self._codes.get(filters.merchant_id, -1)
        if filters.category_id:
            ok &= self.category == self._codes.get(filters.category_id, -1)
        if not filters.constrains_variants:
            return ok
        var_owner = self._variant_owner()
        good = var_owner >= 0
        if filters.available_only:
            good &= self.available
        if filters.price_min is not None:
            good &= self.price >= filters.price_min
        if filters.price_max is not None:
            good &= self.price <= filters.price_max
        for key, wanted in filters.options.items():
            has = np.zeros(len(good), dtype=bool)
            has[self._variants_with(key, wanted)] = True
            good &= has
        for key, unwanted in filters.excluded.items():
            good[self._variants_with(key, unwanted)] = False
        passing = np.zeros(len(ok), dtype=bool)
        passing[var_owner[good]] = True
        return ok & passing

    def _variant_owner(self) -> np.ndarray:
        """Product row of each variant row; -1 for rows no live product references."""
        if self._owner is None or self._owner[0] != self.version:
            owner = np.full(len(self.price), -1, dtype=np.int64)
            rows = np.flatnonzero(self.live)
            owner[_ranges(self.var_start[rows], self.var_count[rows])] = np.repeat(rows, self.var_count[rows])
            self._owner = (self.version, owner)
        return self._owner[1]

    def _variants_with(self, key: str, values: Sequence[str]) -> np.ndarray:
        """Variant rows with an option answering `key in values`."""
        if self._inverted is None or self._inverted[0] != self.version:
            flat_owner = np.repeat(np.arange(len(self.opt_count)), self.opt_count)
            order = np.argsort(self.opt_codes, kind="stable")
            bounds = np.searchsorted(self.opt_codes[order], np.arange(len(self._pair_list) + 1))
            self._inverted = (self.version, flat_owner[order], bounds)
        _, variants, bounds = self._inverted
        pairs = np.flatnonzero(self._lut(key, values))
        if not len(pairs):
            return np.zeros(0, dtype=np.int64)
        return variants[_ranges(bounds[pairs], bounds[pairs + 1] - bounds[pairs])]

    def catalog_order(self) -> np.ndarray:
        """Live product rows in the catalog's own order (position, then id)."""
        if self._order is None:
            order = np.lexsort((np.asarray(self.ids, dtype=object).argsort().argsort(), self.position))
            self._order = order[self.live[order]]
        return self._order

    def name_tokens(self, row: int) -> frozenset[str]:
        tokens = self._name_tokens.get(row)
        if tokens is None:
            tokens = self._name_tokens[row] = frozenset(english_tokens(self.info[row].name))
        return tokens
