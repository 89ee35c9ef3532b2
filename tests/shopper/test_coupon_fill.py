"""Coupon gap filler: the exact optimiser against brute force on small random cases, and the plan for a real
shopper's cart and wallet in the demo store."""

from __future__ import annotations

import itertools
import random
import re
from datetime import datetime

import pytest
from sqlalchemy import select

from shopcopilot.catalog.models import Product, Variant
from shopcopilot.commerce.carts import add_line, cart_view
from shopcopilot.commerce.coupon_solver import CouponTerm, Line, evaluate, solve
from shopcopilot.commerce.coupons import category_parents, coupon_discount
from shopcopilot.commerce.models import Coupon, ShopperCoupon
from shopcopilot.errors import InvalidInput, NotFound
from shopcopilot.shopper.coupon_fill import fill_plan

NOW = datetime(2027, 1, 15)
PARENTS = {"c1": None, "c2": None, "c1a": "c1"}


def _random_case(rng: random.Random) -> tuple[list[Line], list[Line], list[CouponTerm]]:
    merchants, categories = ["a", "b"], ["c1", "c1a", "c2"]
    cart = [
        Line(
            f"k{i}",
            round(rng.uniform(5, 90), 2),
            rng.choice(merchants),
            rng.choice(categories),
            rng.randint(1, 2),
        )
        for i in range(rng.randint(0, 3))
    ]
    candidates = [
        Line(
            f"n{i}",
            round(rng.uniform(1, 70), 2),
            rng.choice(merchants),
            rng.choice(categories),
            rng.randint(1, 2),
            round(rng.random(), 2),
            group=f"g{i // 2}",
        )
        for i in range(rng.randint(1, 5))
    ]
    coupons = [
        CouponTerm(
            f"c{i}",
            rng.choice(["spend_save", "percent"]),
            threshold=float(rng.choice([0, 30, 60, 100, 150])),
            amount=float(rng.choice([5, 10, 25, 40])),
            percent=float(rng.choice([5, 10, 20])),
            merchant_id=rng.choice([None, "a", "b"]),
            category_id=rng.choice([None, None, "c1", "c2"]),
            stackable=rng.random() < 0.5,
        )
        for i in range(rng.randint(1, 4))
    ]
    return cart, candidates, coupons


def _brute_saving(coupons: list[CouponTerm], basket: list[tuple[Line, int]]) -> float:
    """Best coupon set by enumerating every subset that respects stacking, scored by `coupon_discount`."""
    lines = [
        {
            "merchant_id": line.merchant_id,
            "category_id": line.category_id,
            "unit_price": line.price,
            "quantity": units,
        }
        for line, units in basket
        if units
    ]
    rows = [
        Coupon(
            id=c.id,
            kind=c.kind,
            threshold=c.threshold,
            amount=c.amount,
            percent=c.percent,
            merchant_id=c.merchant_id,
            category_id=c.category_id,
            stackable=c.stackable,
        )
        for c in coupons
    ]
    best = 0.0
    for size in range(1, len(rows) + 1):
        for subset in itertools.combinations(rows, size):
            if size > 1 and not all(c.stackable for c in subset):
                continue
            best = max(best, sum(coupon_discount(c, lines, parents=PARENTS) for c in subset))
    return best


def _brute_force(cart: list[Line], candidates: list[Line], coupons: list[CouponTerm]) -> float:
    best = None
    for combo in itertools.product(*[range(c.quantity + 1) for c in candidates]):
        groups = [c.group for c, units in zip(candidates, combo, strict=True) if units]
        if len(groups) != len(set(groups)):
            continue  # one variant per product
        basket = [(line, line.quantity) for line in cart] + list(zip(candidates, combo, strict=True))
        cost = sum(
            c.price * units * (1 - 0.5 * c.preference) for c, units in zip(candidates, combo, strict=True)
        )
        value = _brute_saving(coupons, basket) - 0.3 * cost
        best = value if best is None else max(best, value)
    return best


def test_solver_matches_brute_force_on_random_cases() -> None:
    rng = random.Random(20261111)
    for case in range(60):
        cart, candidates, coupons = _random_case(rng)
        solution = solve(cart, candidates, coupons, parents=PARENTS, spend_weight=0.3, preference_weight=0.5)
        expected = _brute_force(cart, candidates, coupons)
        # Percent discounts are rounded to cents per coupon; the optimum agrees to within that rounding.
        assert solution.objective == pytest.approx(expected, abs=0.02), f"case {case}"
        again = evaluate(
            cart,
            candidates,
            solution.additions,
            coupons,
            parents=PARENTS,
            spend_weight=0.3,
            preference_weight=0.5,
        )
        assert again.objective == pytest.approx(solution.objective)


def test_solver_prefers_least_overshoot_and_liked_items() -> None:
    cart = [Line("cart", 80.0, "a", "c1")]
    coupon = [CouponTerm("100-20", "spend_save", threshold=100, amount=20)]
    candidates = [
        Line("exact", 20.0, "a", "c1", preference=0.0, group="p1"),
        Line("over", 45.0, "a", "c1", preference=0.0, group="p2"),
        Line("liked", 20.5, "a", "c1", preference=1.0, group="p3"),
    ]
    solution = solve(cart, candidates, coupon)
    assert solution.additions == {"liked": 1}  # 20.5 liked beats 20.0 unliked; 45 overshoots
    assert solution.saving == 20.0 and solution.added_spend == 20.5
    without_liked = solve(cart, candidates[:2], coupon)
    assert without_liked.additions == {"exact": 1}


def test_solver_respects_stacking_and_budget_cap() -> None:
    cart = [Line("cart", 90.0, "a", "c1")]
    coupons = [
        CouponTerm("alone", "spend_save", threshold=100, amount=30, stackable=False),
        CouponTerm("s1", "spend_save", threshold=100, amount=15, stackable=True),
        CouponTerm("s2", "percent", threshold=50, percent=10, stackable=True),
    ]
    candidates = [Line("ten", 10.0, "a", "c1", group="p")]
    solution = solve(cart, candidates, coupons)
    assert solution.coupons == ["alone"] and solution.saving == 30.0
    capped = solve(cart, candidates, coupons, max_added=5.0)
    assert capped.additions == {}
    with pytest.raises(InvalidInput):
        solve(cart, candidates, coupons, preference_weight=1.5)


def _product_variant(session, name: str, at_least: float = 0.0) -> Variant:
    return session.scalars(
        select(Variant)
        .join(Product)
        .where(Product.name == name, Variant.available.is_(True), Variant.price >= at_least)
        .order_by(Variant.price)
    ).first()


def test_fill_plan_for_a_real_cart_unlocks_the_saving(chat_db) -> None:
    shopper = "ava_moore_2033"
    with chat_db.session() as session:
        session.add(
            Coupon(
                id="TEST-150-20",
                kind="spend_save",
                threshold=150.0,
                amount=20.0,
                stackable=True,
                valid_from=datetime(2026, 1, 1),
                valid_to=datetime(2027, 12, 31),
                title="150-20",
            )
        )
        session.add(ShopperCoupon(shopper_id=shopper, coupon_id="TEST-150-20"))
        kettle = _product_variant(session, "Electric Kettle")
        add_line(session, shopper, kettle.id, 1)
    with chat_db.session() as session:
        before = cart_view(session, shopper)
        result = fill_plan(session, shopper, now=NOW)
        plan = result["plan"]
        assert plan is not None and plan["extra_saving"] > 0
        assert cart_view(session, shopper) == before  # planning changes nothing
        in_cart = {line["product_id"] for line in before["lines"]}
        lines = list(before["lines"])
        for item in plan["additions"]:
            variant = session.get(Variant, item["variant_id"])
            assert variant.available and item["product_id"] not in in_cart
            product = session.get(Product, item["product_id"])
            lines.append(
                {
                    "merchant_id": product.merchant_id,
                    "category_id": product.category_id,
                    "unit_price": variant.price,
                    "quantity": item["quantity"],
                }
            )
        parents = category_parents(session)
        used = {c["id"]: c["discount"] for c in plan["coupons"]}
        for coupon_id, discount in used.items():
            assert coupon_discount(session.get(Coupon, coupon_id), lines, parents=parents) == pytest.approx(
                discount
            )
        assert plan["saving"] == pytest.approx(sum(used.values()))
        assert plan["added_spend"] == pytest.approx(
            sum(a["price"] * a["quantity"] for a in plan["additions"])
        )
        assert plan["additions"][0]["name"] in result["explanation"]
        assert f"{plan['extra_saving']:,.2f}" in result["explanation"]
        capped = fill_plan(session, shopper, now=NOW, max_added=1.0)
        assert capped["plan"] is None or capped["plan"]["added_spend"] <= 1.0
        zh = fill_plan(session, shopper, now=NOW, language="zh")
        assert "加购" in zh["explanation"]


def test_fill_plan_refuses_unknown_shopper_and_expired_coupons(chat_db) -> None:
    with chat_db.session() as session:
        with pytest.raises(NotFound):
            fill_plan(session, "nobody_0000", now=NOW)
        result = fill_plan(session, "ava_moore_2033", now=datetime(2031, 1, 1))
        assert result["coupons_considered"] == [] and result["plan"] is None
        assert "no coupon" in result["explanation"]


def test_a_non_stackable_coupon_is_not_reported_as_applied_beside_a_stackable_one(chat_db) -> None:
    shopper = "ava_moore_2033"
    with chat_db.session() as session:
        kettle = _product_variant(session, "Electric Kettle")
        merchant = session.get(Product, kettle.product_id).merchant_id
        window = {"valid_from": datetime(2026, 1, 1), "valid_to": datetime(2027, 12, 31)}
        session.add_all([
            Coupon(id="T-PLATFORM", kind="spend_save", threshold=50.0, amount=10.0, stackable=False,
                   title="platform 50-10", **window),
            Coupon(id="T-STORE", kind="spend_save", threshold=50.0, amount=15.0, stackable=True,
                   merchant_id=merchant, title="store 50-15", **window),
        ])
        session.add_all([ShopperCoupon(shopper_id=shopper, coupon_id=c) for c in ("T-PLATFORM", "T-STORE")])
        add_line(session, shopper, kettle.id, 1)
    with chat_db.session() as session:
        result = fill_plan(session, shopper, now=NOW)
        by_id = {c["id"]: c for c in result["coupons_considered"]}
        # Both thresholds are reached, but the platform coupon cannot be combined: only the better set is used.
        assert result["current"]["coupons"] and "T-PLATFORM" not in result["current"]["coupons"]
        assert by_id["T-STORE"]["applied_now"] and not by_id["T-PLATFORM"]["applied_now"]
        plan = result["plan"]
        used = {c["id"] for c in plan["coupons"]} if plan else set(result["current"]["coupons"])
        assert {cid for cid, c in by_id.items() if c["applied_with_plan"]} == used
        amounts = re.findall(r"\d[\d,]*\.\d\d", result["explanation"])
        assert amounts and all(f"${amount}" in result["explanation"] for amount in amounts)
