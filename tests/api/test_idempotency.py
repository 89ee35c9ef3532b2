"""`run_idempotent` directly, including the race where another request stores the same key first."""

from __future__ import annotations

import pytest

from mini_store import build_mini_store
from shopcopilot.api.idempotency import request_fingerprint, run_idempotent
from shopcopilot.commerce import carts
from shopcopilot.commerce.models import IdempotencyRecord
from shopcopilot.errors import Conflict, InvalidInput
from shopcopilot.storage.db import Database


@pytest.fixture
def db(empty_db: Database) -> Database:
    build_mini_store(empty_db)
    return empty_db


def _add(quantity: int):
    def action(session):
        carts.add_line(session, "alice_1", "v1", quantity)
        return 200, carts.cart_view(session, "alice_1")

    return action


def _quantity(db: Database) -> int:
    with db.session() as s:
        lines = carts.cart_view(s, "alice_1")["lines"]
    return lines[0]["quantity"] if lines else 0


def test_fingerprint_ignores_key_order_but_not_content() -> None:
    a = request_fingerprint("post", "/x", {"a": 1, "b": 2})
    assert a == request_fingerprint("POST", "/x", {"b": 2, "a": 1})
    assert a != request_fingerprint("POST", "/x", {"a": 1, "b": 3})
    assert a != request_fingerprint("POST", "/y", {"a": 1, "b": 2})


def test_replay_and_conflict(db: Database) -> None:
    fp = request_fingerprint("POST", "/v1/cart/lines", {"q": 2})
    first = run_idempotent(db, "shopper:alice_1", "k", fp, _add(2))
    again = run_idempotent(db, "shopper:alice_1", "k", fp, _add(2))
    assert (first.replayed, again.replayed) == (False, True)
    assert again.body == first.body and _quantity(db) == 2
    with pytest.raises(Conflict):
        run_idempotent(db, "shopper:alice_1", "k", "another-fingerprint", _add(2))
    run_idempotent(db, "shopper:alice_1", None, fp, _add(1))  # no key: runs every time
    assert _quantity(db) == 3
    for bad_key in ("", "   ", "x" * 201, "tab\there"):
        with pytest.raises(InvalidInput):
            run_idempotent(db, "shopper:alice_1", bad_key, fp, _add(1))
    assert _quantity(db) == 3


def test_losing_a_race_undoes_the_change_and_replays_the_winner(db: Database) -> None:
    fp = request_fingerprint("POST", "/v1/cart/lines", {"q": 5})
    winner_body = {"winner": True}

    def racing_action(session):
        # Another request with the same key commits first, while this one is still working.
        with db.session() as other:
            other.add(IdempotencyRecord(principal="shopper:alice_1", key="race", request_hash=fp, status_code=200,
                                        body=winner_body))  # fmt: skip
        return _add(5)(session)

    stored = run_idempotent(db, "shopper:alice_1", "race", fp, racing_action)
    assert stored.replayed and stored.body == winner_body
    assert _quantity(db) == 0  # this request's own change was rolled back
