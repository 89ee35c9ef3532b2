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

from typing import Protocol

from sqlalchemy import Engine, bindparam, text

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
    def __init__(self, engine: Engine, max_postings: int = MAX_POSTINGS) -> None:
        self.engine = engine
        self.max_postings = max_postings
        self._ready = False
        self._doc_freq: dict[str, int] = {}

    def changed(self) -> None:
        self._doc_freq.clear()

    def _prune(self, conn, terms: list[str]) -> list[str]:
        unknown = [term for term in terms if term not in self._doc_freq]
        for term in unknown:
            row = conn.execute(text("SELECT doc FROM search_fts_vocab WHERE term = :t"), {"t": term}).first()
            self._doc_freq[term] = int(row[0]) if row else 0
        if len(self._doc_freq) > 50_000:
            self._doc_freq.clear()
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

    def search(self, terms: list[str], limit: int, merchant_id: str | None = None) -> list[tuple[str, float]]:
        terms = _safe_terms(terms)
        if not terms:
            return []
        self.ensure()
        # Two steps: rank inside FTS5, then look the rowids up. A join in one statement makes SQLite walk
        # search_documents (or run the merchant sub-query per row): 10-1000x slower at 100k products.
        ranked_sql = (
            "SELECT rowid, bm25(search_fts) AS score FROM search_fts WHERE search_fts MATCH :match "
            "ORDER BY score LIMIT :limit"
        )
        with self.engine.connect() as conn:
            terms = self._prune(conn, terms)
            if not terms:
                return []
            match = " OR ".join(f'"{term}"' for term in terms)
            # With a merchant filter, rank every match (pruning bounds them) and keep the merchant's.
            depth = max(limit, self.max_postings) if merchant_id else limit
            ranked = conn.execute(text(ranked_sql), {"match": match, "limit": depth}).all()
            if not ranked:
                return []
            lookup = text(
                "SELECT id, product_id, merchant_id FROM search_documents WHERE id IN :ids"
            ).bindparams(bindparam("ids", expanding=True))
            docs = {row[0]: row[1:] for row in conn.execute(lookup, {"ids": [row[0] for row in ranked]})}
        hits = [
            (docs[rowid][0], -float(score))  # bm25() is lower-is-better; report higher-is-better
            for rowid, score in ranked
            if rowid in docs and (merchant_id is None or docs[rowid][1] == merchant_id)
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
