"""Coupon gap filler: from the shopper's cart and wallet, the additions that unlock the best saving with the least
overshoot and the highest predicted preference, solved exactly (`commerce.coupon_solver`), and explained
("add X and Y for 42.40: the coupon then takes 30.00 more off, so your total goes up by only 12.40")."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shopcopilot.agent.memory import preferences
from shopcopilot.catalog.models import Product, Variant
from shopcopilot.commerce.carts import cart_view
from shopcopilot.commerce.coupon_solver import (
    DEFAULT_PREFERENCE_WEIGHT,
    DEFAULT_SPEND_WEIGHT,
    MAX_CANDIDATES,
    CouponTerm,
    Line,
    eligible,
    solve,
)
from shopcopilot.commerce.coupons import category_parents, is_valid_at
from shopcopilot.commerce.models import (
    BrowsingEvent,
    Cart,
    CartLine,
    Coupon,
    Order,
    OrderItem,
    Shopper,
    ShopperCoupon,
)
from shopcopilot.errors import InvalidInput, NotFound

VARIANTS_PER_PRODUCT = 4
"""Candidate variants per product, spread over its price range (cheap ones close small gaps, dearer ones big)."""
CONSUMABLE_UNITS = 3


def now_utc() -> datetime:
    # Coupon dates are stored naive (UTC).
    return datetime.now(UTC).replace(tzinfo=None)


def usable_coupons(session: Session, shopper_id: str, now: datetime) -> list[Coupon]:
    """The unused coupons in the shopper's wallet that are valid at `now`."""
    rows = session.scalars(
        select(Coupon)
        .join(ShopperCoupon, ShopperCoupon.coupon_id == Coupon.id)
        .where(ShopperCoupon.shopper_id == shopper_id, ShopperCoupon.used.is_(False))
        .order_by(Coupon.id)
    )
    return [coupon for coupon in rows if is_valid_at(coupon, now)]


def preference_scores(session: Session, shopper_id: str) -> tuple[dict[str, float], Any]:
    """Predicted preference per product in [0, 1] from memory (likes), browsing, and the categories the shopper
    buys from; with the shopper's `Preferences` (avoids exclude variants)."""
    prefs = preferences(session, shopper_id)
    scores: dict[str, float] = defaultdict(float)
    viewed = list(
        dict.fromkeys(
            session.scalars(
                select(BrowsingEvent.product_id)
                .where(BrowsingEvent.shopper_id == shopper_id, BrowsingEvent.product_id.is_not(None))
                .order_by(BrowsingEvent.created_at.desc(), BrowsingEvent.id.desc())
                .limit(30)
            )
        )
    )
    for rank, product_id in enumerate(viewed):
        scores[product_id] += 0.4 / (1 + rank * 0.25)
    owned = set(
        session.scalars(select(OrderItem.product_id).join(Order).where(Order.shopper_id == shopper_id))
    )
    owned |= set(
        session.scalars(
            select(Variant.product_id)
            .join(CartLine, CartLine.variant_id == Variant.id)
            .join(Cart, Cart.id == CartLine.cart_id)
            .where(Cart.shopper_id == shopper_id)
        )
    )
    categories = {
        row for row in session.scalars(select(Product.category_id).where(Product.id.in_(owned))) if row
    }
    liked_categories = set(prefs.likes.get("category", []))
    liked_products = {value.lower() for value in prefs.likes.get("product", [])}
    for product_id, category_id, name in session.execute(
        select(Product.id, Product.category_id, Product.name)
    ):
        if category_id in categories:
            scores[product_id] += 0.25
        if category_id in liked_categories or name.lower() in liked_products:
            scores[product_id] += 0.35
    return {pid: round(min(1.0, score), 4) for pid, score in scores.items()}, prefs


def _option_flags(options: dict[str, Any], prefs: Any) -> tuple[bool, float]:
    """(avoided, liked bonus) for a variant's options against the shopper's memory."""
    values = {str(value).lower() for value in options.values()}
    for attribute in ("color", "material", "size"):
        if values & {v.lower() for v in prefs.avoids.get(attribute, [])}:
            return True, 0.0
    liked = sum(
        1
        for attribute in ("color", "material", "size")
        for v in prefs.likes.get(attribute, [])
        if v.lower() in values
    )
    return False, min(0.3, 0.15 * liked)


def _spread(variants: list[Variant], count: int) -> list[Variant]:
    ordered = sorted(variants, key=lambda v: (v.price, v.id))
    if len(ordered) <= count:
        return ordered
    picks = {round(i * (len(ordered) - 1) / (count - 1)) for i in range(count)}
    return [ordered[i] for i in sorted(picks)]


def candidate_lines(
    session: Session,
    shopper_id: str,
    coupons: list[CouponTerm],
    parents: dict[str, str | None],
    in_cart: set[str],
) -> tuple[list[Line], dict[str, dict[str, Any]]]:
    """Available variants of products not in the cart that at least one coupon counts, with preferences."""
    scores, prefs = preference_scores(session, shopper_id)
    rows = session.execute(
        select(Variant, Product)
        .join(Product, Variant.product_id == Product.id)
        .where(Variant.available.is_(True), Variant.price > 0)
        .order_by(Product.id, Variant.price, Variant.id)
    ).all()
    by_product: dict[str, list[Variant]] = defaultdict(list)
    products: dict[str, Product] = {}
    for variant, product in rows:
        if product.id in in_cart:
            continue
        avoided, _ = _option_flags(variant.options or {}, prefs)
        if avoided:
            continue
        probe = Line(variant.id, variant.price, product.merchant_id, product.category_id)
        if not any(eligible(c, probe, parents) for c in coupons):
            continue
        by_product[product.id].append(variant)
        products[product.id] = product
    ranked = sorted(by_product, key=lambda pid: (-scores.get(pid, 0.0), pid))
    lines: list[Line] = []
    info: dict[str, dict[str, Any]] = {}
    for product_id in ranked:
        product = products[product_id]
        for variant in _spread(by_product[product_id], VARIANTS_PER_PRODUCT):
            if len(lines) >= MAX_CANDIDATES:
                break
            _, bonus = _option_flags(variant.options or {}, prefs)
            units = CONSUMABLE_UNITS if product.consumable else 1
            if variant.stock and variant.stock > 0:
                units = min(units, variant.stock)
            preference = round(min(1.0, scores.get(product_id, 0.0) + bonus), 4)
            lines.append(
                Line(
                    variant.id,
                    round(float(variant.price), 2),
                    product.merchant_id,
                    product.category_id,
                    units,
                    preference,
                    group=product_id,
                )
            )
            info[variant.id] = {
                "variant_id": variant.id,
                "product_id": product_id,
                "name": product.name,
                "name_zh": product.name_zh or product.name,
                "options": dict(variant.options or {}),
                "price": round(float(variant.price), 2),
                "preference": preference,
                "merchant_id": product.merchant_id,
            }
    return lines, info


def fill_plan(
    session: Session,
    shopper_id: str,
    *,
    now: datetime | None = None,
    language: str = "en",
    max_added: float | None = None,
    spend_weight: float = DEFAULT_SPEND_WEIGHT,
    preference_weight: float = DEFAULT_PREFERENCE_WEIGHT,
) -> dict[str, Any]:
    """The best plan for this shopper's cart and wallet, with its explanation. Changes nothing."""
    if session.get(Shopper, shopper_id) is None:
        raise NotFound(f"no shopper {shopper_id!r}", code="shopper_not_found")
    if max_added is not None and max_added < 0:
        raise InvalidInput("max_added must be zero or more")
    now = now or now_utc()
    view = cart_view(session, shopper_id)
    coupon_rows = usable_coupons(session, shopper_id, now)
    terms = [CouponTerm.from_coupon(c) for c in coupon_rows]
    titles = {c.id: (c.title_zh or c.title) if language == "zh" else (c.title or c.id) for c in coupon_rows}
    parents = category_parents(session)
    cart = [
        Line(
            line["variant_id"],
            float(line["unit_price"]),
            line["merchant_id"],
            line["category_id"],
            int(line["quantity"]),
        )
        for line in view["lines"]
    ]
    candidates, info = candidate_lines(
        session, shopper_id, terms, parents, {line["product_id"] for line in view["lines"]}
    )
    solution = solve(
        cart,
        candidates,
        terms,
        parents=parents,
        spend_weight=spend_weight,
        preference_weight=preference_weight,
        max_added=max_added,
    )
    additions = [info[key] | {"quantity": units} for key, units in solution.additions.items()]
    useful = bool(additions) and solution.extra_saving > 0
    result: dict[str, Any] = {
        "shopper_id": shopper_id,
        "cart_subtotal": view["subtotal"],
        "coupons_considered": [
            {
                "id": c.id,
                "title": titles[c.id],
                "kind": c.kind,
                "threshold": c.threshold,
                "amount": c.amount,
                "percent": c.percent,
                "stackable": c.stackable,
                "merchant_id": c.merchant_id,
                "category_id": c.category_id,
                # Reaching a threshold is not using the coupon: a non-stackable one is used only alone, so the
                # best combination may leave it out. A face marks "unlocked" only what `applied` says.
                "applied_now": c.id in solution.base_coupons,
                "applied_with_plan": c.id in (solution.coupons if useful else solution.base_coupons),
            }
            for c in coupon_rows
        ],
        "current": {"saving": solution.base_saving, "coupons": solution.base_coupons},
        "plan": None,
        "candidates": len(candidates),
        "solver": solution.status,
    }
    if useful:
        result["plan"] = {
            "additions": additions,
            "coupons": [
                {"id": cid, "title": titles[cid], "discount": solution.discounts[cid]}
                for cid in solution.coupons
            ],
            "saving": solution.saving,
            "extra_saving": solution.extra_saving,
            "added_spend": solution.added_spend,
            "pay_more": solution.pay_more,
            "new_subtotal": round(view["subtotal"] + solution.added_spend, 2),
            "new_total": round(view["subtotal"] + solution.added_spend - solution.saving, 2),
            "objective": solution.objective,
        }
    result["explanation"] = explain(result, language)
    return result


def _money(value: float) -> str:
    return f"${value:,.2f}"


def explain(result: dict[str, Any], language: str) -> str:
    zh = language == "zh"
    plan = result["plan"]
    if not result["coupons_considered"]:
        return "您的券包里没有当前可用的优惠券。" if zh else "You have no coupon that can be used right now."
    current = result["current"]["saving"]
    if plan is None:
        if zh:
            return (
                f"您的购物车已享受最优优惠（省 {_money(current)}），再加购也不划算。"
                if current > 0
                else "目前没有值得为凑单而加购的商品。"
            )
        return (
            f"Your cart already gets its best saving ({_money(current)}); adding more would not pay off."
            if current > 0
            else "No addition is worth it for your coupons right now."
        )
    names = [
        (a["name_zh"] if zh else a["name"]) + (f" ×{a['quantity']}" if a["quantity"] > 1 else "")
        for a in plan["additions"]
    ]
    coupons = (
        "、".join(c["title"] for c in plan["coupons"])
        if zh
        else ", ".join(c["title"] for c in plan["coupons"])
    )
    if zh:
        listing = "和".join(names) if len(names) <= 2 else "、".join(names)
        money = (
            f"实际只多付 {_money(plan['pay_more'])}"
            if plan["pay_more"] > 0
            else f"总价反而少了 {_money(-plan['pay_more'])}"
        )
        return (
            f"加购{listing}（{_money(plan['added_spend'])}）后，{coupons}再多减 {_money(plan['extra_saving'])}"
            f"（共省 {_money(plan['saving'])}），{money}。"
        )
    listing = " and ".join(names) if len(names) <= 2 else ", ".join(names[:-1]) + " and " + names[-1]
    money = (
        f"so your total goes up by only {_money(plan['pay_more'])}"
        if plan["pay_more"] > 0
        else f"so your total even drops by {_money(-plan['pay_more'])}"
    )
    return (
        f"Add {listing} for {_money(plan['added_spend'])}: {coupons} then takes {_money(plan['extra_saving'])} more "
        f"off ({_money(plan['saving'])} in all), {money}."
    )
