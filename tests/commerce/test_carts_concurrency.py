"""Two first cart requests at once: both get the same cart, neither fails on the unique shopper_id."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from shopcopilot.commerce.carts import get_cart
from shopcopilot.commerce.models import Cart, Shopper
from shopcopilot.storage.db import Database


def test_concurrent_first_requests_share_one_cart(empty_db: Database) -> None:
    with empty_db.session() as session:
        session.add(Shopper(id="racer_1", first_name="Ra", last_name="Cer", email="racer@example.com"))
    barrier = threading.Barrier(2)
    ids: list[int] = []
    errors: list[BaseException] = []

    def first_request() -> None:
        try:
            with empty_db.session() as session:
                # Both look before either inserts: the race a double click makes.
                assert session.scalar(select(Cart).where(Cart.shopper_id == "racer_1")) is None
                barrier.wait(timeout=10)
                ids.append(get_cart(session, "racer_1").id)
        except BaseException as exc:  # noqa: BLE001 -- reported below
            errors.append(exc)

    threads = [threading.Thread(target=first_request) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    assert len(ids) == 2 and ids[0] == ids[1]
    with empty_db.session() as session:
        assert session.scalar(select(func.count()).select_from(Cart)) == 1
        assert get_cart(session, "racer_1").id == ids[0]  # and a later request reads it
