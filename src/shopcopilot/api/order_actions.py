"""Running an order operation for a shopper through the API: ownership, preview (dry run) or commit, and a diff.

Consequential changes are transactions: `dry_run=True` runs the real operation in a session that is rolled back
(and may not commit), so the preview is exactly what the real call would do; the real call commits in one
transaction with the audit events the operation records.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi.encoders import jsonable_encoder
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from shopcopilot.api.views import order_view, shopper_view
from shopcopilot.commerce.models import Order, Shopper
from shopcopilot.errors import NotFound
from shopcopilot.storage.db import Database


def order_id_candidates(order_id: str) -> list[str]:
    """The retail store's ids start with '#', which a URL path cannot carry unencoded: accept both spellings."""
    order_id = order_id.strip()
    return [order_id] if order_id.startswith("#") else [f"#{order_id}", order_id]


def own_order(session: Session, shopper_id: str, order_id: str) -> Order:
    """The caller's order; someone else's answers 404 like a missing one, so ids cannot be probed."""
    for candidate in order_id_candidates(order_id):
        order = session.get(Order, candidate)
        if order is not None and order.shopper_id == shopper_id:
            return order
    raise NotFound(f"you have no order {order_id!r}", code="order_not_found")


def own_orders(session: Session, shopper_id: str, *, limit: int, offset: int) -> tuple[list[Order], int]:
    query = select(Order).where(Order.shopper_id == shopper_id)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    orders = session.scalars(query.order_by(Order.position, Order.id).limit(limit).offset(offset)).all()
    return list(orders), total


def _snapshot(session: Session, order_id: str | None, shopper_id: str) -> dict[str, dict]:
    session.expire_all()
    records: dict[str, dict] = {}
    if order_id is not None:
        order = session.get(Order, order_id)
        if order is not None:
            records[f"order:{order_id}"] = order_view(order)
    shopper = session.get(Shopper, shopper_id)
    if shopper is not None:
        records[f"shopper:{shopper_id}"] = shopper_view(session, shopper)
    return records


def diff_records(before: dict[str, dict], after: dict[str, dict]) -> dict[str, dict[str, dict[str, Any]]]:
    """record -> field -> {"before", "after"} for every top-level field that changed."""
    changes: dict[str, dict[str, dict[str, Any]]] = {}
    for record in sorted(set(before) | set(after)):
        old, new = before.get(record, {}), after.get(record, {})
        fields = {
            name: {"before": old.get(name), "after": new.get(name)}
            for name in sorted(set(old) | set(new))
            if old.get(name) != new.get(name)
        }
        if fields:
            changes[record] = fields
    return changes


def _jsonable(session: Session, result: Any) -> Any:
    if isinstance(result, Order):
        return order_view(result)
    if isinstance(result, Shopper):
        return shopper_view(session, result)
    if isinstance(result, str):
        try:
            return json.loads(result)
        except ValueError:
            return result
    return jsonable_encoder(result)


def perform(
    session: Session, shopper_id: str, name: str, arguments: dict, *, order_id: str | None, dry_run: bool
) -> dict:
    """Run one order operation as this shopper in `session` and describe what it changed."""
    from shopcopilot.commerce.order_ops import run_operation

    before = _snapshot(session, order_id, shopper_id)
    result = run_operation(session, name, arguments, acting_user_id=shopper_id, actor=f"shopper:{shopper_id}")
    session.flush()
    after = _snapshot(session, order_id, shopper_id)
    return {
        "operation": name,
        "dry_run": dry_run,
        "result": _jsonable(session, result),
        "changes": diff_records(before, after),
    }


def _refuse_commit(_session: Session) -> None:
    raise RuntimeError("a dry run must not commit")


def preview(database: Database, shopper_id: str, name: str, arguments: dict, *, order_id: str | None) -> dict:
    """What the operation would do, computed by running it and rolling back."""
    session = database.sessions()
    event.listen(session, "before_commit", _refuse_commit)
    try:
        if order_id is not None:
            order_id = own_order(session, shopper_id, order_id).id
            arguments = {"order_id": order_id, **arguments}
        return perform(session, shopper_id, name, arguments, order_id=order_id, dry_run=True)
    finally:
        session.rollback()
        session.close()


def execute(session: Session, shopper_id: str, name: str, arguments: dict, *, order_id: str | None) -> dict:
    """Run the operation for real in the caller's transaction (which commits it)."""
    if order_id is not None:
        order_id = own_order(session, shopper_id, order_id).id
        arguments = {"order_id": order_id, **arguments}
    return perform(session, shopper_id, name, arguments, order_id=order_id, dry_run=False)
