"""Merchant backend operations as plain functions: each has a dry-run `preview` (what would change, as a diff), an
`apply` that makes the change and returns the undo payload, and an `undo` where the domain allows one.

Every row an operation reads or writes is checked to belong to the calling merchant; another store's variant,
product or coupon is reported as not found (404), so ids of other stores are not disclosed.
Rules come from the platform rules and the operations how-to pages (data/knowledge).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from shopcopilot.catalog.models import Category, Product, Variant
from shopcopilot.commerce.models import Coupon, Order, OrderItem, ShopperCoupon
from shopcopilot.errors import Conflict, InvalidInput, NotFound
from shopcopilot.merchant.category_mapper import packaged_categories, product_category

MAX_RAISE_PERCENT = 50.0  # pricing rules: a bigger raise within 7 days waits for platform review
MAX_COUPON_SAVING_SHARE = 0.5
MAX_COUPON_PERCENT = 30.0
MAX_COUPON_DAYS = 90
ORDER_STATUSES = ("pending", "processed", "delivered", "cancelled", "exchange requested", "return requested")


@dataclass
class Preview:
    operation: str
    arguments: dict
    summary: str
    diff: list[dict] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    read_only: bool = False
    result: Any = None

    def to_dict(self) -> dict:
        out = {
            "operation": self.operation,
            "arguments": self.arguments,
            "summary": self.summary,
            "diff": self.diff,
            "rejected": self.rejected,
            "warnings": self.warnings,
            "read_only": self.read_only,
        }
        if self.result is not None:
            out["result"] = self.result
        return out


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


# -- finding the merchant's rows ---------------------------------------------------------------------------------------
def _singular(word: str) -> str:
    word = word.lower().strip()
    for suffix, repl in (("ies", "y"), ("shes", "sh"), ("ches", "ch"), ("sses", "ss"), ("s", "")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            return word[: -len(suffix)] + repl
    return word


def _norm(text: str) -> str:
    return " ".join(_singular(w) for w in re.findall(r"[a-z0-9]+|[\u4e00-\u9fff]+", text.lower()))


def own_variant(session: Session, merchant_id: str, variant_id: str) -> Variant:
    variant = session.get(Variant, str(variant_id), options=[selectinload(Variant.product)])
    if variant is None or variant.product.merchant_id != merchant_id:
        raise NotFound(f"no variant {variant_id!r} in your store", code="variant_not_found")
    return variant


def own_product(session: Session, merchant_id: str, product_id: str) -> Product:
    product = session.get(Product, str(product_id))
    if product is None or product.merchant_id != merchant_id:
        raise NotFound(f"no product {product_id!r} in your store", code="product_not_found")
    return product


def find_category(session: Session, text: str) -> str | None:
    """A category id from an id or a (partial, en or zh) name."""
    wanted = _norm(text)
    rows = [(c.id, c.name, c.name_zh or "") for c in session.scalars(select(Category))]
    rows += [(c["id"], c["name"], c.get("name_zh", "")) for c in packaged_categories()]
    for category_id, name, name_zh in rows:
        if wanted in (_norm(category_id), _norm(name)) or (name_zh and text.strip() in name_zh):
            return category_id
    for category_id, name, _ in rows:
        words = set(_norm(name).split()) | set(_norm(category_id.replace("-", " ")).split())
        if wanted and set(wanted.split()) <= words:
            return category_id
    return None


def resolve_variants(session: Session, merchant_id: str, scope: dict) -> list[Variant]:
    """The merchant's variants a scope names: `variant_ids`, or `product` (id or name) and/or `category`, narrowed
    by `options` (e.g. {"size": "XL"})."""
    if not isinstance(scope, dict) or not scope:
        raise InvalidInput("say which products: a product name, a category or variant ids", code="no_scope")
    if scope.get("variant_ids"):
        return [own_variant(session, merchant_id, v) for v in scope["variant_ids"]]
    products = session.scalars(
        select(Product).where(Product.merchant_id == merchant_id).options(selectinload(Product.variants))
    ).all()
    chosen = list(products)
    if scope.get("product"):
        text = str(scope["product"])
        wanted = _norm(text)
        chosen = [
            p
            for p in chosen
            if p.id == text or _norm(p.name) == wanted or (p.name_zh and text.strip() == p.name_zh.strip())
        ] or [
            p
            for p in chosen
            if wanted and (wanted in _norm(p.name) or (p.name_zh and text.strip() in p.name_zh))
        ]
    if scope.get("category"):
        category_id = find_category(session, str(scope["category"]))
        chosen = [p for p in chosen if category_id and product_category(p) == category_id]
    variants = [v for p in chosen for v in p.variants]
    options = scope.get("options") or {}
    for key, value in options.items():
        variants = [v for v in variants if str((v.options or {}).get(key, "")).lower() == str(value).lower()]
    if not variants:
        raise NotFound(f"nothing in your store matches {scope}", code="no_match")
    return variants


def _variant_label(variant: Variant) -> str:
    options = ", ".join(f"{k}: {v}" for k, v in (variant.options or {}).items())
    return f"{variant.product.name} ({options})" if options else variant.product.name


# -- change prices ---------------------------------------------------------------------------------------------------
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
        new = round(variant.price * (1 + percent / 100), 2) if percent is not None else round(price, 2)  # type: ignore[arg-type]
        row = {
            "entity": "variant",
            "id": variant.id,
            "label": _variant_label(variant),
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
    preview = preview_change_prices(session, merchant_id, args)
    undo = {}
    for row in preview.diff:
        variant = own_variant(session, merchant_id, row["id"])
        undo[variant.id] = {"before": variant.price, "after": row["after"]}
        variant.price = row["after"]
    return {"variants": undo}


def undo_variant_field(field_name: str) -> Callable[[Session, str, dict], list[dict]]:
    def undo(session: Session, merchant_id: str, payload: dict) -> list[dict]:
        restored = []
        for variant_id, change in payload["variants"].items():
            variant = own_variant(session, merchant_id, variant_id)
            current = getattr(variant, field_name)
            if current != change["after"]:
                raise Conflict(
                    f"{_variant_label(variant)} changed since ({field_name} is now {current}); "
                    "nothing was undone: change it directly instead",
                    code="changed_since",
                )
            setattr(variant, field_name, change["before"])
            restored.append(
                {"id": variant_id, "field": field_name, "before": current, "after": change["before"]}
            )
        return restored

    return undo


# -- stock and availability ------------------------------------------------------------------------------------------
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
                    "label": _variant_label(v),
                    "field": "stock",
                    "before": v.stock,
                    "after": stock,
                }
            )
    return preview


def apply_set_stock(session: Session, merchant_id: str, args: dict) -> dict:
    undo = {}
    for row in preview_set_stock(session, merchant_id, args).diff:
        variant = own_variant(session, merchant_id, row["id"])
        undo[variant.id] = {"before": variant.stock, "after": row["after"]}
        variant.stock = row["after"]
    return {"variants": undo}


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
                    "label": _variant_label(v),
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
    undo = {}
    for row in preview_set_availability(session, merchant_id, args).diff:
        variant = own_variant(session, merchant_id, row["id"])
        undo[variant.id] = {"before": variant.available, "after": row["after"]}
        variant.available = row["after"]
    return {"variants": undo}


# -- product title ---------------------------------------------------------------------------------------------------
def preview_edit_title(session: Session, merchant_id: str, args: dict) -> Preview:
    product = own_product(session, merchant_id, str(args.get("product_id") or ""))
    preview = Preview("edit_title", args, f"rename product {product.id}")
    for field_name in ("name", "name_zh"):
        if field_name in args and args[field_name] is not None:
            value = str(args[field_name]).strip()
            if not 1 <= len(value) <= 300:
                raise InvalidInput("a title must have 1 to 300 characters", code="bad_title")
            if value != getattr(product, field_name):
                preview.diff.append(
                    {
                        "entity": "product",
                        "id": product.id,
                        "field": field_name,
                        "before": getattr(product, field_name),
                        "after": value,
                    }
                )
    if not preview.diff:
        raise InvalidInput("give a new name (or name_zh) that differs from the current one", code="bad_title")
    return preview


def apply_edit_title(session: Session, merchant_id: str, args: dict) -> dict:
    product = own_product(session, merchant_id, str(args["product_id"]))
    changes = {}
    for row in preview_edit_title(session, merchant_id, args).diff:
        changes[row["field"]] = {"before": row["before"], "after": row["after"]}
        setattr(product, row["field"], row["after"])
    return {"product_id": product.id, "fields": changes}


def undo_edit_title(session: Session, merchant_id: str, payload: dict) -> list[dict]:
    product = own_product(session, merchant_id, payload["product_id"])
    restored = []
    for field_name, change in payload["fields"].items():
        if getattr(product, field_name) != change["after"]:
            raise Conflict(
                f"the product's {field_name} changed since; nothing was undone", code="changed_since"
            )
        setattr(product, field_name, change["before"])
        restored.append({"id": product.id, "field": field_name, "after": change["before"]})
    return restored


# -- coupons ---------------------------------------------------------------------------------------------------------
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


# -- orders (read only) ----------------------------------------------------------------------------------------------
def preview_list_orders(session: Session, merchant_id: str, args: dict) -> Preview:
    status = args.get("status")
    if status is not None and status not in ORDER_STATUSES:
        raise InvalidInput(f"status must be one of {', '.join(ORDER_STATUSES)}", code="bad_status")
    limit = min(int(args.get("limit") or 20), 100)
    own = select(Product.id).where(Product.merchant_id == merchant_id)
    query = select(Order).where(Order.id.in_(select(OrderItem.order_id).where(OrderItem.product_id.in_(own))))
    if status:
        query = query.where(Order.status == status)
    orders = session.scalars(query.options(selectinload(Order.items)).order_by(Order.id)).all()
    own_ids = set(session.scalars(own))
    rows = [
        {
            "order_id": order.id,
            "status": order.status,
            "items": [
                {
                    "name": item.name,
                    "variant_id": item.variant_id,
                    "options": item.options,
                    "price": item.price,
                }
                for item in order.items
                if item.product_id in own_ids
            ],
        }
        for order in orders[:limit]
    ]
    what = f"'{status}'" if status else "any status"
    return Preview(
        "list_orders",
        args,
        f"{len(orders)} order(s) with {what} contain your products"
        + (f"; showing {limit}" if len(orders) > limit else ""),
        read_only=True,
        result={"total": len(orders), "orders": rows},
    )


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
