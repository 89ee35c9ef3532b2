"""The caller's own cart. Changes accept an `Idempotency-Key` header so a retried request applies once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from shopcopilot.api.deps import DatabaseDep, SessionDep, ShopperDep
from shopcopilot.api.idempotency import MAX_KEY_LENGTH, request_fingerprint, run_idempotent
from shopcopilot.api.schemas import ERROR_RESPONSES, CartLineIn, CartOut, CartQuantityIn
from shopcopilot.commerce import carts

router = APIRouter(prefix="/v1/cart", tags=["cart"], responses=ERROR_RESPONSES)

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=MAX_KEY_LENGTH,
        description="any unique string per intended change; a retry with the same key and body replays the answer",
    ),
]


def idempotent_response(
    request: Request,
    database: DatabaseDep,
    shopper_id: str,
    key: str | None,
    payload: Any,
    action: Callable[[Session], tuple[int, dict]],
) -> JSONResponse:
    """Run a change once per Idempotency-Key and answer with its (possibly replayed) response."""
    fingerprint = request_fingerprint(request.method, request.url.path, payload)
    stored = run_idempotent(database, f"shopper:{shopper_id}", key, fingerprint, action)
    headers = {"Idempotent-Replayed": "true"} if stored.replayed else None
    return JSONResponse(status_code=stored.status_code, content=stored.body, headers=headers)


@router.get("", response_model=CartOut)
def get_cart(shopper_id: ShopperDep, session: SessionDep) -> dict:
    return carts.cart_view(session, shopper_id)


@router.post("/lines", response_model=CartOut)
def add_line(
    body: CartLineIn,
    request: Request,
    database: DatabaseDep,
    shopper_id: ShopperDep,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Add units of a variant; an existing line for it grows."""

    def action(session: Session) -> tuple[int, dict]:
        carts.add_line(session, shopper_id, body.variant_id, body.quantity)
        return 200, carts.cart_view(session, shopper_id)

    return idempotent_response(request, database, shopper_id, idempotency_key, body.model_dump(), action)


@router.patch("/lines/{variant_id}", response_model=CartOut)
def update_line(
    variant_id: str,
    body: CartQuantityIn,
    request: Request,
    database: DatabaseDep,
    shopper_id: ShopperDep,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Set the quantity of a line already in the cart."""

    def action(session: Session) -> tuple[int, dict]:
        carts.update_line(session, shopper_id, variant_id, body.quantity)
        return 200, carts.cart_view(session, shopper_id)

    return idempotent_response(request, database, shopper_id, idempotency_key, body.model_dump(), action)


@router.delete("/lines/{variant_id}", response_model=CartOut)
def remove_line(
    variant_id: str,
    request: Request,
    database: DatabaseDep,
    shopper_id: ShopperDep,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    def action(session: Session) -> tuple[int, dict]:
        carts.remove_line(session, shopper_id, variant_id)
        return 200, carts.cart_view(session, shopper_id)

    return idempotent_response(request, database, shopper_id, idempotency_key, None, action)


@router.delete("", response_model=CartOut)
def clear_cart(
    request: Request, database: DatabaseDep, shopper_id: ShopperDep, idempotency_key: IdempotencyKey = None
) -> JSONResponse:
    """Empty the cart."""

    def action(session: Session) -> tuple[int, dict]:
        carts.clear_cart(session, shopper_id)
        return 200, carts.cart_view(session, shopper_id)

    return idempotent_response(request, database, shopper_id, idempotency_key, None, action)
