"""A small store built with the real models: two merchants, a few products and variants, two shoppers with orders
and coupons. For tests that need precise, hand-checkable rows (the full retail store is the `retail_db` fixture)."""

from __future__ import annotations

from datetime import datetime

from shopcopilot.catalog.models import Category, Merchant, Product, Variant
from shopcopilot.commerce.models import (
    Coupon,
    Order,
    OrderItem,
    Payment,
    PaymentMethod,
    Shopper,
    ShopperCoupon,
)
from shopcopilot.storage.db import Database

ADDRESS = {
    "address1": "1 Main St",
    "address2": "",
    "city": "Austin",
    "country": "USA",
    "state": "TX",
    "zip": "78701",
}


def build_mini_store(database: Database) -> None:
    with database.session() as s:
        s.add_all([Merchant(id="m1", name="Gadget Shop"), Merchant(id="m2", name="Snack Shop")])
        s.add_all(
            [
                Category(id="electronics", name="Electronics"),
                Category(id="audio", name="Audio", parent_id="electronics"),
                Category(id="snacks", name="Snacks"),
            ]
        )
        s.flush()
        s.add_all(
            [
                Product(id="p1", merchant_id="m1", category_id="audio", name="Headphones", position=1),
                Product(id="p2", merchant_id="m2", category_id="snacks", name="Cookies", position=2),
                Product(id="p3", merchant_id="m1", category_id="electronics", name="Charger", position=3),
            ]
        )
        s.flush()
        s.add_all(
            [
                Variant(
                    id="v1",
                    product_id="p1",
                    options={"color": "black"},
                    price=100.0,
                    available=True,
                    position=0,
                ),
                Variant(
                    id="v2",
                    product_id="p1",
                    options={"color": "white"},
                    price=110.0,
                    available=False,
                    position=1,
                ),
                Variant(
                    id="v3", product_id="p2", options={"flavour": "choc"}, price=4.5, available=True, stock=5
                ),
                Variant(id="v4", product_id="p3", options={"watts": "65"}, price=30.0, available=True),
                Variant(
                    id="v5",
                    product_id="p1",
                    options={"color": "blue"},
                    price=95.0,
                    available=True,
                    position=2,
                ),
            ]
        )
        for user, first in (("alice_1", "Alice"), ("bob_2", "Bob")):
            s.add(
                Shopper(
                    id=user,
                    first_name=first,
                    last_name="Test",
                    email=f"{user}@example.com",
                    address=dict(ADDRESS),
                    payment_methods=[
                        PaymentMethod(
                            id=f"credit_card_{user}", source="credit_card", details={"last_four": "1234"}
                        ),
                        PaymentMethod(id=f"gift_card_{user}", source="gift_card", balance=500.0, position=1),
                    ],
                )
            )
        s.flush()
        s.add_all(
            [
                _order(
                    "#W1000001", "alice_1", "pending", [("Headphones", "p1", "v1", 100.0, {"color": "black"})]
                ),
                _order("#W1000002", "alice_1", "delivered", [("Charger", "p3", "v4", 30.0, {"watts": "65"})]),
                _order("#W2000001", "bob_2", "pending", [("Cookies", "p2", "v3", 4.5, {"flavour": "choc"})]),
            ]
        )
        s.add_all(
            [
                Coupon(
                    id="ALL-50-10",
                    kind="spend_save",
                    threshold=50,
                    amount=10,
                    valid_from=datetime(2020, 1, 1),
                    valid_to=datetime(2099, 1, 1),
                    title="Spend 50 save 10",
                ),  # fmt: skip
                Coupon(
                    id="M1-AUDIO-10PCT",
                    merchant_id="m1",
                    category_id="electronics",
                    kind="percent",
                    percent=10,
                    threshold=0,
                    valid_from=datetime(2020, 1, 1),
                    valid_to=datetime(2099, 1, 1),
                ),  # fmt: skip
                Coupon(
                    id="OLD-5",
                    kind="spend_save",
                    amount=5,
                    valid_from=datetime(2020, 1, 1),
                    valid_to=datetime(2020, 12, 31),
                ),  # fmt: skip
            ]
        )
        s.flush()
        s.add_all(
            [
                ShopperCoupon(shopper_id="alice_1", coupon_id="ALL-50-10"),
                ShopperCoupon(shopper_id="alice_1", coupon_id="OLD-5", used=True),
                ShopperCoupon(shopper_id="bob_2", coupon_id="M1-AUDIO-10PCT"),
            ]
        )


def _order(order_id: str, user: str, status: str, items: list[tuple]) -> Order:
    total = sum(item[3] for item in items)
    return Order(
        id=order_id,
        shopper_id=user,
        address=dict(ADDRESS),
        status=status,
        fulfillments=[]
        if status == "pending"
        else [{"tracking_id": ["1"], "item_ids": [i[2] for i in items]}],
        items=[
            OrderItem(position=n, name=name, product_id=pid, variant_id=vid, price=price, options=options)
            for n, (name, pid, vid, price, options) in enumerate(items)
        ],
        payments=[Payment(transaction_type="payment", amount=total, payment_method_id=f"credit_card_{user}")],
    )
