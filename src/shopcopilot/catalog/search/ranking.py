"""Candidates, filters and fusion: the in-memory part of a search, over product rows of `CatalogArrays`.

Two stages. Usually the best `k` by full text and the best `k` by vector contain enough products that pass the
filters: they are filtered with a few array operations and fused. When they do not (a rare option, a narrow
budget), the filters are evaluated over the whole catalog once (the mask is cached per filter set) and the vector
list is rebuilt among the products that pass: exact dot products over them when they are few (the "filters almost
nothing passes" case costs a small matrix product, not a deep graph walk), else the graph walked deeper in
proportion to how few pass.

Ranking: each product's score is the sum of 1/(RRF_K + rank) over the lists it appears in, ranks counted among
the products that pass, plus a small learned boost for products shoppers chose for the query's words
(`interactions.py`), plus TYPE_BOOST when its name is the product type the query asked for.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

from shopcopilot.catalog.search.catalog_arrays import CatalogArrays
from shopcopilot.catalog.search.filters import SearchFilters, name_is_excluded
from shopcopilot.catalog.search.fulltext import FullTextIndex
from shopcopilot.catalog.search.interactions import LearnedBoosts
from shopcopilot.catalog.search.query_parser import ParsedQuery
from shopcopilot.catalog.search.text import english_tokens
from shopcopilot.catalog.search.vector_index import VectorIndex

RRF_K = 60
TYPE_BOOST = 1.0  # larger than any fused score (at most 2/61): the asked-for product type ranks first
WIDE_CANDIDATES = 1000  # how deep the full-text list goes for a search with narrow filters
DIRECT_SCAN = 5000  # at most this many passing products: exact vector scores over them instead of the graph


def fuse(lists: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Reciprocal-rank fusion of ranked row lists: (rows, scores), best first (ties: the earlier list's order)."""
    lists = [np.asarray(rows, dtype=np.int64) for rows in lists if len(rows)]
    if not lists:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    rows = np.concatenate(lists)
    weights = np.concatenate([1.0 / (RRF_K + 1 + np.arange(len(rows_))) for rows_ in lists])
    unique, first, inverse = np.unique(rows, return_index=True, return_inverse=True)
    scores = np.bincount(inverse, weights=weights)
    order = np.lexsort((first, -scores))
    return unique[order], scores[order]


class Ranker:
    def __init__(
        self,
        arrays: CatalogArrays,
        vectors: VectorIndex,
        fulltext: FullTextIndex,
        candidates: int,
        learned: LearnedBoosts | None = None,
    ) -> None:
        self.arrays = arrays
        self.learned = learned
        self.vectors = vectors
        self.fulltext = fulltext
        self.candidates = candidates
        self._vec_maps: tuple[tuple[int, int], np.ndarray, np.ndarray] | None = None
        self._doc_rows: tuple[tuple[int, int], np.ndarray] | None = None
        self._masks: OrderedDict[tuple, np.ndarray] = OrderedDict()

    # --- derived arrays -------------------------------------------------------------------------------------
    def vector_maps(self) -> tuple[np.ndarray, np.ndarray]:
        """(product row -> vector row, vector row -> product row), -1 where there is none."""
        key = (self.arrays.version, self.vectors.version)
        if self._vec_maps is None or self._vec_maps[0] != key:
            row_of = self.arrays.row_of
            to_product = np.fromiter((row_of.get(pid, -1) for pid in self.vectors.ids), dtype=np.int64)  # type: ignore[arg-type]
            to_vector = np.full(len(self.arrays), -1, dtype=np.int64)
            found = np.flatnonzero(to_product >= 0)
            to_vector[to_product[found]] = found
            self._vec_maps = (key, to_vector, to_product)
        return self._vec_maps[1], self._vec_maps[2]

    def catalog_mask(self, filters: SearchFilters) -> np.ndarray:
        """Which product rows pass `filters`, over the whole catalog (cached: pagination and refinements
        repeat filter sets)."""
        key = (self.arrays.version, repr(filters))
        mask = self._masks.get(key)
        if mask is None:
            mask = self.arrays.passes_all(filters)
            self._masks[key] = mask
            while len(self._masks) > 32:
                self._masks.popitem(last=False)
        else:
            self._masks.move_to_end(key)
        return mask

    # --- ranking --------------------------------------------------------------------------------------------
    def rank(
        self, parsed: ParsedQuery, filters: SearchFilters, query_vector: np.ndarray | None, limit: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Product rows that pass the filters, best first, with their scores; at least `limit` of them when that
        many exist among what the search looks at."""
        arrays = self.arrays
        k = max(self.candidates, limit * 10)
        lexical = np.zeros(0, dtype=np.int64)
        if parsed.terms:
            # One full-text query serves both stages: FTS scores every match whatever the LIMIT.
            lexical = self._lexical(parsed.terms, max(k, WIDE_CANDIDATES))
        if not len(lexical) and query_vector is None:
            # Only filters ("under $50"): every passing product, in the catalog's own order.
            order = arrays.catalog_order()
            return self._finish(order[self.catalog_mask(filters)[order]][: max(k, limit)], parsed)
        dense = self._dense(query_vector, k) if query_vector is not None else lexical[:0]
        ranked = self._fuse_passing([lexical[:k], dense], filters, parsed)
        if len(ranked[0]) >= limit:
            return ranked
        # Narrow filters: rebuild both lists among the products that pass.
        mask = self.catalog_mask(filters)
        lexical = lexical[mask[lexical]]
        if query_vector is not None:
            dense = self._dense_among(query_vector, mask, k)
        return self._fuse_passing([lexical, dense], None, parsed)

    def _fuse_passing(
        self, lists: list[np.ndarray], filters: SearchFilters | None, parsed: ParsedQuery
    ) -> tuple[np.ndarray, np.ndarray]:
        if filters is not None:
            candidates = np.unique(np.concatenate(lists))
            passing = candidates[self.arrays.passes(candidates, filters)]
            lists = [rows[np.isin(rows, passing)] for rows in lists]
        rows, scores = fuse(lists)
        return self._finish(rows, parsed, scores)

    def _finish(
        self, rows: np.ndarray, parsed: ParsedQuery, scores: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Drop products whose name the query excluded; boost the asked-for product type."""
        if scores is None:
            scores = 1.0 / (RRF_K + 1 + np.arange(len(rows)))
        info, arrays = self.arrays.info, self.arrays
        learned = self.learned.for_terms(parsed.terms) if self.learned is not None and len(rows) else {}
        if learned:
            # What shoppers chose for these words reorders what was found (it never adds a product).
            ids = arrays.ids
            bonus = np.fromiter((learned.get(ids[int(r)], 0.0) for r in rows), dtype=float, count=len(rows))
            if bonus.any():
                scores = scores + bonus
                order = np.argsort(-scores, kind="stable")
                rows, scores = rows[order], scores[order]
        if parsed.excluded_terms:
            keep = np.fromiter(
                (not name_is_excluded(info[r].name, info[r].name_zh, parsed.excluded_terms) for r in rows),
                dtype=bool,
                count=len(rows),
            )
            rows, scores = rows[keep], scores[keep]
        type_tokens = [t for t in (frozenset(english_tokens(p)) for p in parsed.product_types) if t]
        if type_tokens and len(rows):
            boost = np.fromiter(
                (any(t <= arrays.name_tokens(int(r)) for t in type_tokens) for r in rows),
                dtype=bool,
                count=len(rows),
            )
            scores = scores + TYPE_BOOST * boost
            order = np.argsort(-scores, kind="stable")
            rows, scores = rows[order], scores[order]
        return rows, scores

    # --- full text ------------------------------------------------------------------------------------------
    def _lexical(self, terms: list[str], depth: int) -> np.ndarray:
        search_docs = getattr(self.fulltext, "search_docs", None)
        if search_docs is None:  # PostgreSQL: product ids
            rows = self.arrays.rows_for(pid for pid, _ in self.fulltext.search(terms, depth))
        else:  # SQLite: document rowids, mapped to product rows by an array
            docs, _ = search_docs(terms, depth)
            doc_rows = self.document_rows()
            rows = doc_rows[docs[docs < len(doc_rows)]]
        return rows[rows >= 0]

    def document_rows(self) -> np.ndarray:
        """search_documents id -> product row (-1 for none)."""
        key = (self.arrays.version, self.fulltext.generation)  # type: ignore[attr-defined]
        if self._doc_rows is None or self._doc_rows[0] != key:
            documents = self.fulltext.documents()  # type: ignore[attr-defined]
            rows = np.full(max(documents, default=-1) + 1, -1, dtype=np.int64)
            row_of = self.arrays.row_of
            for doc_id, (product_id, _) in documents.items():
                rows[doc_id] = row_of.get(product_id, -1)
            self._doc_rows = (key, rows)
        return self._doc_rows[1]

    # --- vectors --------------------------------------------------------------------------------------------
    def _dense(self, query_vector: np.ndarray, k: int) -> np.ndarray:
        found, _ = self.vectors.search_rows(query_vector, k)
        rows = self.vector_maps()[1][found]
        return rows[rows >= 0]

    def _dense_among(self, query_vector: np.ndarray, mask: np.ndarray, k: int) -> np.ndarray:
        """The best `k` passing products by vector."""
        to_vector, to_product = self.vector_maps()
        passing = to_vector[mask & (to_vector >= 0)]
        if not len(passing):
            return passing
        if len(passing) <= DIRECT_SCAN or not self.vectors.uses_ann:
            found, _ = self.vectors.exact_rows(query_vector, k, np.sort(passing))
        else:
            # Many pass but few are near: the graph walks on through the others, collecting only passing rows.
            allowed = np.zeros(len(to_product), dtype=bool)
            allowed[passing] = True
            found, _ = self.vectors.search_rows(query_vector, k, allowed)
        return to_product[found]
