"""Which products' variants changed since the engine last looked: triggers append to `search_fts_changes`.

Prices, stock and availability change all the time (orders, merchant edits) without anyone calling `reindex`,
yet search filters on them from in-memory arrays. Database triggers on `variants` record the product id of
every inserted, updated or deleted variant; before each search the engine reads the log's newest id (one indexed
lookup, microseconds) and re-reads only the products logged since. The table's name starts with `search_fts`, so
Alembic's autogenerate leaves it alone like the FTS5 tables (it is derived data the engine creates itself).

The log is trimmed to its newest TRIM_TO rows every TRIM_ABOVE changes; an engine that finds its position trimmed
away reloads everything.
"""

from __future__ import annotations

from sqlalchemy import Engine, text

TRIM_ABOVE = 200_000
TRIM_TO = 50_000

_SQLITE_DDL = (
    "CREATE TABLE IF NOT EXISTS search_fts_changes (id INTEGER PRIMARY KEY AUTOINCREMENT, product_id TEXT)",
    "CREATE TRIGGER IF NOT EXISTS search_variants_changed_insert AFTER INSERT ON variants BEGIN "
    "INSERT INTO search_fts_changes(product_id) VALUES (new.product_id); END",
    "CREATE TRIGGER IF NOT EXISTS search_variants_changed_delete AFTER DELETE ON variants BEGIN "
    "INSERT INTO search_fts_changes(product_id) VALUES (old.product_id); END",
    "CREATE TRIGGER IF NOT EXISTS search_variants_changed_update AFTER UPDATE ON variants BEGIN "
    "INSERT INTO search_fts_changes(product_id) VALUES (old.product_id); "
    "INSERT INTO search_fts_changes(product_id) SELECT new.product_id WHERE new.product_id <> old.product_id; "
    "END",
)
_POSTGRES_DDL = (
    "CREATE TABLE IF NOT EXISTS search_fts_changes (id BIGSERIAL PRIMARY KEY, product_id TEXT)",
    "CREATE OR REPLACE FUNCTION search_note_variant_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF TG_OP <> 'INSERT' THEN INSERT INTO search_fts_changes(product_id) VALUES (OLD.product_id); END IF; "
    "IF TG_OP <> 'DELETE' THEN INSERT INTO search_fts_changes(product_id) VALUES (NEW.product_id); END IF; "
    "RETURN NULL; END $$",
    "CREATE OR REPLACE TRIGGER search_variants_changed AFTER INSERT OR UPDATE OR DELETE ON variants "
    "FOR EACH ROW EXECUTE FUNCTION search_note_variant_change()",
)


class VariantChangeLog:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.seen = 0
        # PostgreSQL hands out ids before commit, so a transaction may commit an id below one already read:
        # re-read a window below `seen` and remember which ids in it were applied. SQLite has one writer.
        self.window = 256 if engine.dialect.name == "postgresql" else 0
        self._applied: set[int] = set()
        self._next_trim = TRIM_ABOVE

    def ensure(self) -> None:
        """Create the table and triggers if needed, and start reading after the newest change (the caller loads
        everything after this call, so older changes are in that load)."""
        ddl = _POSTGRES_DDL if self.engine.dialect.name == "postgresql" else _SQLITE_DDL
        with self.engine.begin() as conn:
            for statement in ddl:
                conn.exec_driver_sql(statement)
            newest = conn.exec_driver_sql("SELECT coalesce(max(id), 0) FROM search_fts_changes").scalar()
        self.seen, self._applied = int(newest), set()

    def poll(self, connection) -> tuple[list[str] | None, list[int]]:
        """(product ids changed since the last `advance`, the change ids to pass to `advance` once applied) from a
        DB-API connection; product ids is None when the log was trimmed past what this engine read (reload
        everything). An unchanged log costs one index seek that finds nothing."""
        mark = "?" if type(connection).__module__.startswith("sqlite3") else "%s"
        cursor = connection.cursor()
        try:
            cursor.execute(
                f"SELECT id, product_id FROM search_fts_changes WHERE id > {mark} ORDER BY id",
                (max(self.seen - self.window, 0),),
            )
            fresh = [(int(i), pid) for i, pid in cursor.fetchall() if i not in self._applied]
            if not fresh:
                return [], []
            if self.seen and fresh[0][0] > self.seen + 1:
                # Ids have gaps (rolled-back inserts); a trim leaves nothing at or below what we read.
                cursor.execute(f"SELECT 1 FROM search_fts_changes WHERE id <= {mark} LIMIT 1", (self.seen,))
                if cursor.fetchone() is None:
                    return None, [i for i, _ in fresh]
            return list(dict.fromkeys(pid for _, pid in fresh)), [i for i, _ in fresh]
        finally:
            cursor.close()

    def advance(self, change_ids: list[int]) -> None:
        if not change_ids:
            return
        self.seen = max(self.seen, *change_ids)
        floor = self.seen - self.window
        self._applied = {i for i in (*self._applied, *change_ids) if i > floor} if self.window else set()

    def trim_if_due(self) -> None:
        """Keep the log short: each time this engine has read TRIM_ABOVE more ids, drop all but the newest
        TRIM_TO rows (an engine that had not read them yet reloads everything; see `poll`)."""
        if self.seen < self._next_trim:
            return
        with self.engine.begin() as conn:
            conn.execute(
                text("DELETE FROM search_fts_changes WHERE id <= :cut"), {"cut": self.seen - TRIM_TO}
            )
        self._next_trim = self.seen + TRIM_ABOVE
