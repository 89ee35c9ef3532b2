"""Operations on a product itself: rename it (English and/or Chinese title), with undo."""

from __future__ import annotations

from sqlalchemy.orm import Session

from shopcopilot.errors import Conflict, InvalidInput
from shopcopilot.merchant.previews import Preview
from shopcopilot.merchant.scope import own_product


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
