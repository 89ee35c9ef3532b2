"""Shared fixtures. Domain-specific fixtures live in the conftest.py of each test folder."""

from __future__ import annotations

import os
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
