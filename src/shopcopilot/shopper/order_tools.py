"""The foundation's order operations as assistant tools: their JSON schemas, consequential flags and
descriptions come from `commerce.order_ops.ORDER_OPERATIONS`; results are turned into plain JSON records."""

from __future__ import annotations

import json
from typing import Any

from shopcopilot.agent.tools import Tool, ToolContext, ToolRegistry
from shopcopilot.commerce.models import Order, Shopper

# These work before authentication (they are how a guest authenticates) or touch no shopper's data.
OPEN_OPERATIONS = {"find_user_id_by_email", "find_user_id_by_name_zip", "list_all_product_types", "calculate",
                   "think", "get_product_details", "transfer_to_human_agents"}


def order_record(order: Order) -> dict[str, Any]:
    return {
        "order_id": order.id,
        "user_id": order.shopper_id,
        "address": dict(order.address or {}),
        "items": [
            {"name": item.name, "product_id": item.product_id, "item_id": item.variant_id,
             "price": item.price, "options": dict(item.options or {})}
            for item in order.items
        ],
        "fulfillments": list(order.fulfillments or []),
        "status": order.status,
        "payment_history": [
            {"transaction_type": p.transaction_type, "amount": p.amount, "payment_method_id": p.payment_method_id}
            for p in order.payments
        ],
    }


def shopper_record(session, shopper: Shopper) -> dict[str, Any]:
    orders = session.query(Order.id).filter(Order.shopper_id == shopper.id).order_by(Order.position, Order.id)
    return {
        "user_id": shopper.id,
        "name": {"first_name": shopper.first_name, "last_name": shopper.last_name},
        "email": shopper.email,
        "address": dict(shopper.address or {}),
        "payment_methods": {
            pm.id: {"id": pm.id, "source": pm.source, **({"balance": pm.balance} if pm.balance is not None else {}),
                    **(pm.details or {})}
            for pm in shopper.payment_methods
        },
        "orders": [row[0] for row in orders],
    }


def plain(session, result: Any) -> Any:
    if isinstance(result, Order):
        return order_record(result)
    if isinstance(result, Shopper):
        return shopper_record(session, result)
    if isinstance(result, str):
        try:
            return json.loads(result)
        except ValueError:
            return result
    return result


def _entry_parts(entry: Any) -> tuple[dict[str, Any], bool, str]:
    if isinstance(entry, tuple | list):
        _function, schema, consequential, description = entry[:4]
        return schema, bool(consequential), description
    schema = getattr(entry, "schema", None) or getattr(entry, "parameters", None) or {}
    return schema, bool(getattr(entry, "consequential", False)), getattr(entry, "description", "")


def _summary(name: str):
    def summarize(result: Any) -> str:
        if isinstance(result, dict) and "order_id" in result and "status" in result:
            return f"order {result['order_id']}: {result['status']}, {len(result.get('items', []))} items"
        if isinstance(result, dict) and "user_id" in result and "orders" in result:
            return f"user {result['user_id']}: {len(result['orders'])} orders, " \
                   f"{len(result.get('payment_methods', {}))} payment methods"
        text = result if isinstance(result, str) else json.dumps(result, default=str)
        return text if len(text) <= 120 else text[:117] + "..."

    return summarize


def register_order_tools(registry: ToolRegistry) -> list[str]:
    """Register every order operation the foundation provides; returns their names (none if not installed)."""
    try:
        from shopcopilot.commerce.order_ops import ORDER_OPERATIONS, run_operation
    except ImportError:
        return []
    names: list[str] = []
    for name, entry in ORDER_OPERATIONS.items():
        schema, consequential, description = _entry_parts(entry)
        if "type" not in schema:
            schema = {"type": "object", **schema}

        def function(ctx: ToolContext, args: dict[str, Any], _name: str = name) -> Any:
            acting = None if _name in OPEN_OPERATIONS else ctx.authenticated_user_id
            result = run_operation(ctx.session, _name, dict(args), acting_user_id=acting, actor=ctx.actor)
            ctx.session.flush()
            return plain(ctx.session, result)

        registry.register(Tool(
            name=name, description=description, parameters=schema, function=function,
            consequential=consequential, summarize=_summary(name),
            needs_authentication=name not in OPEN_OPERATIONS,
        ))
        names.append(name)
    return names
