"""A merchant's own store: its products, and the orders that contain them (merchant token only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from shopcopilot.api.deps import MerchantDep, SessionDep
from shopcopilot.api.schemas import ERROR_RESPONSES
from shopcopilot.api.views import merchant_view, order_view, product_summary
from shopcopilot.catalog.models import Merchant, Product
from shopcopilot.commerce.models import Order, OrderItem

router = APIRouter(prefix="/v1/merchant", tags=["merchant"], responses=ERROR_RESPONSES)

Limit = Annotated[int, Query(ge=1, le=100)]
Offset = Annotated[int, Query(ge=0, le=10**7)]


@router.get("")
def my_store(merchant_id: MerchantDep, session: SessionDep) -> dict:
    merchant = session.get(Merchant, merchant_id)
    assert merchant is not None  # current_merchant checked it exists
    return merchant_view(merchant)


@router.get("/products")
def my_products(merchant_id: MerchantDep, session: SessionDep, limit: Limit = 50, offset: Offset = 0) -> dict:
    query = select(Product).where(Product.merchant_id == merchant_id)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    products = session.scalars(
        query.options(selectinload(Product.variants))
        .order_by(Product.position, Product.id)
        .limit(limit)
        .offset(offset)
    ).all()
    return {"items": [product_summary(p) for p in products], "total": total, "limit": limit, "offset": offset}


@router.get("/orders")
def my_orders(
    merchant_id: MerchantDep,
    session: SessionDep,
    status: Annotated[str | None, Query(max_length=40)] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict:
    """Orders containing this store's products. Each shows only this store's items, and no payment history:
    the rest of the basket and how the shopper paid belong to the shopper and the other stores."""
    own_products = select(Product.id).where(Product.merchant_id == merchant_id)
    with_own_items = select(OrderItem.order_id).where(OrderItem.product_id.in_(own_products))
    query = select(Order).where(Order.id.in_(with_own_items))
    if status is not None:
        query = query.where(Order.status == status)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    orders = session.scalars(
        query.options(selectinload(Order.items))
        .order_by(Order.created_at.desc(), Order.id)
        .limit(limit)
        .offset(offset)
    ).all()
    own_ids = set(session.scalars(own_products))
    items = []
    for order in orders:
        view = order_view(order)
        view["items"] = [item for item in view["items"] if item["product_id"] in own_ids]
        view.pop("payment_history", None)
        items.append(view)
    return {"items": items, "total": total, "limit": limit, "offset": offset}
