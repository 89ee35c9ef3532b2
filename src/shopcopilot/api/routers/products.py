"""Products (SPU) and their variants (SKU): list with filters and pagination, get one, its variants."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from shopcopilot.api.deps import OptionalShopperDep, SessionDep
from shopcopilot.api.schemas import ERROR_RESPONSES
from shopcopilot.api.views import product_detail, product_summary, variant_view
from shopcopilot.catalog.models import Product, Variant
from shopcopilot.commerce.models import BrowsingEvent, Shopper
from shopcopilot.errors import NotFound

router = APIRouter(prefix="/v1", tags=["products"], responses=ERROR_RESPONSES)

MAX_PAGE = 100


def _product(session: Session, product_id: str) -> Product:
    product = session.scalar(
        select(Product)
        .where(Product.id == product_id)
        .options(selectinload(Product.variants), selectinload(Product.content))
    )
    if product is None:
        raise NotFound(f"no product {product_id!r}", code="product_not_found")
    return product


def record_view(
    session: Session, shopper_id: str | None, product_id: str, variant_id: str | None = None
) -> None:
    """Remember what a signed-in shopper looked at (personalisation reads these)."""
    if shopper_id is not None and session.get(Shopper, shopper_id) is not None:
        session.add(
            BrowsingEvent(shopper_id=shopper_id, kind="view", product_id=product_id, variant_id=variant_id)
        )


@router.get("/products")
def list_products(
    session: SessionDep,
    category_id: Annotated[str | None, Query(max_length=64)] = None,
    merchant_id: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 20,
    offset: Annotated[int, Query(ge=0, le=10**7)] = 0,
) -> dict:
    """Products in catalogue order, optionally of one category and/or one merchant."""
    query = select(Product)
    if category_id is not None:
        query = query.where(Product.category_id == category_id)
    if merchant_id is not None:
        query = query.where(Product.merchant_id == merchant_id)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    products = session.scalars(
        query.options(selectinload(Product.variants))
        .order_by(Product.position, Product.id)
        .limit(limit)
        .offset(offset)
    ).all()
    return {"items": [product_summary(p) for p in products], "total": total, "limit": limit, "offset": offset}


@router.get("/products/{product_id}")
def get_product(product_id: str, session: SessionDep, shopper_id: OptionalShopperDep) -> dict:
    """One product with its content (en + zh) and every variant."""
    product = _product(session, product_id)
    record_view(session, shopper_id, product.id)
    return product_detail(product)


@router.get("/products/{product_id}/variants")
def list_variants(product_id: str, session: SessionDep) -> list[dict]:
    return [variant_view(variant) for variant in _product(session, product_id).variants]


@router.get("/variants/{variant_id}")
def get_variant(variant_id: str, session: SessionDep) -> dict:
    variant = session.get(Variant, variant_id)
    if variant is None:
        raise NotFound(f"no variant (item) {variant_id!r}", code="variant_not_found")
    return variant_view(variant) | {"product_name": variant.product.name}
