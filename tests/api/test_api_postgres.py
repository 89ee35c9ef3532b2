"""The same API over a real PostgreSQL: carts, idempotent retries racing, and an order operation with a dry run."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from tests.pg_server import start_postgres

from http_server import running_server
from mini_store import build_mini_store
from shopcopilot.api.app import create_app
from shopcopilot.api.auth import mint_token
from shopcopilot.commerce.models import Order
from shopcopilot.storage.db import Database, create_database
from shopcopilot.storage.schema import metadata

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_db(tmp_path_factory: pytest.TempPathFactory) -> Database:
    database = create_database(start_postgres(Path(tmp_path_factory.getbasetemp()) / "api-pg"))
    # Not `database.create_all()`: Alembic's config chokes on the '%' of the socket path in this URL (reported).
    metadata().create_all(database.engine)
    build_mini_store(database)
    return database


@pytest.fixture
def pg_server(pg_db: Database) -> Iterator[str]:
    with running_server(create_app(pg_db)) as base_url:
        yield base_url


def test_cart_and_order_on_postgres(pg_server: str, pg_db: Database) -> None:
    alice = {"Authorization": f"Bearer {mint_token('shopper', 'alice_1')}"}
    keyed = alice | {"Idempotency-Key": "pg-race"}

    def add(_: int) -> httpx.Response:
        with httpx.Client(base_url=pg_server, timeout=30) as http:
            return http.post("/v1/cart/lines", json={"variant_id": "v1", "quantity": 3}, headers=keyed)

    with ThreadPoolExecutor(max_workers=4) as pool:
        responses = list(pool.map(add, range(4)))
    assert [r.status_code for r in responses] == [200] * 4
    with httpx.Client(base_url=pg_server, timeout=30) as http:
        cart = http.get("/v1/cart", headers=alice).json()
        assert [(line["variant_id"], line["quantity"]) for line in cart["lines"]] == [("v1", 3)]
        conflict = http.post("/v1/cart/lines", json={"variant_id": "v1", "quantity": 4}, headers=keyed)
        assert conflict.status_code == 409
        assert (
            http.post("/v1/cart/lines", json={"variant_id": "v1", "quantity": -3}, headers=alice).status_code
            == 422
        )

        body = {"reason": "no longer needed"}
        preview = http.post("/v1/orders/W1000001/cancel?dry_run=true", json=body, headers=alice).json()
        assert preview["changes"]["order:#W1000001"]["status"]["after"] == "cancelled"
        with pg_db.session() as s:
            assert s.get(Order, "#W1000001").status == "pending"
        assert http.post("/v1/orders/W1000001/cancel", json=body, headers=alice).status_code == 200
    with pg_db.session() as s:
        assert s.get(Order, "#W1000001").status == "cancelled"
