"""Hybrid product search: full text (BM25) and vectors fused by reciprocal rank, then structured filters.

    engine = SearchEngine(database)
    response = engine.search("蓝色棉质T恤 200元以内", limit=10)

Ranking: each product's score is the sum of 1/(60 + rank) over the full-text and vector lists, plus a boost when
its name is the product type the query asked for (so "T恤" puts T-shirts first however the lists disagree).
Filtering: a product stays when one of its variants satisfies all filters (see `filters.py`); prices and stock
are read from the database at query time, so a hit never shows a stale price. When the top candidates do not
yield `limit` hits (a rare option, a narrow budget) the search looks deeper: every product of a small catalog, the
best WIDE_CANDIDATES of a large one (a bound on what a query that almost nothing passes may cost).

Freshness: names, merchants, categories, option values and content are indexed; call `reindex(product_ids)`
after changing them (an engine also re-checks a small catalog fully when it starts). Prices and stock are not
indexed and are always current.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from shopcopilot.catalog.search import indexing
from shopcopilot.catalog.search.filters import SearchFilters, merge_filters, name_is_excluded
from shopcopilot.catalog.search.fulltext import fulltext_for
from shopcopilot.catalog.search.query_parser import ParsedQuery, parse_query
from shopcopilot.catalog.search.results import ProductInfo, SearchHit, SearchResponse, VariantRow, make_hit
from shopcopilot.catalog.search.text import english_tokens
from shopcopilot.catalog.search.vector_index import ANN_THRESHOLD, VectorIndex
from shopcopilot.catalog.search.vocabulary import Vocabulary
from shopcopilot.config import var_dir
from shopcopilot.errors import InvalidInput
from shopcopilot.storage.db import Database

RRF_K = 60
TYPE_BOOST = 1.0  # larger than any fused score (at most 2/61): the asked-for product type ranks first
FULL_REINDEX_BELOW = 5000  # small catalogs are fully re-checked when an engine starts (cheap, catches edits)
MAX_LIMIT = 100
WIDE_CANDIDATES = 1000  # how deep a search with narrow filters looks on a large catalog


def default_index_dir(database: Database) -> Path:
    """One index directory per database, so test databases and the real one never share vectors."""
    url = database.engine.url.render_as_string(hide_password=True)
    return var_dir() / "search" / hashlib.sha1(url.encode()).hexdigest()[:16]


class SearchEngine:
    def __init__(
        self,
        database: Database,
        *,
        embedder=None,
        index_dir: Path | None = None,
        ann_threshold: int = ANN_THRESHOLD,
        candidates: int = 200,
    ) -> None:
        self.database = database
        self._embedder = embedder
        self.index_dir = index_dir or default_index_dir(database)
        self.ann_threshold = ann_threshold
        self.candidates = candidates
        self.fulltext = fulltext_for(database.engine)
        self._vectors: VectorIndex | None = None
        self._vocabulary: Vocabulary | None = None
        self._ready = False
        self._products: dict[str, ProductInfo] = {}
        self._lock = threading.RLock()

    @property
    def embedder(self):
        if self._embedder is None:
            from shopcopilot.models.embedder import get_embedder

            self._embedder = get_embedder()
        return self._embedder

    # --- indexing -------------------------------------------------------------------------------------------
    def _load(self) -> VectorIndex:
        with self._lock:
            if self._vectors is None:
                self.fulltext.ensure()
                self._vectors = VectorIndex.load(
                    self.index_dir, self.embedder.dim, ann_threshold=self.ann_threshold
                )
                self._products = self._load_products()
            return self._vectors

    def _load_products(self) -> dict[str, ProductInfo]:
        """What ranking needs about every product (name for the type boost, merchant and category for the
        filters), held in memory: reading it per query was a third of the query time at 100k products.
        `reindex` keeps it current, as it does the documents."""
        sql = "SELECT id, name, name_zh, merchant_id, category_id FROM products"
        with self.database.engine.connect() as conn:
            return {row[0]: ProductInfo(*row) for row in conn.exec_driver_sql(sql)}

    def _ensure_ready(self) -> VectorIndex:
        """On first use: load the saved index and bring it up to date with the database."""
        with self._lock:
            if self._ready:
                return self._load()
            self._load()
            with self.database.session() as session:
                product_ids = indexing.all_product_ids(session)
                hashes = indexing.document_hashes(session)
            if len(product_ids) < FULL_REINDEX_BELOW:
                self.reindex()
            else:
                missing = [pid for pid in product_ids if pid not in hashes]
                if missing:
                    self.reindex(missing)
                self._sync_vectors(hashes, set(product_ids))
            self._ready = True
            return self._load()

    def reindex(self, product_ids: Sequence[str] | None = None) -> int:
        """Bring the index up to date for these products (all when None); returns how many documents changed.
        Call it after products, variants or their content change; deleted products are dropped."""
        with self._lock:
            vectors = self._load()
            full = product_ids is None
            changed: list[indexing.ProductDocument] = []
            stale: list[indexing.ProductDocument] = []
            gone: list[str] = []
            with self.database.session() as session:
                ids = indexing.all_product_ids(session) if full else list(dict.fromkeys(product_ids or []))
                for chunk in indexing.chunks(ids):
                    documents, missing = indexing.build_documents(session, chunk)
                    changed += indexing.write_documents(session, documents)
                    stale += [doc for doc in documents if vectors.hash_of(doc.product_id) != doc.content_hash]
                    gone += missing
                if full:
                    known = set(ids)
                    gone += [pid for pid in indexing.document_hashes(session) if pid not in known]
                indexing.delete_documents(session, gone)
            vectors.remove(gone)
            for pid in gone:
                self._products.pop(pid, None)
            for doc in changed:
                self._products[doc.product_id] = ProductInfo(
                    doc.product_id, doc.name, doc.name_zh, doc.merchant_id, doc.category_id
                )
            self.fulltext.changed()
            self._embed([(doc.product_id, doc.content_hash, doc.passage) for doc in stale])
            vectors.save()
            if changed or gone or self._vocabulary is None:
                with self.database.session() as session:
                    self._vocabulary = indexing.load_vocabulary(session)
            return len(changed) + len(gone)

    def _embed(self, items: list[tuple[str, str, str]]) -> None:
        assert self._vectors is not None
        if not items:
            return
        matrices = [
            self.embedder.embed_passages([passage for _, _, passage in items[start : start + 2048]])
            for start in range(0, len(items), 2048)
        ]
        # One upsert: appending batch by batch would copy the growing matrix each time.
        self._vectors.upsert(
            [pid for pid, _, _ in items], [digest for _, digest, _ in items], np.vstack(matrices)
        )

    def _sync_vectors(self, hashes: dict[str, str], product_ids: set[str]) -> None:
        """Large catalogs at start-up: re-embed only documents whose vector is missing or out of date."""
        assert self._vectors is not None
        self._vectors.remove([pid for pid in list(self._vectors.row_of) if pid not in product_ids])
        stale = [pid for pid, digest in hashes.items() if self._vectors.hash_of(pid) != digest]
        if stale:
            with self.database.session() as session:
                found = indexing.passages(session, stale)
            self._embed([(pid, digest, passage) for pid, (digest, passage) in found.items()])
        self._vectors.save()

    def vocabulary(self) -> Vocabulary:
        with self._lock:
            if self._vocabulary is None:
                with self.database.session() as session:
                    self._vocabulary = indexing.load_vocabulary(session)
            return self._vocabulary

    # --- searching ------------------------------------------------------------------------------------------
    def search(
        self,
        query: str,
        limit: int = 10,
        filters: SearchFilters | None = None,
        merchant_id: str | None = None,
    ) -> SearchResponse:
        if not isinstance(query, str):
            raise InvalidInput("query must be text")
        if not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
            raise InvalidInput(f"limit must be between 1 and {MAX_LIMIT}, got {limit!r}")
        if len(query) > 500:
            raise InvalidInput("query is longer than 500 characters; shorten it")
        vectors = self._ensure_ready()
        parsed = parse_query(query, self.vocabulary())
        effective = merge_filters(parsed, filters, merchant_id)
        if not parsed.original and not (
            effective.constrains_variants or effective.category_id or merchant_id
        ):
            raise InvalidInput("type something to search for, or give a filter")
        response = SearchResponse(query=query, parsed=parsed, filters=effective)

        query_vector = self._query_vector(parsed)
        k = max(self.candidates, limit * 10)
        # One full-text query serves both depths: FTS scores every match whatever the LIMIT.
        lexical = self.fulltext.search(parsed.terms, max(k, WIDE_CANDIDATES), effective.merchant_id)
        ranked = self._rank(lexical[:k], effective, query_vector, k)
        response.hits = self._collect(ranked, parsed, effective, limit)
        if len(response.hits) < limit and len(ranked) < len(vectors):
            # Narrow filters: look deeper. On small catalogs this is every product; on large ones the best
            # WIDE_CANDIDATES, which bounds the cost of a query whose filters almost nothing passes.
            ranked = self._rank(lexical, effective, query_vector, max(k, WIDE_CANDIDATES))
            response.hits = self._collect(ranked, parsed, effective, limit)
        return response

    def _query_vector(self, parsed: ParsedQuery) -> np.ndarray | None:
        text_to_embed = " ".join(part for part in (parsed.text, parsed.translation) if part)
        return self.embedder.embed_query(text_to_embed) if text_to_embed else None

    def _rank(
        self,
        lexical: list[tuple[str, float]],
        filters: SearchFilters,
        query_vector: np.ndarray | None,
        k: int,
    ) -> list[tuple[str, float]]:
        """Reciprocal-rank fusion of the full-text list and the top-k by vector."""
        assert self._vectors is not None
        scores: dict[str, float] = {}
        dense: list[tuple[str, float]] = []
        if query_vector is not None:
            with self._lock:
                dense = self._vectors.search(query_vector, k)
        if not lexical and query_vector is None:
            # Only filters ("under $50"): every product is a candidate, in the catalog's own order.
            lexical = self._catalog_order(filters.merchant_id, k)
        for hits in (lexical, dense):
            for rank, (pid, _) in enumerate(hits):
                scores[pid] = scores.get(pid, 0.0) + 1.0 / (RRF_K + rank + 1)
        return sorted(scores.items(), key=lambda item: -item[1])

    def _collect(
        self, ranked: list[tuple[str, float]], parsed: ParsedQuery, filters: SearchFilters, limit: int
    ) -> list[SearchHit]:
        """Boost the asked-for product type, then walk the ranking in windows, reading variants from the
        database, until `limit` products pass the filters."""
        products = self._read_products([pid for pid, _ in ranked])
        type_tokens = [tokens for tokens in (set(english_tokens(t)) for t in parsed.product_types) if tokens]
        boosted: list[tuple[str, float]] = []
        for pid, score in ranked:
            product = products.get(pid)
            if product is None or not self._product_passes(product, parsed, filters):
                continue
            words = set(english_tokens(product.name))
            boosted.append((pid, score + (TYPE_BOOST if any(t <= words for t in type_tokens) else 0.0)))
        boosted.sort(key=lambda item: -item[1])
        hits: list[SearchHit] = []
        start, window = 0, max(limit * 2, 10)
        while start < len(boosted):
            chunk = boosted[start : start + window]
            variants = self._read_variants([pid for pid, _ in chunk], filters)
            for pid, score in chunk:
                hit = make_hit(products[pid], variants.get(pid, []), score, filters)
                if hit is not None:
                    hits.append(hit)
                    if len(hits) == limit:
                        return hits
            start, window = start + window, window * 4
        return hits

    @staticmethod
    def _product_passes(product: ProductInfo, parsed: ParsedQuery, filters: SearchFilters) -> bool:
        if filters.merchant_id and product.merchant_id != filters.merchant_id:
            return False
        if filters.category_id and product.category_id != filters.category_id:
            return False
        return not name_is_excluded(product.name, product.name_zh, parsed.excluded_terms)

    def _catalog_order(self, merchant_id: str | None, k: int) -> list[tuple[str, float]]:
        mark = "?" if self.database.is_sqlite else "%s"
        where, params = (f" WHERE merchant_id = {mark}", (merchant_id, k)) if merchant_id else ("", (k,))
        sql = f"SELECT id FROM products{where} ORDER BY position, id LIMIT {mark}"
        with self.database.engine.connect() as conn:
            return [(row[0], 0.0) for row in conn.exec_driver_sql(sql, params)]

    def _fetch(self, sql: str, product_ids: Sequence[str], params: Sequence = ()) -> list[tuple]:
        """Rows for `sql` whose `{ids}` placeholder lists the products; plain DB-API, no per-row ORM work:
        this runs on every search."""
        mark = "?" if self.database.is_sqlite else "%s"
        rows: list[tuple] = []
        with self.database.engine.connect() as conn:
            for chunk in indexing.chunks(list(product_ids), 2000):
                statement = sql.replace("{ids}", ",".join([mark] * len(chunk))).replace("{p}", mark)
                rows.extend(conn.exec_driver_sql(statement, (*chunk, *params)).all())
        return rows

    def _read_products(self, product_ids: list[str]) -> dict[str, ProductInfo]:
        products = self._products
        return {pid: products[pid] for pid in product_ids if pid in products}

    def _read_variants(self, product_ids: list[str], filters: SearchFilters) -> dict[str, list[VariantRow]]:
        """Variants of these products; price and availability are filtered in SQL, options in Python."""
        if not product_ids:
            return {}
        clauses, params = [], []
        if filters.price_min is not None:
            clauses.append("price >= {p}")
            params.append(filters.price_min)
        if filters.price_max is not None:
            clauses.append("price <= {p}")
            params.append(filters.price_max)
        if filters.available_only:
            clauses.append("available = {p}")
            params.append(True)
        for values in filters.options.values():
            if not all(value.isascii() and '"' not in value and "\\" not in value for value in values):
                continue  # JSON text escapes these characters; leave the group to the exact check
            # A coarse pre-filter in SQL (the value appears in the JSON text); the exact rule runs in Python.
            likes = " OR ".join(["lower(CAST(options AS TEXT)) LIKE {p} ESCAPE '!'"] * len(values))
            clauses.append(f"({likes})")
            params.extend('%"' + _like_escape(value) + '"%' for value in values)
        extra = "".join(" AND " + clause for clause in clauses)
        rows = self._fetch(
            "SELECT product_id, id, options, price, available, position FROM variants "
            "WHERE product_id IN ({ids})" + extra,
            product_ids,
            params,
        )
        variants: dict[str, list[VariantRow]] = {}
        need_options = bool(filters.options or filters.excluded)
        for product_id, variant_id, options, price, available, position in rows:
            if not need_options:
                options = {}
            elif isinstance(options, str):  # SQLite hands JSON back as text; psycopg decodes it
                options = json.loads(options)
            row = VariantRow(variant_id, options or {}, float(price), bool(available), position or 0)
            variants.setdefault(product_id, []).append(row)
        return variants


def _like_escape(value: str) -> str:
    return value.replace("!", "!!").replace("%", "!%").replace("_", "!_")
