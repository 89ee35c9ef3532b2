"""Store coupons: create a spend-and-save or percentage coupon within the coupon rules, and undo it (deleted when
nobody claimed it, ended early when someone did).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from shopcopilot.catalog.models import Category
from shopcopilot.commerce.models import Coupon, ShopperCoupon
from shopcopilot.errors import InvalidInput, NotFound
from shopcopilot.merchant.category_mapper import packaged_categories
from shopcopilot.merchant.previews import Preview
from shopcopilot.merchant.scope import find_category

MAX_COUPON_SAVING_SHARE = 0.5
MAX_COUPON_PERCENT = 30.0
MAX_COUPON_DAYS = 90


def _coupon_fields(session: Session, args: dict) -> dict:
    kind = args.get("kind", "spend_save")
    if kind not in ("spend_save", "percent"):
        raise InvalidInput("kind must be 'spend_save' or 'percent'", code="bad_coupon")
    try:
        threshold = float(args.get("threshold") or 0)
        amount = float(args.get("amount") or 0)
        percent = float(args.get("percent") or 0)
        days = int(args.get("days") or 30)
    except (TypeError, ValueError):
        raise InvalidInput("threshold, amount, percent and days must be numbers", code="bad_coupon") from None
    if kind == "spend_save":
        if threshold <= 0 or amount <= 0:
            raise InvalidInput(
                "a spend-and-save coupon needs a threshold and an amount above zero", code="bad_coupon"
            )
        if amount > threshold * MAX_COUPON_SAVING_SHARE:
            raise InvalidInput(
                "the saving may not exceed 50% of the threshold (coupon rules)", code="coupon_rule"
            )
    elif not 0 < percent <= MAX_COUPON_PERCENT:
        raise InvalidInput(
            "a percentage coupon must be above 0% and at most 30% off (coupon rules)", code="coupon_rule"
        )
    if not 1 <= days <= MAX_COUPON_DAYS:
        raise InvalidInput("a coupon is valid for 1 to 90 days (coupon rules)", code="coupon_rule")
    category_id = None
    if args.get("category"):
        category_id = find_category(session, str(args["category"]))
        if category_id is None:
            raise NotFound(f"no category {args['category']!r}", code="category_not_found")
        if session.get(Category, category_id) is None:
            spec = next(c for c in packaged_categories() if c["id"] == category_id)
            session.add(Category(id=category_id, name=spec["name"], name_zh=spec.get("name_zh")))
            session.flush()
    start = datetime.now().replace(microsecond=0)
    if kind == "spend_save":
        title = f"Spend {threshold:g} save {amount:g}"
        title_zh = f"满{threshold:g}减{amount:g}"
    else:
        title = f"{percent:g}% off" + (f" over {threshold:g}" if threshold else "")
        title_zh = (f"满{threshold:g}" if threshold else "") + f"享{(100 - percent) / 10:g}折"
    return {
        "kind": kind,
        "threshold": threshold,
        "amount": amount if kind == "spend_save" else 0.0,
        "percent": percent if kind == "percent" else 0.0,
        "category_id": category_id,
        "stackable": bool(args.get("stackable", False)),
        "valid_from": start.isoformat(),
        "valid_to": (start + timedelta(days=days)).isoformat(),
        "title": str(args.get("title") or title),
        "title_zh": title_zh,
    }


def preview_create_coupon(session: Session, merchant_id: str, args: dict) -> Preview:
    fields = _coupon_fields(session, args)
    scope = f" on {fields['category_id']}" if fields["category_id"] else ""
    return Preview(
        "create_coupon",
        args,
        f"create the coupon '{fields['title']}'{scope}, valid to {fields['valid_to'][:10]}",
        diff=[{"entity": "coupon", "id": None, "field": "*", "before": None, "after": fields}],
    )


def apply_create_coupon(session: Session, merchant_id: str, args: dict) -> dict:
    fields = _coupon_fields(session, args)
    coupon_id = f"c-{merchant_id}-{uuid.uuid4().hex[:8]}"
    session.add(
        Coupon(
            id=coupon_id,
            merchant_id=merchant_id,
            **{
                **fields,
                "valid_from": datetime.fromisoformat(fields["valid_from"]),
                "valid_to": datetime.fromisoformat(fields["valid_to"]),
            },
        )
    )
    session.flush()
    return {"coupon_id": coupon_id}


def undo_create_coupon(session: Session, merchant_id: str, payload: dict) -> list[dict]:
    """Deleted when nobody claimed it; otherwise ended now (coupon rules: claimed terms may only be ended early)."""
    coupon = session.get(Coupon, payload["coupon_id"])
    if coupon is None or coupon.merchant_id != merchant_id:
        raise NotFound(f"no coupon {payload['coupon_id']!r} in your store", code="coupon_not_found")
    claimed = session.scalar(select(ShopperCoupon.id).where(ShopperCoupon.coupon_id == coupon.id).limit(1))
    if claimed is None:
        session.delete(coupon)
        return [{"entity": "coupon", "id": payload["coupon_id"], "after": "deleted"}]
    coupon.valid_to = datetime.now().replace(microsecond=0)
    return [
        {
            "entity": "coupon",
            "id": coupon.id,
            "field": "valid_to",
            "after": coupon.valid_to.isoformat(),
            "note": "already claimed by shoppers, so it was ended early instead of deleted",
        }
    ]
