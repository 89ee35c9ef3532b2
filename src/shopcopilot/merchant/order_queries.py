"""Read-only operations on the orders that contain the merchant's products (other stores' items are left out)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from shopcopilot.catalog.models import Product
from shopcopilot.commerce.models import Order, OrderItem
from shopcopilot.errors import InvalidInput
from shopcopilot.merchant.previews import Preview

ORDER_STATUSES = ("pending", "processed", "delivered", "cancelled", "exchange requested", "return requested")


def preview_list_orders(session: Session, merchant_id: str, args: dict) -> Preview:
    status = args.get("status")
    if status is not None and status not in ORDER_STATUSES:
        raise InvalidInput(f"status must be one of {', '.join(ORDER_STATUSES)}", code="bad_status")
    limit = min(int(args.get("limit") or 20), 100)
    own = select(Product.id).where(Product.merchant_id == merchant_id)
    query = select(Order).where(Order.id.in_(select(OrderItem.order_id).where(OrderItem.product_id.in_(own))))
    if status:
        query = query.where(Order.status == status)
    orders = session.scalars(query.options(selectinload(Order.items)).order_by(Order.id)).all()
    own_ids = set(session.scalars(own))
    rows = [
        {
            "order_id": order.id,
            "status": order.status,
            "items": [
                {
                    "name": item.name,
                    "variant_id": item.variant_id,
                    "options": item.options,
                    "price": item.price,
                }
                for item in order.items
                if item.product_id in own_ids
            ],
        }
        for order in orders[:limit]
    ]
    what = f"'{status}'" if status else "any status"
    return Preview(
        "list_orders",
        args,
        f"{len(orders)} order(s) with {what} contain your products"
        + (f"; showing {limit}" if len(orders) > limit else ""),
        read_only=True,
        result={"total": len(orders), "orders": rows},
    )
