"""The retail store (tau-bench's retail domain) in and out of the database, in its own JSON shapes.

products.json -> Product + Variant, users.json -> Shopper + PaymentMethod, orders.json -> Order + OrderItem +
Payment. `export_retail` writes the same shapes back, so loading then exporting gives the input again; the
`*_record` functions give one record in that shape and are also what the order operations answer.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session, selectinload

from shopcopilot.catalog.models import Merchant, Product, Variant
from shopcopilot.commerce.models import Order, OrderItem, Payment, PaymentMethod, Shopper
from shopcopilot.errors import Conflict, InvalidInput

RETAIL_MERCHANT_ID = "retail"
RETAIL_FILES = ("products", "users", "orders")
ORDER_OPTIONAL_FIELDS = (
    "cancel_reason",
    "return_items",
    "return_payment_method_id",
    "exchange_items",
    "exchange_new_items",
    "exchange_payment_method_id",
    "exchange_price_difference",
)
_PAYMENT_METHOD_COLUMNS = ("source", "balance", "id")


def variant_stock(item_id: str, available: bool) -> int:
    """The source has no stock levels: an unavailable item has none, an available one 5..60, fixed per item."""
    if not available:
        return 0
    return 5 + int.from_bytes(hashlib.sha256(item_id.encode()).digest()[:4], "big") % 56


def read_retail_dir(directory: Path) -> dict[str, dict]:
    missing = [f"{name}.json" for name in RETAIL_FILES if not (directory / f"{name}.json").is_file()]
    if missing:
        raise InvalidInput(f"{directory} is not a retail store folder: {', '.join(missing)} missing")
    return {name: json.loads((directory / f"{name}.json").read_text()) for name in RETAIL_FILES}


def load_retail(
    session: Session, directory: Path, *, merchant_id: str = RETAIL_MERCHANT_ID
) -> dict[str, int]:
    """Import products.json, users.json and orders.json from `directory`; returns the number of rows per kind."""
    return load_retail_data(session, read_retail_dir(Path(directory)), merchant_id=merchant_id)


def load_retail_data(
    session: Session, data: dict[str, dict], *, merchant_id: str = RETAIL_MERCHANT_ID
) -> dict[str, int]:
    """Import the store from its three JSON documents (as `export_retail` returns them), with bulk inserts."""
    products, users, orders = data["products"], data["users"], data["orders"]
    positions = _order_positions(users, orders)
    _refuse_reload(session, products, users, orders)
    if session.get(Merchant, merchant_id) is None:
        session.add(Merchant(id=merchant_id, name="Retail store"))
        session.flush()

    rows: dict[type, list[dict[str, Any]]] = defaultdict(list)
    for position, product in enumerate(products.values()):
        rows[Product].append(
            {
                "id": product["product_id"],
                "merchant_id": merchant_id,
                "name": product["name"],
                "position": position,
            }
        )
        for index, variant in enumerate(product["variants"].values()):
            rows[Variant].append(
                {
                    "id": variant["item_id"],
                    "product_id": product["product_id"],
                    "position": index,
                    "options": variant["options"],
                    "price": variant["price"],
                    "available": variant["available"],
                    "stock": variant_stock(variant["item_id"], variant["available"]),
                }
            )
    for user_id, user in users.items():
        rows[Shopper].append(
            {
                "id": user_id,
                "first_name": user["name"]["first_name"],
                "last_name": user["name"]["last_name"],
                "email": user["email"],
                "address": user["address"],
            }
        )
        for index, method in enumerate(user["payment_methods"].values()):
            rows[PaymentMethod].append(
                {
                    "id": method["id"],
                    "shopper_id": user_id,
                    "position": index,
                    "source": method["source"],
                    "balance": method.get("balance"),
                    "details": {k: v for k, v in method.items() if k not in _PAYMENT_METHOD_COLUMNS},
                }
            )
    for order_id, order in orders.items():
        rows[Order].append(
            {
                "id": order_id,
                "shopper_id": order["user_id"],
                "position": positions[order_id],
                "address": order["address"],
                "status": order["status"],
                "fulfillments": order["fulfillments"],
                **{field: order.get(field) for field in ORDER_OPTIONAL_FIELDS},
            }
        )
        for index, item in enumerate(order["items"]):
            rows[OrderItem].append(
                {
                    "order_id": order_id,
                    "position": index,
                    "name": item["name"],
                    "product_id": item["product_id"],
                    "variant_id": item["item_id"],
                    "price": item["price"],
                    "options": item["options"],
                }
            )
        for index, payment in enumerate(order["payment_history"]):
            rows[Payment].append(
                {
                    "order_id": order_id,
                    "position": index,
                    "transaction_type": payment["transaction_type"],
                    "amount": payment["amount"],
                    "payment_method_id": payment["payment_method_id"],
                }
            )
    # Parents before children, for the foreign keys.
    for model in (Product, Variant, Shopper, PaymentMethod, Order, OrderItem, Payment):
        if rows[model]:
            session.execute(insert(model), rows[model])
    return {model.__tablename__: len(rows[model]) for model in rows}


def _order_positions(users: dict[str, dict], orders: dict[str, dict]) -> dict[str, int]:
    """Each order's place in its user's `orders` list; the lists and the orders must agree."""
    positions: dict[str, int] = {}
    for user_id, user in users.items():
        for index, order_id in enumerate(user["orders"]):
            order = orders.get(order_id)
            if order is None or order["user_id"] != user_id or order_id in positions:
                raise InvalidInput(
                    f"user {user_id} lists order {order_id}, which is missing, another's or repeated"
                )
            positions[order_id] = index
    unlisted = [order_id for order_id in orders if order_id not in positions]
    if unlisted:
        raise InvalidInput(f"orders not in their user's order list: {', '.join(unlisted[:5])}")
    return positions


def _refuse_reload(session: Session, products: dict, users: dict, orders: dict) -> None:
    for model, ids in ((Product, products), (Shopper, users), (Order, orders)):
        if ids and session.scalar(select(func.count()).select_from(model).where(model.id.in_(list(ids)))):
            raise Conflict(
                f"this database already holds some of these {model.__tablename__}; load the store into a fresh database"
            )


def product_record(product: Product) -> dict[str, Any]:
    return {
        "name": product.name,
        "product_id": product.id,
        "variants": {
            variant.id: {
                "item_id": variant.id,
                "options": dict(variant.options),
                "available": variant.available,
                "price": variant.price,
            }
            for variant in product.variants
        },
    }


def payment_method_record(method: PaymentMethod) -> dict[str, Any]:
    record: dict[str, Any] = {"source": method.source, **method.details}
    if method.balance is not None:
        # The source writes whole-number balances as integers.
        record["balance"] = int(method.balance) if float(method.balance).is_integer() else method.balance
    record["id"] = method.id
    return record


def user_record(shopper: Shopper, order_ids: list[str]) -> dict[str, Any]:
    """`order_ids`: the shopper's orders by position (see `shopper_order_ids`)."""
    return {
        "name": {"first_name": shopper.first_name, "last_name": shopper.last_name},
        "address": dict(shopper.address),
        "email": shopper.email,
        "payment_methods": {method.id: payment_method_record(method) for method in shopper.payment_methods},
        "orders": list(order_ids),
    }


def shopper_order_ids(session: Session, shopper_id: str) -> list[str]:
    return list(
        session.scalars(
            select(Order.id).where(Order.shopper_id == shopper_id).order_by(Order.position, Order.id)
        )
    )


def order_record(order: Order) -> dict[str, Any]:
    record: dict[str, Any] = {
        "order_id": order.id,
        "user_id": order.shopper_id,
        "address": dict(order.address),
        "items": [
            {
                "name": item.name,
                "product_id": item.product_id,
                "item_id": item.variant_id,
                "price": item.price,
                "options": dict(item.options),
            }
            for item in order.items
        ],
        "fulfillments": copy.deepcopy(order.fulfillments),
        "status": order.status,
        "payment_history": [
            {
                "transaction_type": payment.transaction_type,
                "amount": payment.amount,
                "payment_method_id": payment.payment_method_id,
            }
            for payment in order.payments
        ],
    }
    for field in ORDER_OPTIONAL_FIELDS:
        value = getattr(order, field)
        if value is not None:
            record[field] = copy.deepcopy(value)
    return record


def export_retail(session: Session, *, merchant_id: str = RETAIL_MERCHANT_ID) -> dict[str, dict]:
    """The store as {"products", "users", "orders"}, each a dict keyed by id in the source's record shape.
    Products are the merchant's; shoppers and orders are all of them."""
    products = session.scalars(
        select(Product)
        .where(Product.merchant_id == merchant_id)
        .order_by(Product.position, Product.id)
        .options(selectinload(Product.variants))
    )
    order_ids: dict[str, list[str]] = defaultdict(list)
    for shopper_id, order_id in session.execute(
        select(Order.shopper_id, Order.id).order_by(Order.shopper_id, Order.position, Order.id)
    ):
        order_ids[shopper_id].append(order_id)
    shoppers = session.scalars(
        select(Shopper).order_by(Shopper.id).options(selectinload(Shopper.payment_methods))
    )
    orders = session.scalars(
        select(Order).order_by(Order.id).options(selectinload(Order.items), selectinload(Order.payments))
    )
    return {
        "products": {product.id: product_record(product) for product in products},
        "users": {shopper.id: user_record(shopper, order_ids[shopper.id]) for shopper in shoppers},
        "orders": {order.id: order_record(order) for order in orders},
    }


def export_retail_to_dir(
    session: Session, directory: Path, *, merchant_id: str = RETAIL_MERCHANT_ID
) -> dict[str, int]:
    """Write products.json, users.json and orders.json into `directory`; returns the number of records per file."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    data = export_retail(session, merchant_id=merchant_id)
    for name in RETAIL_FILES:
        (directory / f"{name}.json").write_text(json.dumps(data[name], indent=4, ensure_ascii=False) + "\n")
    return {name: len(data[name]) for name in RETAIL_FILES}
