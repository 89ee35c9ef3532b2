"""BM25-style full text over `search_documents.body`: SQLite FTS5, or PostgreSQL `tsvector` on PostgreSQL.

The body is already tokenised (Chinese segmented by jieba), so both engines only split at spaces and lower-case:
FTS5's `unicode61` tokenizer and PostgreSQL's `simple` configuration. A query is an OR of its terms: documents
that match more (and rarer) terms rank higher.

SQLite: the FTS5 table is an external-content index over `search_documents` kept in step by triggers, so
writes to `search_documents` (and deletes cascading from `products`) update it in the same transaction. It is
created on first use rather than by the migration: Alembic autogenerate would otherwise see FTS5's shadow tables
in every developer's database and propose dropping them.

PostgreSQL: a GIN expression index on `to_tsvector('simple', body)` (migration 0002) and `ts_rank_cd`.
"""

from __future__ import annotations

from typing import Protocol

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
)


class FullTextIndex(Protocol):
    def ensure(self) -> None: ...

    def search(
        self, terms: list[str], limit: int, merchant_id: str | None = None
    ) -> list[tuple[str, float]]: ...


def _safe_terms(terms: list[str]) -> list[str]:
    # Tokens are [a-z0-9] or CJK words from our own tokenizer; drop anything else rather than escape it.
    return [t for t in dict.fromkeys(terms) if t and '"' not in t and "'" not in t and "\\" not in t]


class SqliteFullText:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._ready = False

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
        match = " OR ".join(f'"{term}"' for term in terms)
        where = " AND d.merchant_id = :merchant" if merchant_id else ""
        sql = (
            "SELECT d.product_id, bm25(search_fts) AS score FROM search_fts "
            f"JOIN search_documents d ON d.id = search_fts.rowid WHERE search_fts MATCH :match{where} "
            "ORDER BY score LIMIT :limit"
        )
        with self.engine.connect() as conn:
            rows = conn.execute(text(sql), {"match": match, "merchant": merchant_id, "limit": limit})
            # bm25() is lower-is-better; report higher-is-better.
            return [(product_id, -float(score)) for product_id, score in rows]


class PostgresFullText:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def ensure(self) -> None:
        """The GIN index comes with the migration; nothing to create at run time."""

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
