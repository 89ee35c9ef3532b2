"""The typed tool registry: schema validation, the guard (ownership, confirmation, authentication), the trace."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from mini_store import build_mini_store
from shopcopilot.agent.guard import AuthenticationRequired, ConfirmationRequired, OwnershipError
from shopcopilot.agent.tools import Tool, ToolContext, ToolRegistry, validate_arguments
from shopcopilot.agent.trace import Trace
from shopcopilot.commerce.models import Order
from shopcopilot.errors import InvalidInput


def _registry(calls: list) -> ToolRegistry:
    registry = ToolRegistry()
    schema = {"type": "object", "properties": {"order_id": {"type": "string"}}, "required": ["order_id"],
              "additionalProperties": False}
    registry.register(Tool("read_order", "read", schema, lambda ctx, a: calls.append(a) or {"ok": 1},
                           needs_authentication=True))
    registry.register(Tool("cancel", "cancel", schema, lambda ctx, a: calls.append(a) or "done",
                           consequential=True, needs_authentication=True))
    return registry


@pytest.fixture
def orders(empty_db):
    build_mini_store(empty_db)
    with empty_db.session() as session:
        rows = session.execute(select(Order.id, Order.shopper_id)).all()
    return empty_db, {shopper: order for order, shopper in rows}


def test_validate_arguments() -> None:
    schema = {"type": "object", "properties": {"ids": {"type": "array", "items": {"type": "string"}},
                                               "reason": {"type": "string", "enum": ["a", "b"]}},
              "required": ["ids"], "additionalProperties": False}
    validate_arguments(schema, {"ids": ["1"], "reason": "a"})
    for bad in ({}, {"ids": [1]}, {"ids": ["1"], "reason": "c"}, {"ids": ["1"], "extra": 1}, {"ids": "1"}):
        with pytest.raises(InvalidInput):
            validate_arguments(schema, bad)


def test_guard_denies_other_shoppers_orders_and_records_it(orders) -> None:
    database, by_shopper = orders
    (owner, order_id), (other, _) = sorted(by_shopper.items())[:2]
    calls: list = []
    registry, trace = _registry(calls), Trace()
    with database.session() as session:
        ctx = ToolContext(session=session, shopper_id=other, authenticated_user_id=other)
        with pytest.raises(OwnershipError):
            registry.call("read_order", {"order_id": order_id}, ctx, trace)
        ctx_owner = ToolContext(session=session, shopper_id=owner, authenticated_user_id=owner)
        assert registry.call("read_order", {"order_id": order_id}, ctx_owner, trace) == {"ok": 1}
    assert calls == [{"order_id": order_id}]
    assert [c.ok for c in trace.tool_calls] == [False, True]
    assert "not_your_record" in trace.tool_calls[0].error
    assert trace.tool_calls[1].summary and trace.tool_calls[1].ms >= 0


def test_consequential_tools_need_confirmation_and_authentication(orders) -> None:
    database, by_shopper = orders
    owner, order_id = sorted(by_shopper.items())[0]
    calls: list = []
    registry, trace = _registry(calls), Trace()
    with database.session() as session:
        guest = ToolContext(session=session, shopper_id=None, authenticated_user_id=None)
        with pytest.raises(AuthenticationRequired):
            registry.call("cancel", {"order_id": order_id}, guest, trace, confirmed=True)
        ctx = ToolContext(session=session, shopper_id=owner, authenticated_user_id=owner)
        with pytest.raises(ConfirmationRequired):
            registry.call("cancel", {"order_id": order_id}, ctx, trace)
        with pytest.raises(InvalidInput):
            registry.call("cancel", {"order_id": 5}, ctx, trace, confirmed=True)
        assert calls == []
        assert registry.call("cancel", {"order_id": order_id}, ctx, trace, confirmed=True) == "done"
    assert calls == [{"order_id": order_id}]


def test_specs_list_every_tool() -> None:
    registry = _registry([])
    assert [spec["name"] for spec in registry.specs()] == ["cancel", "read_order"]
    with pytest.raises(ValueError):
        registry.register(Tool("cancel", "again", {"type": "object"}, lambda ctx, a: None))
