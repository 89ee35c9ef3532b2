"""Shopper-assistant fixtures: the real retail store (loaded once, copied per test) and an assistant over it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from shopcopilot.shopper.assistant import build_assistant
from shopcopilot.storage.db import Database, create_database


def _load_store(database: Database, retail_dir: Path) -> None:
    try:
        from shopcopilot.demo import load_demo_store

        load_demo_store(database, retail_dir, index=False)
    except ImportError:
        # Until the demo store's content modules are installed, the retail store alone is enough.
        from shopcopilot.catalog.retail_io import load_retail

        with database.session() as session:
            load_retail(session, retail_dir)


@pytest.fixture(scope="session")
def chat_store_template(tmp_path_factory: pytest.TempPathFactory, retail_dir: Path) -> Path:
    path = tmp_path_factory.mktemp("chat_store") / "store.db"
    database = create_database(f"sqlite:///{path}")
    database.create_all()
    _load_store(database, retail_dir)
    with database.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.engine.dispose()
    return path


@pytest.fixture
def chat_db(chat_store_template: Path, tmp_path: Path) -> Database:
    """A private copy of the retail store at the latest schema."""
    path = tmp_path / "store.db"
    shutil.copy(chat_store_template, path)
    return create_database(f"sqlite:///{path}")


@pytest.fixture
def assistant(chat_db: Database):
    return build_assistant(chat_db)


@pytest.fixture(scope="session")
def retail_users(retail_dir: Path) -> dict:
    return json.loads((retail_dir / "users.json").read_text())


@pytest.fixture(scope="session")
def retail_orders(retail_dir: Path) -> dict:
    return json.loads((retail_dir / "orders.json").read_text())
