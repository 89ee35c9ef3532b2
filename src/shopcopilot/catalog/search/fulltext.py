"""BM25-style full text over `search_documents.body`: SQLite FTS5, or PostgreSQL `tsvector` on PostgreSQL.

The body is already tokenised (Chinese segmented by jieba), so both engines only split at spaces and lower-case:
FTS5's `unicode61` tokenizer and PostgreSQL's `simple` configuration. A query is an OR of its terms: documents
that match more (and rarer) terms rank higher.

SQLite: the FTS5 table is an external-content index over `search_documents` kept in step by triggers, so
writes to `search_documents` (and deletes cascading from `products`) update it in the same transaction. It is
created on first use rather than by the migration: Alembic autogenerate would otherwise see FTS5's shadow tables
in every developer's database and propose dropping them.

Large catalogs: FTS5 scores every document that matches any term, so a query with a very common word ("small",
"office") would score tens of thousands of rows. The SQLite backend therefore keeps a query's rarest terms up to
MAX_POSTINGS matching documents and drops the commonest ones (their IDF, and so their share of BM25, is lowest);
below that size nothing is dropped.

PostgreSQL: a GIN expression index on `to_tsvector('simple', body)` (migration 0002) and `ts_rank_cd`.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Protocol

import numpy as np
from sqlalchemy import Engine, text

_FTS_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
    "body, content='search_documents', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS search_documents_fts_insert AFTER INSERT ON search_documents BEGIN "
    "INSERT INTO search_fts(rowid, body) VALUES (new.id, new.body); END",
    "CREATE TRIGGER IF NOT EXISTS search_documents_fts_delete AFTER DELETE ON search_documents BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, body) VALUES ('delete', old.id, old.body); END",
    "CREATE TRIGGER IF NOT EXISTS search_documents_fts_update AFTER UPDATE OF body ON search_documents BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, body) VALUES ('delete', old.id, old.body); "
    "INSERT INTO search_fts(rowid, body) VALUES (new.id, new.body); END",
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts_vocab USING fts5vocab(search_fts, row)",
)
MAX_POSTINGS = 2500
MAX_CACHED_POSTINGS = 4_000_000  # per-term score lists kept in memory (~64 MB at most)


class FullTextIndex(Protocol):
    def ensure(self) -> None: ...

    def search(
        self, terms: list[str], limit: int, merchant_id: str | None = None
    ) -> list[tuple[str, float]]: ...

    def changed(self) -> None:
        """The documents changed (forget cached statistics)."""


def _safe_terms(terms: list[str]) -> list[str]:
    # Tokens are [a-z0-9] or CJK words from our own tokenizer; drop anything else rather than escape it.
    return [t for t in dict.fromkeys(terms) if t and '"' not in t and "'" not in t and "\\" not in t]


class SqliteFullText:
    """BM25 from FTS5, summed in numpy. FTS5's bm25() of an OR query is the sum over its terms of each term's
    bm25 (same IDF, same document lengths), so each term's (document, score) list is read from FTS5 once, kept in
    memory, and a query adds its terms' lists up: scoring 2,000-5,000 postings costs FTS5 3-8 ms per query and numpy
    a tenth of a millisecond. Reads go through one dedicated DB-API connection (its statements stay prepared);
    `changed()` forgets the lists, document frequencies and the rowid -> product map."""

    def __init__(
        self, engine: Engine, max_postings: int = MAX_POSTINGS, max_cached: int = MAX_CACHED_POSTINGS
    ) -> None:
        self.engine = engine
        self.max_postings = max_postings
        self.max_cached = max_cached
        self.generation = 0  # bumped by changed(): callers key derived maps on it
        self._ready = False
        self._doc_freq: dict[str, int] = {}
        self._postings: OrderedDict[str, tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._cached = 0
        self._docs: dict[int, tuple[str, str]] = {}  # search_documents.id -> (product id, merchant id)
        self._connection = None
        self._lock = threading.Lock()

    def changed(self) -> None:
        with self._lock:
            self._doc_freq.clear()
            self._postings.clear()
            self._cached = 0
            self._docs.clear()
            self.generation += 1

    def _conn(self):
        if self._connection is None:
            # Held for the engine's life: a pool connection (pragmas applied), used under self._lock only.
            self._connection = self.engine.raw_connection()
        return self._connection.driver_connection

    def _prune(self, conn, terms: list[str]) -> list[str]:
        for term in terms:
            if term not in self._doc_freq:
                row = conn.execute("SELECT doc FROM search_fts_vocab WHERE term = ?", (term,)).fetchone()
                self._doc_freq[term] = int(row[0]) if row else 0
        if len(self._doc_freq) > 50_000:
            self._doc_freq = {term: self._doc_freq[term] for term in terms}
        ranked = sorted((self._doc_freq.get(term, 0), term) for term in terms)
        kept, total = [], 0
        for freq, term in ranked:
            if freq == 0:
                continue  # matches nothing
            if kept and total + freq > self.max_postings:
                break
            kept.append(term)
            total += freq
        return kept

    def ensure(self) -> None:
        if self._ready:
            return
        with self.engine.begin() as conn:
            existed = conn.execute(
                text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'search_fts'")
            ).first()
            for statement in _FTS_DDL:
                conn.execute(text(statement))
            if not existed:
                conn.execute(text("INSERT INTO search_fts(search_fts) VALUES ('rebuild')"))
        self._ready = True

    def _term_postings(self, conn, term: str) -> tuple[np.ndarray, np.ndarray]:
        """(rowids, bm25 scores, higher is better) of the documents that contain `term`."""
        found = self._postings.get(term)
        if found is not None:
            self._postings.move_to_end(term)
            return found
        rows = conn.execute(
            "SELECT rowid, bm25(search_fts) FROM search_fts WHERE search_fts MATCH ?", (f'"{term}"',)
        ).fetchall()
        pairs = np.asarray(rows, dtype=np.float64).reshape(-1, 2)
        found = (pairs[:, 0].astype(np.int64), -pairs[:, 1])  # bm25() is lower-is-better
        self._postings[term] = found
        self._cached += len(pairs)
        while self._cached > self.max_cached and len(self._postings) > 1:
            self._cached -= len(self._postings.popitem(last=False)[1][0])
        return found

    def search_docs(self, terms: list[str], limit: int) -> tuple[np.ndarray, np.ndarray]:
        """(search_documents ids, scores), best first: what `search` returns, before the product lookup."""
        terms = _safe_terms(terms)
        empty = (np.zeros(0, dtype=np.int64), np.zeros(0))
        if not terms:
            return empty
        self.ensure()
        with self._lock:
            conn = self._conn()
            lists = [self._term_postings(conn, term) for term in self._prune(conn, terms)]
        if not lists:
            return empty
        docs, inverse = np.unique(np.concatenate([d for d, _ in lists]), return_inverse=True)
        scores = np.bincount(inverse, weights=np.concatenate([s for _, s in lists]))
        if len(docs) > limit:
            top = np.argpartition(-scores, limit - 1)[:limit]
            docs, scores = docs[top], scores[top]
        order = np.lexsort((docs, -scores))  # ties: lower rowid first
        return docs[order], scores[order]

    def documents(self) -> dict[int, tuple[str, str]]:
        """search_documents id -> (product id, merchant id), every document (loaded once per generation)."""
        with self._lock:
            if not self._docs:
                rows = self._conn().execute("SELECT id, product_id, merchant_id FROM search_documents")
                self._docs = {row[0]: (row[1], row[2]) for row in rows}
            return self._docs

    def search(self, terms: list[str], limit: int, merchant_id: str | None = None) -> list[tuple[str, float]]:
        # With a merchant filter, rank every match (pruning bounds them) and keep the merchant's.
        depth = max(limit, self.max_postings) if merchant_id else limit
        docs, scores = self.search_docs(terms, depth)
        if not len(docs):
            return []
        documents = self.documents()
        hits = [
            (documents[rowid][0], float(score))
            for rowid, score in zip(docs.tolist(), scores.tolist(), strict=True)
            if rowid in documents and (merchant_id is None or documents[rowid][1] == merchant_id)
        ]
        return hits[:limit]


class PostgresFullText:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def ensure(self) -> None:
        """The GIN index comes with the migration; nothing to create at run time."""

    def changed(self) -> None:
        """No cached statistics."""

    def search(self, terms: list[str], limit: int, merchant_id: str | None = None) -> list[tuple[str, float]]:
        terms = _safe_terms(terms)
        if not terms:
            return []
        query = " | ".join("'" + term + "'" for term in terms)
        where = " AND merchant_id = :merchant" if merchant_id else ""
        sql = (
            "SELECT product_id, ts_rank_cd(to_tsvector('simple', body), q) AS score "
            "FROM search_documents, CAST(:query AS tsquery) AS q "
            f"WHERE to_tsvector('simple', body) @@ q{where} ORDER BY score DESC LIMIT :limit"
        )
        with self.engine.connect() as conn:
            rows = conn.execute(text(sql), {"query": query, "merchant": merchant_id, "limit": limit})
            return [(product_id, float(score)) for product_id, score in rows]


def fulltext_for(engine: Engine) -> FullTextIndex:
    if engine.dialect.name == "postgresql":
        return PostgresFullText(engine)
    return SqliteFullText(engine)
