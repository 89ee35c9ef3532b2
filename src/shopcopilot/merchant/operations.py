"""Merchant backend operations as plain functions: each has a dry-run `preview` (what would change, as a diff), an
`apply` that makes the change and returns the undo payload, and an `undo` where the domain allows one.

This module is the registry the copilot and the audit trail use (`OPERATIONS`, `operation(name)`); the operations
themselves live by what they change: `variant_operations` (prices, stock, availability), `product_operations`
(titles), `coupon_operations`, `order_queries` (read only). `scope` finds the merchant's rows: every row an operation
reads or writes is checked to belong to the calling merchant; another store's variant, product or coupon is reported
as not found (404), so ids of other stores are not disclosed.
Rules come from the platform rules and the operations how-to pages (data/knowledge).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from shopcopilot.errors import InvalidInput
from shopcopilot.merchant.coupon_operations import (
    apply_create_coupon,
    preview_create_coupon,
    undo_create_coupon,
)
from shopcopilot.merchant.order_queries import preview_list_orders
from shopcopilot.merchant.previews import Preview
from shopcopilot.merchant.product_operations import apply_edit_title, preview_edit_title, undo_edit_title
from shopcopilot.merchant.variant_operations import (
    apply_change_prices,
    apply_set_availability,
    apply_set_stock,
    preview_change_prices,
    preview_set_availability,
    preview_set_stock,
    undo_variant_field,
)

__all__ = ["OPERATIONS", "OperationSpec", "Preview", "operation"]


@dataclass(frozen=True)
class OperationSpec:
    name: str
    description: str
    description_zh: str
    preview: Callable[[Session, str, dict], Preview]
    apply: Callable[[Session, str, dict], dict | None] | None = None
    undo: Callable[[Session, str, dict], list[dict]] | None = None

    @property
    def read_only(self) -> bool:
        return self.apply is None


OPERATIONS: dict[str, OperationSpec] = {
    spec.name: spec
    for spec in (
        OperationSpec(
            "change_prices",
            "change variant prices by a percent or to a fixed price",
            "按百分比或固定价格修改规格价格",
            preview_change_prices,
            apply_change_prices,
            undo_variant_field("price"),
        ),
        OperationSpec(
            "create_coupon",
            "create a spend-and-save or percentage store coupon",
            "创建满减券或折扣券",
            preview_create_coupon,
            apply_create_coupon,
            undo_create_coupon,
        ),
        OperationSpec(
            "set_stock",
            "set the stock count of variants",
            "设置规格库存",
            preview_set_stock,
            apply_set_stock,
            undo_variant_field("stock"),
        ),
        OperationSpec(
            "set_availability",
            "mark variants available or out of stock",
            "设置规格可售或缺货",
            preview_set_availability,
            apply_set_availability,
            undo_variant_field("available"),
        ),
        OperationSpec(
            "edit_title",
            "rename a product",
            "修改商品标题",
            preview_edit_title,
            apply_edit_title,
            undo_edit_title,
        ),
        OperationSpec(
            "list_orders", "list the store's orders by status", "按状态查看订单", preview_list_orders
        ),
    )
}


def operation(name: str) -> OperationSpec:
    spec = OPERATIONS.get(name)
    if spec is None:
        raise InvalidInput(
            f"unknown operation {name!r}; known: {', '.join(OPERATIONS)}", code="unknown_operation"
        )
    return spec
