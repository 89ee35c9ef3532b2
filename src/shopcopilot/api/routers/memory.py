"""The shopper's assistant memory: list, add, edit and delete what the assistant remembers, and relearn it from
orders, cart and browsing."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from shopcopilot.agent import memory as store
from shopcopilot.agent.models import MemoryItem
from shopcopilot.api.deps import SessionDep, ShopperDep
from shopcopilot.api.schemas import ERROR_RESPONSES

router = APIRouter(prefix="/v1/memory", tags=["assistant"], responses=ERROR_RESPONSES)

Attribute = Literal["category", "product", "color", "material", "price_band", "size", "other"]
Polarity = Literal["like", "avoid"]


class MemoryIn(BaseModel):
    attribute: Attribute
    value: str = Field(min_length=1, max_length=200)
    polarity: Polarity = "like"
    note: str = Field(default="", max_length=1000)


class MemoryPatch(BaseModel):
    attribute: Attribute | None = None
    value: str | None = Field(default=None, min_length=1, max_length=200)
    polarity: Polarity | None = None
    note: str | None = Field(default=None, max_length=1000)


class MemoryOut(BaseModel):
    id: int
    attribute: str
    value: str
    polarity: str
    source: str
    weight: float
    note: str


def _out(item: MemoryItem) -> MemoryOut:
    return MemoryOut(
        id=item.id,
        attribute=item.attribute,
        value=item.value,
        polarity=item.polarity,
        source=item.source,
        weight=item.weight,
        note=item.note,
    )


@router.get("", response_model=list[MemoryOut])
def list_memory(shopper_id: ShopperDep, session: SessionDep) -> list[MemoryOut]:
    return [_out(item) for item in store.list_memory(session, shopper_id)]


@router.post("", response_model=MemoryOut, status_code=201)
def add_memory(body: MemoryIn, shopper_id: ShopperDep, session: SessionDep) -> MemoryOut:
    return _out(
        store.add_memory(
            session,
            shopper_id,
            attribute=body.attribute,
            value=body.value,
            polarity=body.polarity,
            note=body.note,
        )
    )


@router.patch("/{item_id}", response_model=MemoryOut)
def edit_memory(item_id: int, body: MemoryPatch, shopper_id: ShopperDep, session: SessionDep) -> MemoryOut:
    return _out(
        store.edit_memory(
            session,
            shopper_id,
            item_id,
            value=body.value,
            polarity=body.polarity,
            attribute=body.attribute,
            note=body.note,
        )
    )


@router.delete("/{item_id}", status_code=204)
def delete_memory(item_id: int, shopper_id: ShopperDep, session: SessionDep) -> Response:
    store.delete_memory(session, shopper_id, item_id)
    return Response(status_code=204)


@router.post("/refresh", response_model=list[MemoryOut])
def refresh_memory(shopper_id: ShopperDep, session: SessionDep) -> list[MemoryOut]:
    """Relearn preferences from orders, cart and browsing; explicit items stay as they are."""
    store.refresh_learned(session, shopper_id)
    return [_out(item) for item in store.list_memory(session, shopper_id)]
