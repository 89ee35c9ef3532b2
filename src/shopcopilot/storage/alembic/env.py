"""Alembic environment: uses the engine handed over by `shopcopilot.storage.migrations`."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from shopcopilot.storage.schema import metadata

config = context.config
target_metadata = metadata()


def include_object(_object, name, type_, reflected, _compare_to) -> bool:
    """Skip tables the search engine creates itself (SQLite FTS5 and its shadow tables), so that autogenerate
    never proposes dropping them."""
    return not (type_ == "table" and reflected and name and name.startswith("search_fts"))


def run() -> None:
    engine = config.attributes.get("engine") or create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            include_object=include_object,
        )
        context.run_migrations()


run()
