"""Coupons: the store's currently valid coupons, and the caller's wallet."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query

from shopcopilot.api.deps import SessionDep, ShopperDep
from shopcopilot.api.schemas import ERROR_RESPONSES
from shopcopilot.commerce import coupons

router = APIRouter(prefix="/v1", tags=["coupons"], responses=ERROR_RESPONSES)

At = Annotated[datetime | None, Query(description="the moment to check validity at (default: now, UTC)")]


def _moment(at: datetime | None) -> datetime:
    # Coupon dates are stored naive (UTC); compare like with like.
    if at is None:
        return datetime.now(UTC).replace(tzinfo=None)
    return at.astimezone(UTC).replace(tzinfo=None) if at.tzinfo else at


@router.get("/coupons")
def list_valid_coupons(
    session: SessionDep, at: At = None, merchant_id: Annotated[str | None, Query(max_length=64)] = None
) -> list[dict]:
    """Coupons valid now: platform-wide and store coupons (only one store's plus platform ones with merchant_id)."""
    return [
        coupons.coupon_view(c) for c in coupons.valid_coupons(session, _moment(at), merchant_id=merchant_id)
    ]


@router.get("/me/coupons")
def my_coupons(shopper_id: ShopperDep, session: SessionDep, at: At = None) -> list[dict]:
    """The caller's wallet, each coupon with `used` and `valid_now`."""
    return coupons.wallet(session, shopper_id, now=_moment(at))
