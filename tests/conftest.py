"""Shared fixtures. Domain-specific fixtures live in the conftest.py of each test folder."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from shopcopilot.config import default_retail_dir  # noqa: E402
from shopcopilot.storage.db import Database, create_database  # noqa: E402

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


@pytest.fixture(scope="session")
def retail_dir() -> Path:
    path = default_retail_dir()
    assert (path / "products.json").exists(), f"retail data not found at {path}"
    return path


@pytest.fixture
def empty_db(tmp_path: Path) -> Database:
    """A new SQLite database at the latest schema."""
    database = create_database(f"sqlite:///{tmp_path / 'empty.db'}")
    database.create_all()
    return database


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def retail_store_template(tmp_path_factory: pytest.TempPathFactory, retail_dir: Path) -> Path:
    """The real retail store loaded once per session into an SQLite file, checkpointed so the file is complete."""
    from shopcopilot.catalog.retail_io import load_retail

    path = tmp_path_factory.mktemp("retail_store") / "retail.db"
    database = create_database(f"sqlite:///{path}")
    database.create_all()
    with database.session() as session:
        load_retail(session, retail_dir)
    with database.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.engine.dispose()
    return path


@pytest.fixture
def retail_db(retail_store_template: Path, tmp_path: Path) -> Iterator[Database]:
    """A private copy of the real retail store (products, users, orders) at the latest schema."""
    path = tmp_path / "retail.db"
    shutil.copy(retail_store_template, path)
    database = create_database(f"sqlite:///{path}")
    yield database
    database.engine.dispose()
