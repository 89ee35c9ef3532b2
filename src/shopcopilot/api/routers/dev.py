"""Demo login for the web app: list a few demo shoppers and merchants, and mint a token for one of them.

Only when `SHOPCOPILOT_DEMO_LOGIN=1` (set by `make run` and the browser tests). Anyone who can reach the server
can then act as any shopper, so this is a development convenience and is 404 everywhere else.
"""

from __future__ import annotations

import os
from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shopcopilot.api.auth import mint_token
from shopcopilot.api.deps import SessionDep
from shopcopilot.api.schemas import ERROR_RESPONSES
from shopcopilot.catalog.models import Merchant, Product
from shopcopilot.commerce.models import Order, Shopper
from shopcopilot.errors import NotFound

router = APIRouter(prefix="/v1/dev", tags=["dev"], responses=ERROR_RESPONSES)

DEMO_SHOPPERS = 4
DEMO_TOKEN_TTL = 12 * 3600


def demo_login_enabled() -> bool:
    return os.environ.get("SHOPCOPILOT_DEMO_LOGIN", "") == "1"


def _require_enabled() -> None:
    if not demo_login_enabled():
        raise NotFound("demo login is off (start the server with SHOPCOPILOT_DEMO_LOGIN=1)", code="not_found")


class LoginIn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    kind: Literal["shopper", "merchant"]
    id: str = Field(min_length=1, max_length=64)


def _order_statuses(session: Session, shopper_id: str) -> dict[str, int]:
    rows = session.execute(
        select(Order.status, func.count()).where(Order.shopper_id == shopper_id).group_by(Order.status)
    )
    return {status: count for status, count in rows}


def demo_shoppers(session: Session, limit: int = DEMO_SHOPPERS) -> list[dict]:
    """Shoppers who have both a pending and a delivered order, so every order page has something to show."""
    pending = select(Order.shopper_id).where(Order.status == "pending")
    delivered = select(Order.shopper_id).where(Order.status == "delivered")
    shoppers = session.scalars(
        select(Shopper)
        .where(Shopper.id.in_(pending), Shopper.id.in_(delivered))
        .order_by(Shopper.id)
        .limit(limit)
    ).all()
    return [
        {
            "kind": "shopper",
            "id": shopper.id,
            "name": f"{shopper.first_name} {shopper.last_name}".strip(),
            "orders": _order_statuses(session, shopper.id),
        }
        for shopper in shoppers
    ]


def demo_merchants(session: Session) -> list[dict]:
    counts = dict(session.execute(select(Product.merchant_id, func.count()).group_by(Product.merchant_id)).all())
    return [
        {"kind": "merchant", "id": m.id, "name": m.name, "name_zh": m.name_zh, "products": counts.get(m.id, 0)}
        for m in session.scalars(select(Merchant).order_by(Merchant.id))
    ]


@router.get("/accounts", summary="Demo shoppers and merchants to sign in as (demo login only)")
def accounts(session: SessionDep) -> dict:
    _require_enabled()
    return {"shoppers": demo_shoppers(session), "merchants": demo_merchants(session)}


@router.post("/login", summary="A bearer token for a demo shopper or merchant (demo login only)")
def login(body: LoginIn, session: SessionDep) -> dict:
    _require_enabled()
    table = Shopper if body.kind == "shopper" else Merchant
    if session.get(table, body.id) is None:
        raise NotFound(f"no {body.kind} {body.id!r} in this store", code=f"{body.kind}_not_found")
    token = mint_token(body.kind, body.id, ttl_seconds=DEMO_TOKEN_TTL)
    return {"kind": body.kind, "id": body.id, "token": token, "expires_in": DEMO_TOKEN_TTL}
