"""The caller's own shopper profile."""

from __future__ import annotations

from fastapi import APIRouter

from shopcopilot.api.deps import SessionDep, ShopperDep
from shopcopilot.api.schemas import ERROR_RESPONSES
from shopcopilot.api.views import shopper_view
from shopcopilot.commerce.models import Shopper

router = APIRouter(prefix="/v1", tags=["shoppers"], responses=ERROR_RESPONSES)


@router.get("/me")
def me(shopper_id: ShopperDep, session: SessionDep) -> dict:
    """Name, email, default address and payment methods (gift cards with their balance)."""
    shopper = session.get(Shopper, shopper_id)
    assert shopper is not None  # current_shopper checked it exists
    return shopper_view(session, shopper)
