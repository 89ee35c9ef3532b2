"""Operations on the merchant's variants: change prices, set stock, mark available or out of stock. Each is a
preview (the diff), an apply that returns the undo payload, and one undo for all three (`undo_variant_field`).

Pricing rules (platform rules): a raise above 50% within 7 days waits for platform review, so the preview rejects it.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from shopcopilot.commerce.models import Order, OrderItem
from shopcopilot.errors import Conflict, InvalidInput
from shopcopilot.merchant.previews import Preview
from shopcopilot.merchant.scope import own_variant, resolve_variants, variant_label

MAX_RAISE_PERCENT = 50.0  # pricing rules: a bigger raise within 7 days waits for platform review


def _price_args(args: dict) -> tuple[dict, float | None, float | None]:
    scope = args.get("scope") or {}
    percent, price = args.get("percent"), args.get("price")
    if (percent is None) == (price is None):
        raise InvalidInput("give either a percent change or a new price", code="bad_price_change")
    try:
        percent = float(percent) if percent is not None else None
        price = float(price) if price is not None else None
    except (TypeError, ValueError):
        raise InvalidInput("percent and price must be numbers", code="bad_price_change") from None
    if percent is not None and not -90 <= percent <= 1000:
        raise InvalidInput("a percent change must be between -90 and 1000", code="bad_price_change")
    if price is not None and price <= 0:
        raise InvalidInput("a price must be above zero", code="bad_price_change")
    return scope, percent, price


def preview_change_prices(session: Session, merchant_id: str, args: dict) -> Preview:
    scope, percent, price = _price_args(args)
    preview = Preview("change_prices", args, "")
    for variant in resolve_variants(session, merchant_id, scope):
        new = round(variant.price * (1 + percent / 100), 2) if percent is not None else round(price, 2)  # type: ignore
        row = {
            "entity": "variant",
            "id": variant.id,
            "label": variant_label(variant),
            "field": "price",
            "before": variant.price,
            "after": new,
            "change_percent": round((new / variant.price - 1) * 100, 2) if variant.price else None,
        }
        if new <= 0:
            preview.rejected.append({**row, "reason": "the new price would be zero or less"})
        elif variant.price and (new / variant.price - 1) * 100 > MAX_RAISE_PERCENT:
            preview.rejected.append({**row, "reason": "a raise above 50% waits for platform review"})
        elif new != variant.price:
            preview.diff.append(row)
    how = f"{percent:+g}%" if percent is not None else f"to {price:.2f}"
    preview.summary = f"change the price of {len(preview.diff)} variant(s) {how}"
    if preview.rejected:
        preview.warnings.append(f"{len(preview.rejected)} variant(s) left unchanged: see rejected")
    return preview


def apply_change_prices(session: Session, merchant_id: str, args: dict) -> dict:
    return _apply_variant_field(session, merchant_id, preview_change_prices(session, merchant_id, args).diff, "price")


def _apply_variant_field(session: Session, merchant_id: str, diff: list[dict], field: str) -> dict:
    """Set `field` of each previewed variant to its "after" value; what it was is kept for the undo."""
    undo = {}
    for row in diff:
        variant = own_variant(session, merchant_id, row["id"])
        undo[variant.id] = {"before": getattr(variant, field), "after": row["after"]}
        setattr(variant, field, row["after"])
    return {"variants": undo}


def undo_variant_field(field_name: str) -> Callable[[Session, str, dict], list[dict]]:
    def undo(session: Session, merchant_id: str, payload: dict) -> list[dict]:
        restored = []
        for variant_id, change in payload["variants"].items():
            variant = own_variant(session, merchant_id, variant_id)
            current = getattr(variant, field_name)
            if current != change["after"]:
                raise Conflict(
                    f"{variant_label(variant)} changed since ({field_name} is now {current}); "
                    "nothing was undone: change it directly instead",
                    code="changed_since",
                )
            setattr(variant, field_name, change["before"])
            restored.append(
                {"id": variant_id, "field": field_name, "before": current, "after": change["before"]}
            )
        return restored

    return undo


def preview_set_stock(session: Session, merchant_id: str, args: dict) -> Preview:
    stock = args.get("stock")
    if isinstance(stock, bool) or not isinstance(stock, int) or stock < 0:
        raise InvalidInput("stock must be a whole number, zero or more", code="bad_stock")
    variants = resolve_variants(session, merchant_id, args.get("scope") or {})
    preview = Preview("set_stock", args, f"set the stock of {len(variants)} variant(s) to {stock}")
    for v in variants:
        if v.stock != stock:
            preview.diff.append(
                {
                    "entity": "variant",
                    "id": v.id,
                    "label": variant_label(v),
                    "field": "stock",
                    "before": v.stock,
                    "after": stock,
                }
            )
    return preview


def apply_set_stock(session: Session, merchant_id: str, args: dict) -> dict:
    return _apply_variant_field(session, merchant_id, preview_set_stock(session, merchant_id, args).diff, "stock")


def _pending_orders_with(session: Session, variant_ids: list[str]) -> list[str]:
    return sorted(
        set(
            session.scalars(
                select(Order.id)
                .join(OrderItem, OrderItem.order_id == Order.id)
                .where(OrderItem.variant_id.in_(variant_ids), Order.status == "pending")
            )
        )
    )


def preview_set_availability(session: Session, merchant_id: str, args: dict) -> Preview:
    available = args.get("available")
    if not isinstance(available, bool):
        raise InvalidInput("available must be true or false", code="bad_availability")
    variants = resolve_variants(session, merchant_id, args.get("scope") or {})
    state = "available" if available else "out of stock (unavailable)"
    preview = Preview("set_availability", args, f"mark {len(variants)} variant(s) {state}")
    for v in variants:
        if v.available != available:
            preview.diff.append(
                {
                    "entity": "variant",
                    "id": v.id,
                    "label": variant_label(v),
                    "field": "available",
                    "before": v.available,
                    "after": available,
                }
            )
    if not available:
        pending = _pending_orders_with(session, [row["id"] for row in preview.diff])
        if pending:
            preview.warnings.append(
                f"{len(pending)} pending order(s) contain these variants and are not cancelled automatically: "
                f"contact those shoppers within 24 hours ({', '.join(pending[:10])})"
            )
    return preview


def apply_set_availability(session: Session, merchant_id: str, args: dict) -> dict:
    return _apply_variant_field(session, merchant_id, preview_set_availability(session, merchant_id, args).diff, "available")
