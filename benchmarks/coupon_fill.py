"""Coupon gap filler benchmark: the exact MIP (HiGHS) on random carts of growing size, against brute force where
brute force is still feasible. Prints one row per size: solve time (median, max), how often the MIP matched brute
force, and the mean saving found.

    .venv/bin/python benchmarks/coupon_fill.py [--cases 20]
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import time

from shopcopilot.commerce.coupon_solver import CouponTerm, Line, evaluate, solve


def random_case(rng: random.Random, candidates: int) -> tuple[list[Line], list[Line], list[CouponTerm]]:
    merchants, categories = ["retail", "everyday"], ["kitchen", "snacks", "electronics", "home-care"]
    cart = [
        Line(f"cart{i}", round(rng.uniform(5, 150), 2), rng.choice(merchants), rng.choice(categories))
        for i in range(rng.randint(1, 4))
    ]
    pool = [
        Line(
            f"v{i}",
            round(rng.uniform(1, 120), 2),
            rng.choice(merchants),
            rng.choice(categories),
            rng.choice([1, 1, 3]),
            round(rng.random(), 2),
            group=f"p{i // 3}",
        )
        for i in range(candidates)
    ]
    coupons = [
        CouponTerm("PLATFORM-300-50", "spend_save", threshold=300, amount=50),
        CouponTerm(
            "RETAIL-200-20", "spend_save", threshold=200, amount=20, merchant_id="retail", stackable=True
        ),
        CouponTerm(
            "ELEC-10PCT",
            "percent",
            threshold=100,
            percent=10,
            merchant_id="retail",
            category_id="electronics",
        ),
        CouponTerm(
            "EVERYDAY-99-15", "spend_save", threshold=99, amount=15, merchant_id="everyday", stackable=True
        ),
        CouponTerm("SNACKS-30-5", "spend_save", threshold=30, amount=5, category_id="snacks", stackable=True),
    ]
    return cart, pool, coupons


def brute_force(cart: list[Line], pool: list[Line], coupons: list[CouponTerm]) -> float:
    best = float("-inf")
    for combo in itertools.product(*[range(c.quantity + 1) for c in pool]):
        groups = [c.group for c, units in zip(pool, combo, strict=True) if units]
        if len(groups) == len(set(groups)):
            additions = {c.key: units for c, units in zip(pool, combo, strict=True)}
            best = max(best, evaluate(cart, pool, additions, coupons).objective)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=20)
    args = parser.parse_args()
    rng = random.Random(11)
    print(f"{'candidates':>10} {'median ms':>10} {'max ms':>8} {'= brute':>8} {'mean saving':>12}")
    for size in (6, 9, 50, 200, 400):
        times, matches, savings = [], 0, []
        for _ in range(args.cases):
            cart, pool, coupons = random_case(rng, size)
            started = time.perf_counter()
            solution = solve(cart, pool, coupons)
            times.append((time.perf_counter() - started) * 1000)
            savings.append(solution.extra_saving)
            if size <= 9:
                matches += abs(brute_force(cart, pool, coupons) - solution.objective) <= 0.02
        checked = f"{matches}/{args.cases}" if size <= 9 else "-"
        print(
            f"{size:>10} {statistics.median(times):>10.1f} {max(times):>8.1f} {checked:>8} "
            f"{statistics.mean(savings):>12.2f}"
        )


if __name__ == "__main__":
    main()
