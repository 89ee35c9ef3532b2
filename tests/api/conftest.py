"""API fixtures: an app over a small hand-built store, a TestClient, tokens, and a real uvicorn server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from http_server import running_server
from mini_store import build_mini_store
from shopcopilot.api.app import create_app
from shopcopilot.api.auth import mint_token
from shopcopilot.storage.db import Database


@pytest.fixture
def store_db(empty_db: Database) -> Database:
    build_mini_store(empty_db)
    return empty_db


@pytest.fixture
def client(store_db: Database) -> Iterator[TestClient]:
    with TestClient(create_app(store_db)) as test_client:
        yield test_client


def bearer(kind: str, subject_id: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_token(kind, subject_id)}"}  # type: ignore[arg-type]


@pytest.fixture
def alice() -> dict[str, str]:
    return bearer("shopper", "alice_1")


@pytest.fixture
def bob() -> dict[str, str]:
    return bearer("shopper", "bob_2")


@pytest.fixture
def gadget_merchant() -> dict[str, str]:
    return bearer("merchant", "m1")


@pytest.fixture
def live_server(store_db: Database) -> Iterator[str]:
    """The app served by a real uvicorn on a free loopback port; yields its base URL."""
    with running_server(create_app(store_db)) as base_url:
        yield base_url
