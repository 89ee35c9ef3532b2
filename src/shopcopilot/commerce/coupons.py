"""Coupon reads and the discount one coupon gives on a set of cart lines.

Coupon kinds (see `commerce.models.Coupon`):
- `spend_save`: spend at least `threshold` on the eligible lines, save `amount`.
- `percent`: `percent` is in percent (10 means 10 % off) of the eligible lines, once they reach `threshold`.
Eligible lines are those in the coupon's merchant (store coupons; platform coupons have no merchant) and category
(or a sub-category of it, when the category tree is given). The coupon gap-filler builds on `coupon_discount`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shopcopilot.catalog.models import Category
from shopcopilot.commerce.category_scope import in_category
from shopcopilot.commerce.models import Coupon, Shopper, ShopperCoupon
from shopcopilot.errors import NotFound

COUPON_KINDS = ("spend_save", "percent")


def coupon_view(coupon: Coupon) -> dict:
    return {
        "id": coupon.id,
        "kind": coupon.kind,
        "title": coupon.title,
        "title_zh": coupon.title_zh,
        "merchant_id": coupon.merchant_id,
        "category_id": coupon.category_id,
        "threshold": coupon.threshold,
        "amount": coupon.amount,
        "percent": coupon.percent,
        "stackable": coupon.stackable,
        "valid_from": coupon.valid_from.isoformat(),
        "valid_to": coupon.valid_to.isoformat(),
    }


def is_valid_at(coupon: Coupon, now: datetime) -> bool:
    return coupon.valid_from <= now <= coupon.valid_to


def valid_coupons(session: Session, now: datetime, *, merchant_id: str | None = None) -> list[Coupon]:
    """Coupons valid at `now`, platform-wide and store-scoped; only one store's (plus platform ones) if given."""
    query = select(Coupon).where(Coupon.valid_from <= now, Coupon.valid_to >= now)
    if merchant_id is not None:
        query = query.where((Coupon.merchant_id == merchant_id) | Coupon.merchant_id.is_(None))
    return list(session.scalars(query.order_by(Coupon.valid_to, Coupon.id)))


def wallet(session: Session, shopper_id: str, *, now: datetime | None = None) -> list[dict]:
    """The coupons in a shopper's wallet, each with `used` and `valid_now` (when `now` is given)."""
    if session.get(Shopper, shopper_id) is None:
        raise NotFound(f"no shopper {shopper_id!r}", code="shopper_not_found")
    rows = session.execute(
        select(ShopperCoupon, Coupon)
        .join(Coupon, ShopperCoupon.coupon_id == Coupon.id)
        .where(ShopperCoupon.shopper_id == shopper_id)
        .order_by(Coupon.valid_to, Coupon.id)
    ).all()
    entries = []
    for held, coupon in rows:
        entry = coupon_view(coupon) | {"used": held.used}
        if now is not None:
            entry["valid_now"] = is_valid_at(coupon, now)
        entries.append(entry)
    return entries


def category_parents(session: Session) -> dict[str, str | None]:
    """The category tree as child -> parent, for `coupon_discount(..., parents=...)`."""
    return {child: parent for child, parent in session.execute(select(Category.id, Category.parent_id))}


def _line_total(line: Mapping[str, Any]) -> float:
    if "line_total" in line:
        return float(line["line_total"])
    return float(line["unit_price"]) * int(line["quantity"])


def eligible_subtotal(
    coupon: Coupon, lines: Iterable[Mapping[str, Any]], *, parents: Mapping[str, str | None] | None = None
) -> float:
    total = 0.0
    for line in lines:
        if coupon.merchant_id is not None and line.get("merchant_id") != coupon.merchant_id:
            continue
        if coupon.category_id is not None and not in_category(
            line.get("category_id"), coupon.category_id, parents
        ):
            continue
        total += _line_total(line)
    return round(total, 2)


def coupon_discount(
    coupon: Coupon, lines: Iterable[Mapping[str, Any]], *, parents: Mapping[str, str | None] | None = None
) -> float:
    """The money one coupon takes off these lines (0.0 when the threshold is not met).

    `lines` are mappings with `merchant_id`, `category_id` and either `line_total` or `unit_price` and `quantity`
    (`carts.cart_view(...)["lines"]` fits). Validity dates are not checked here: use `valid_coupons`/`is_valid_at`.
    The discount never exceeds the eligible subtotal.
    """
    base = eligible_subtotal(coupon, lines, parents=parents)
    if base <= 0 or base < (coupon.threshold or 0.0):
        return 0.0
    if coupon.kind == "spend_save":
        discount = coupon.amount or 0.0
    elif coupon.kind == "percent":
        discount = base * (coupon.percent or 0.0) / 100.0
    else:
        return 0.0
    return round(max(0.0, min(discount, base)), 2)
