"""The caller's orders: list, get, and the order operations (each with `?dry_run=true` for a preview).

Order ids may be given with or without the retail store's leading '#' (`/v1/orders/W2611340`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.orm import Session

from shopcopilot.api import order_actions
from shopcopilot.api.deps import DatabaseDep, SessionDep, ShopperDep
from shopcopilot.api.routers.carts import IdempotencyKey, idempotent_response
from shopcopilot.api.schemas import (
    ERROR_RESPONSES,
    AddressIn,
    CancelIn,
    ExchangeIn,
    ModifyItemsIn,
    ModifyPaymentIn,
    OperationOut,
    ReturnIn,
)
from shopcopilot.api.views import order_view

router = APIRouter(prefix="/v1", tags=["orders"], responses=ERROR_RESPONSES)

DryRun = Annotated[bool, Query(description="preview what would change without changing anything")]


@router.get("/orders")
def list_orders(
    shopper_id: ShopperDep,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    offset: Annotated[int, Query(ge=0, le=10**7)] = 0,
) -> dict:
    orders, total = order_actions.own_orders(session, shopper_id, limit=limit, offset=offset)
    return {
        "items": [order_view(order) for order in orders],
        "total": total,
        "limit": limit,
        "offset": offset,
    }


@router.get("/orders/{order_id}")
def get_order(order_id: str, shopper_id: ShopperDep, session: SessionDep) -> dict:
    return order_view(order_actions.own_order(session, shopper_id, order_id))


def _operate(
    request: Request,
    database: DatabaseDep,
    shopper_id: str,
    name: str,
    body: BaseModel,
    *,
    order_id: str | None,
    dry_run: bool,
    idempotency_key: str | None,
) -> JSONResponse:
    arguments = body.model_dump()
    if order_id is None:  # a shopper-level operation acts on the caller
        arguments = {"user_id": shopper_id, **arguments}
    if dry_run:
        return JSONResponse(order_actions.preview(database, shopper_id, name, arguments, order_id=order_id))

    def action(session: Session) -> tuple[int, dict]:
        return 200, order_actions.execute(session, shopper_id, name, arguments, order_id=order_id)

    return idempotent_response(request, database, shopper_id, idempotency_key, arguments, action)


@router.post("/orders/{order_id}/cancel", response_model=OperationOut)
def cancel_order(
    order_id: str,
    body: CancelIn,
    request: Request,
    database: DatabaseDep,
    shopper_id: ShopperDep,
    dry_run: DryRun = False,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Cancel a pending order; the refund goes back to the original payment methods."""
    return _operate(request, database, shopper_id, "cancel_pending_order", body, order_id=order_id,
                    dry_run=dry_run, idempotency_key=idempotency_key)  # fmt: skip


@router.post("/orders/{order_id}/modify-address", response_model=OperationOut)
def modify_order_address(
    order_id: str,
    body: AddressIn,
    request: Request,
    database: DatabaseDep,
    shopper_id: ShopperDep,
    dry_run: DryRun = False,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Change the shipping address of a pending order."""
    return _operate(request, database, shopper_id, "modify_pending_order_address", body, order_id=order_id,
                    dry_run=dry_run, idempotency_key=idempotency_key)  # fmt: skip


@router.post("/orders/{order_id}/modify-items", response_model=OperationOut)
def modify_order_items(
    order_id: str,
    body: ModifyItemsIn,
    request: Request,
    database: DatabaseDep,
    shopper_id: ShopperDep,
    dry_run: DryRun = False,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Swap items of a pending order for other variants of the same products (once per order)."""
    return _operate(request, database, shopper_id, "modify_pending_order_items", body, order_id=order_id,
                    dry_run=dry_run, idempotency_key=idempotency_key)  # fmt: skip


@router.post("/orders/{order_id}/modify-payment", response_model=OperationOut)
def modify_order_payment(
    order_id: str,
    body: ModifyPaymentIn,
    request: Request,
    database: DatabaseDep,
    shopper_id: ShopperDep,
    dry_run: DryRun = False,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Pay a pending order with another of the caller's payment methods."""
    return _operate(request, database, shopper_id, "modify_pending_order_payment", body, order_id=order_id,
                    dry_run=dry_run, idempotency_key=idempotency_key)  # fmt: skip


@router.post("/orders/{order_id}/return", response_model=OperationOut)
def return_items(
    order_id: str,
    body: ReturnIn,
    request: Request,
    database: DatabaseDep,
    shopper_id: ShopperDep,
    dry_run: DryRun = False,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Ask to return items of a delivered order, refunded to the given payment method."""
    return _operate(request, database, shopper_id, "return_delivered_order_items", body, order_id=order_id,
                    dry_run=dry_run, idempotency_key=idempotency_key)  # fmt: skip


@router.post("/orders/{order_id}/exchange", response_model=OperationOut)
def exchange_items(
    order_id: str,
    body: ExchangeIn,
    request: Request,
    database: DatabaseDep,
    shopper_id: ShopperDep,
    dry_run: DryRun = False,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Ask to exchange items of a delivered order for other variants of the same products."""
    return _operate(request, database, shopper_id, "exchange_delivered_order_items", body, order_id=order_id,
                    dry_run=dry_run, idempotency_key=idempotency_key)  # fmt: skip


@router.put("/me/address", response_model=OperationOut)
def change_default_address(
    body: AddressIn,
    request: Request,
    database: DatabaseDep,
    shopper_id: ShopperDep,
    dry_run: DryRun = False,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Change the caller's default address (orders already placed keep theirs)."""
    return _operate(request, database, shopper_id, "modify_user_address", body, order_id=None,
                    dry_run=dry_run, idempotency_key=idempotency_key)  # fmt: skip
