"""Pydantic schemas at the HTTP edge only. Request bodies are strict (no "3" for 3) and forbid unknown fields."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StringConstraints

from shopcopilot.commerce.carts import MAX_LINE_QUANTITY

Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Text = Annotated[str, StringConstraints(max_length=200)]
Quantity = Annotated[StrictInt, Field(ge=1, le=MAX_LINE_QUANTITY, description=f"1 to {MAX_LINE_QUANTITY}")]
ItemIds = Annotated[
    list[Id], Field(min_length=1, max_length=50, description="variant (item) ids of order lines")
]


class RequestBody(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


# --- carts -----------------------------------------------------------------------------------------------------


class CartLineIn(RequestBody):
    variant_id: Id = Field(description="the variant (SKU, the retail store's item_id) to add")
    quantity: Quantity = 1


class CartQuantityIn(RequestBody):
    quantity: Quantity


class CartLineOut(BaseModel):
    variant_id: str
    product_id: str
    product_name: str
    options: dict[str, Any]
    unit_price: float
    quantity: int
    line_total: float
    available: bool
    merchant_id: str
    merchant_name: str
    category_id: str | None


class CartOut(BaseModel):
    shopper_id: str
    lines: list[CartLineOut]
    item_count: int
    subtotal: float


# --- order operations ------------------------------------------------------------------------------------------


class CancelIn(RequestBody):
    reason: Annotated[str, StringConstraints(min_length=1, max_length=64)] = Field(
        description="'no longer needed' or 'ordered by mistake'"
    )


class AddressIn(RequestBody):
    address1: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    address2: Text = ""
    city: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    state: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    country: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    zip: Annotated[str, StringConstraints(min_length=1, max_length=20)]


class ModifyItemsIn(RequestBody):
    item_ids: ItemIds
    new_item_ids: ItemIds
    payment_method_id: Id


class ModifyPaymentIn(RequestBody):
    payment_method_id: Id


class ReturnIn(RequestBody):
    item_ids: ItemIds
    payment_method_id: Id


class ExchangeIn(RequestBody):
    item_ids: ItemIds
    new_item_ids: ItemIds
    payment_method_id: Id


class OperationOut(BaseModel):
    operation: str
    dry_run: bool
    result: Any = Field(description="what the operation returned (for a dry run: what it would return)")
    changes: dict[str, dict[str, dict[str, Any]]] = Field(
        description="record -> field -> {before, after}: what this operation changes (or would change)"
    )


# --- errors ----------------------------------------------------------------------------------------------------


class ErrorDetail(BaseModel):
    code: str
    message: str
    details: list[dict[str, Any]] | None = None


class ErrorOut(BaseModel):
    error: ErrorDetail


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut} for status in (400, 401, 403, 404, 409, 413, 422)
}
