"""Deterministic demo seeds: coupons in shoppers' wallets and browsing events, so personalisation has material.

Every value comes from `random.Random(<stable string>)`, so two loads of the demo store are identical.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from shopcopilot.catalog.models import Category, Merchant, Product
from shopcopilot.commerce.models import BrowsingEvent, Coupon, Order, OrderItem, Shopper, ShopperCoupon

SEED_EPOCH = datetime(2026, 11, 1, 9, 0, 0)
"""Browsing events are dated in the weeks before this instant."""

DEMO_COUPONS: list[dict] = [
    # Platform-wide, as on Double 11: spend 300, save 50, across stores.
    dict(id="PLATFORM-300-50", merchant_id=None, category_id=None, kind="spend_save", threshold=300.0,
         amount=50.0, stackable=False, title="Spend $300, save $50 (all stores)", title_zh="全平台满300减50"),
    dict(id="RETAIL-200-20", merchant_id="retail", category_id=None, kind="spend_save", threshold=200.0,
         amount=20.0, stackable=True, title="Spend $200, save $20 at the retail store", title_zh="本店满200减20"),
    dict(id="RETAIL-ELEC-10PCT", merchant_id="retail", category_id="electronics", kind="percent", threshold=100.0,
         percent=10.0, stackable=False, title="10% off electronics over $100", title_zh="数码电子满100打九折"),
    dict(id="EVERYDAY-99-15", merchant_id="everyday", category_id=None, kind="spend_save", threshold=99.0,
         amount=15.0, stackable=True, title="Spend $99, save $15 at Everyday Goods", title_zh="日用百货满99减15"),
    dict(id="EVERYDAY-SNACKS-30-5", merchant_id="everyday", category_id="snacks", kind="spend_save",
         threshold=30.0, amount=5.0, stackable=True, title="Snacks: spend $30, save $5", title_zh="零食满30减5"),
    dict(id="EXPIRED-SUMMER-100-30", merchant_id=None, category_id=None, kind="spend_save", threshold=100.0,
         amount=30.0, stackable=False, title="Summer sale (expired)", title_zh="夏日特惠(已过期)",
         valid_from=datetime(2026, 6, 1), valid_to=datetime(2026, 8, 31)),
]

DEFAULT_VALIDITY = (datetime(2026, 11, 1), datetime(2027, 12, 31))

SEARCH_QUERIES = [
    "wireless earbuds", "running shoes", "蓝色T恤", "office chair", "咖啡机", "yoga mat", "water bottle",
    "hiking boots waterproof", "gift for mom", "智能手表", "bluetooth speaker", "backpack for travel",
]


def seed_coupons(session: Session) -> int:
    """Create the demo coupons (those whose merchant/category exist) and put them in every shopper's wallet."""
    merchants = set(session.scalars(select(Merchant.id)))
    categories = set(session.scalars(select(Category.id)))
    existing = set(session.scalars(select(Coupon.id)))
    created: list[str] = []
    for spec in DEMO_COUPONS:
        spec = dict(spec)
        if spec["merchant_id"] is not None and spec["merchant_id"] not in merchants:
            continue
        if spec["category_id"] is not None and spec["category_id"] not in categories:
            continue
        if spec["id"] in existing:
            continue
        spec.setdefault("valid_from", DEFAULT_VALIDITY[0])
        spec.setdefault("valid_to", DEFAULT_VALIDITY[1])
        session.add(Coupon(**spec))
        created.append(spec["id"])
    session.flush()
    coupon_ids = sorted(set(session.scalars(select(Coupon.id))))
    held = {(s, c) for s, c in session.execute(select(ShopperCoupon.shopper_id, ShopperCoupon.coupon_id))}
    rows = []
    for shopper_id in session.scalars(select(Shopper.id).order_by(Shopper.id)):
        rng = random.Random(f"wallet:{shopper_id}")
        for coupon_id in coupon_ids:
            # Everyone holds the platform coupon; the others are spread deterministically.
            wanted = coupon_id.startswith("PLATFORM") or rng.random() < 0.6
            if wanted and (shopper_id, coupon_id) not in held:
                rows.append({"shopper_id": shopper_id, "coupon_id": coupon_id, "used": False})
    if rows:
        session.execute(ShopperCoupon.__table__.insert(), rows)
    return len(created)


def seed_browsing(session: Session, *, per_shopper: tuple[int, int] = (3, 8)) -> int:
    """Views (half near what the shopper bought, half elsewhere) and a search or two per shopper."""
    if session.scalar(select(BrowsingEvent.id).limit(1)) is not None:
        return 0
    products = list(session.execute(select(Product.id, Product.category_id).order_by(Product.id)))
    if not products:
        return 0
    by_category: dict[str | None, list[str]] = {}
    for product_id, category_id in products:
        by_category.setdefault(category_id, []).append(product_id)
    category_of = dict(products)
    bought: dict[str, list[str]] = {}
    for shopper_id, product_id in session.execute(
        select(Order.shopper_id, OrderItem.product_id).join(OrderItem, OrderItem.order_id == Order.id)
    ):
        bought.setdefault(shopper_id, []).append(product_id)
    rows = []
    for shopper_id in session.scalars(select(Shopper.id).order_by(Shopper.id)):
        rng = random.Random(f"browse:{shopper_id}")
        count = rng.randint(*per_shopper)
        history = sorted(set(bought.get(shopper_id, [])))
        for index in range(count):
            if history and index % 2 == 0:
                near = by_category.get(category_of.get(rng.choice(history)), []) or [p for p, _ in products]
                product_id = rng.choice(near)
            else:
                product_id = rng.choice(products)[0]
            at = SEED_EPOCH - timedelta(days=rng.randint(0, 30), minutes=rng.randint(0, 1439))
            rows.append({"shopper_id": shopper_id, "kind": "view", "product_id": product_id,
                         "variant_id": None, "query": None, "created_at": at})
        for _ in range(rng.randint(0, 2)):
            at = SEED_EPOCH - timedelta(days=rng.randint(0, 30), minutes=rng.randint(0, 1439))
            rows.append({"shopper_id": shopper_id, "kind": "search", "product_id": None, "variant_id": None,
                         "query": rng.choice(SEARCH_QUERIES), "created_at": at})
    session.execute(BrowsingEvent.__table__.insert(), rows)
    return len(rows)
