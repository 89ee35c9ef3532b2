"""How records look in API answers: plain dicts built from the models (orders and shoppers in the retail store's
shapes, from `catalog.retail_io`)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from shopcopilot.catalog.models import Merchant, Product, ProductContent, Variant
from shopcopilot.catalog.retail_io import order_record, shopper_order_ids, user_record
from shopcopilot.commerce.models import Order, Shopper


def variant_view(variant: Variant) -> dict:
    return {
        "variant_id": variant.id,
        "product_id": variant.product_id,
        "options": dict(variant.options or {}),
        "price": variant.price,
        "available": bool(variant.available),
        "stock": variant.stock,
        "unit_quantity": variant.unit_quantity,
    }


def product_summary(product: Product) -> dict:
    prices = [variant.price for variant in product.variants]
    return {
        "product_id": product.id,
        "name": product.name,
        "name_zh": product.name_zh,
        "merchant_id": product.merchant_id,
        "category_id": product.category_id,
        "price_min": min(prices) if prices else None,
        "price_max": max(prices) if prices else None,
        "variant_count": len(product.variants),
        "available": any(variant.available for variant in product.variants),
    }


def content_view(content: ProductContent | None) -> dict | None:
    if content is None:
        return None
    fields = (
        "description",
        "description_zh",
        "features",
        "features_zh",
        "suits",
        "suits_zh",
        "usage",
        "usage_zh",
    )
    return {name: getattr(content, name) for name in fields} | {
        "keywords": content.keywords,
        "images": content.images,
    }


def product_detail(product: Product) -> dict:
    return product_summary(product) | {
        "unit": product.unit,
        "consumable": product.consumable,
        "content": content_view(product.content),
        "variants": [variant_view(variant) for variant in product.variants],
    }


def merchant_view(merchant: Merchant) -> dict:
    return {
        "merchant_id": merchant.id,
        "name": merchant.name,
        "name_zh": merchant.name_zh,
        "theme": merchant.theme,
    }


def shopper_view(session: Session, shopper: Shopper) -> dict:
    """The retail store's user record (payment methods by id, order ids) plus the id and language."""
    record = user_record(shopper, shopper_order_ids(session, shopper.id))
    return {"user_id": shopper.id, **record, "language": shopper.language}


def order_view(order: Order) -> dict:
    """The retail store's order record: the shape the order operations and the tau-bench data use."""
    return order_record(order)
