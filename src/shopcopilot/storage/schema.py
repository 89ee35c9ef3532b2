"""Creating the schema: every domain's tables are imported here so that the metadata is complete."""

from __future__ import annotations

from sqlalchemy import Engine

from shopcopilot.storage.base import Base


def load_all_tables() -> None:
    """Import every module that declares tables (the metadata is filled on import)."""
    import shopcopilot.agent.models  # noqa: F401
    import shopcopilot.catalog.models  # noqa: F401
    import shopcopilot.catalog.search.models  # noqa: F401
    import shopcopilot.commerce.models  # noqa: F401
    import shopcopilot.feedback.models  # noqa: F401
    import shopcopilot.merchant.models  # noqa: F401
    import shopcopilot.shopper.models  # noqa: F401


def create_schema(engine: Engine) -> None:
    """Bring the schema to the latest Alembic revision (creates it on an empty database)."""
    from shopcopilot.storage.migrations import upgrade

    upgrade(engine)


def metadata():
    load_all_tables()
    return Base.metadata
