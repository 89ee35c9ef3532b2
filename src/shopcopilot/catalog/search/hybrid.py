"""Hybrid product search: full text (BM25) and vectors fused by reciprocal rank, then structured filters.

    engine = SearchEngine(database)
    response = engine.search("蓝色棉质T恤 200元以内", limit=10)

Ranking and filtering happen in memory (`ranking.py` over `catalog_arrays.py`): a product stays when one of its
variants satisfies all filters (see `filters.py`); the asked-for product type is boosted. Only the final `limit`
hits are read from the database (`hydrate.py`), so a hit's prices and variants are always current; the arrays
the filters read follow every variant change through database triggers (`change_log.py`).

Freshness: names, merchants, categories, option values and content are indexed; call `reindex(product_ids)`
after changing them (an engine also re-checks a small catalog fully when it starts). Prices, stock and
availability need no reindex.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from shopcopilot.catalog.search import indexing
from shopcopilot.catalog.search.catalog_arrays import CatalogArrays
from shopcopilot.catalog.search.change_log import VariantChangeLog
from shopcopilot.catalog.search.filters import SearchFilters, merge_filters
from shopcopilot.catalog.search.fulltext import fulltext_for
from shopcopilot.catalog.search.hydrate import hydrate
from shopcopilot.catalog.search.interactions import LearnedBoosts
from shopcopilot.catalog.search.query_parser import ParsedQuery, parse_query
from shopcopilot.catalog.search.ranking import Ranker
from shopcopilot.catalog.search.results import SearchHit, SearchResponse
from shopcopilot.catalog.search.vector_index import ANN_THRESHOLD, VectorIndex
from shopcopilot.catalog.search.vocabulary import Vocabulary
from shopcopilot.config import var_dir
from shopcopilot.errors import InvalidInput
from shopcopilot.storage.db import Database

__all__ = ["SearchEngine", "SearchHit", "SearchResponse"]

FULL_REINDEX_BELOW = 5000  # small catalogs are fully re-checked when an engine starts (cheap, catches edits)
MAX_LIMIT = 100
RELOAD_ABOVE = 0.2  # when more than this share of products changed at once, reload the arrays whole


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
        candidates: int = 128,  # per list; the graph walk (efSearch 128) yields exactly this many
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
        self._arrays: CatalogArrays | None = None
        self._ranker: Ranker | None = None
        self._changes = VariantChangeLog(database.engine)
        self.learned = LearnedBoosts(database)  # what shoppers chose for which words (interactions.py)
        # SQLite: one held DB-API connection for the hot path (its statements stay prepared).
        self._connection = None
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
                self._reload_arrays()
            return self._vectors

    def _reload_arrays(self) -> None:
        """What filtering and ranking read, for every product: loaded whole at start, then kept current."""
        assert self._vectors is not None
        self._changes.ensure()  # first: a change made during the load is then read again, never lost
        with self._raw() as conn:
            self._arrays = CatalogArrays.load(conn)
        self._ranker = Ranker(self._arrays, self._vectors, self.fulltext, self.candidates, self.learned)

    @contextmanager
    def _raw(self):
        """A DB-API connection: SQLite's held one (check_same_thread is off; used under self._lock), else one
        from the pool for the duration (PostgreSQL connections must not idle in a transaction)."""
        if self.database.is_sqlite:
            with self._lock:
                if self._connection is None:
                    self._connection = self.database.engine.raw_connection()
                yield self._connection.driver_connection
            return
        connection = self.database.engine.raw_connection()
        try:
            yield connection.driver_connection
            connection.commit()
        finally:
            connection.close()

    def _apply_changes(self) -> None:
        """Re-read the products whose variants changed since the last search (prices, stock, options)."""
        assert self._arrays is not None
        with self._raw() as conn:
            changed, change_ids = self._changes.poll(conn)
            if (
                changed is None
                or self._arrays.wasted
                or (changed and len(changed) > RELOAD_ABOVE * max(len(self._arrays), 1000))
            ):
                self._reload_arrays()
            elif changed:
                self._arrays.refresh(conn, changed)
        self._changes.advance(change_ids)
        self._changes.trim_if_due()

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
            assert self._arrays is not None
            if full:
                self._reload_arrays()
            else:
                with self._raw() as conn:
                    self._arrays.refresh(conn, [*gone, *(doc.product_id for doc in changed)])
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
        self._ensure_ready()
        parsed = parse_query(query, self.vocabulary())
        effective = merge_filters(parsed, filters, merchant_id)
        if not parsed.original and not (
            effective.constrains_variants or effective.category_id or merchant_id
        ):
            raise InvalidInput("type something to search for, or give a filter")
        response = SearchResponse(query=query, parsed=parsed, filters=effective)
        query_vector = self._query_vector(parsed)  # outside the lock: the embedder has its own
        with self._lock:
            self._apply_changes()
            assert self._ranker is not None and self._arrays is not None
            rows, scores = self._ranker.rank(parsed, effective, query_vector, limit)
            with self._raw() as conn:
                response.hits = hydrate(conn, self._arrays, rows, scores, effective, limit)
        return response

    def _query_vector(self, parsed: ParsedQuery) -> np.ndarray | None:
        text_to_embed = " ".join(part for part in (parsed.text, parsed.translation) if part)
        return self.embedder.embed_query(text_to_embed) if text_to_embed else None
