"""The coupon gap filler's exact optimiser: which additions to a cart unlock the best saving.

The problem, in plain words: the cart is fixed; each candidate item may be added 0..`max_quantity` times (at most
one variant per product); a set of the shopper's coupons is applied, where a non-stackable coupon is used alone and
stackable coupons combine. The plan maximises

    saving  -  spend_weight * sum(price * units * (1 - preference_weight * preference))

over the added units (preference in [0, 1]), so a bigger saving wins, the same saving with less overshoot (added
spend) wins, and an item the shopper is predicted to like costs less in the objective than one they would not
pick (it is something they want anyway) -- but never nothing, so no item is added without unlocking a saving. It is solved as a mixed-integer programme with HiGHS (exact up to a
1e-9 gap, no greedy step); `evaluate` scores any basket with the same rules as `commerce.coupons.coupon_discount`,
and the tests check the solver against brute force on small random cases.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import highspy
import numpy as np

from shopcopilot.commerce.category_scope import in_category
from shopcopilot.errors import InvalidInput

DEFAULT_SPEND_WEIGHT = 0.3
"""An added dollar costs 30 cents of objective (the shopper gets the goods): adding 56 to save 20 is worth it,
adding 156 to save 20 is not."""
DEFAULT_PREFERENCE_WEIGHT = 0.5
"""A fully liked item (preference 1) weighs half as much against the saving as one with no predicted preference."""
MAX_CANDIDATES = 400


@dataclass(frozen=True)
class CouponTerm:
    """One coupon as the optimiser sees it (the `Coupon` row's rules without its dates)."""

    id: str
    kind: str
    threshold: float = 0.0
    amount: float = 0.0
    percent: float = 0.0
    merchant_id: str | None = None
    category_id: str | None = None
    stackable: bool = False

    @classmethod
    def from_coupon(cls, coupon) -> CouponTerm:  # a commerce.models.Coupon (duck-typed so tests need no rows)
        return cls(
            id=coupon.id,
            kind=coupon.kind,
            threshold=float(coupon.threshold or 0.0),
            amount=float(coupon.amount or 0.0),
            percent=float(coupon.percent or 0.0),
            merchant_id=coupon.merchant_id,
            category_id=coupon.category_id,
            stackable=bool(coupon.stackable),
        )


@dataclass(frozen=True)
class Line:
    """A cart line (fixed quantity) or a candidate addition (0..max_quantity units)."""

    key: str
    """The variant id."""
    price: float
    merchant_id: str | None
    category_id: str | None
    quantity: int = 1
    """Units already in the cart (cart lines) or the most units that may be added (candidates)."""
    preference: float = 0.0
    group: str | None = None
    """Candidates sharing a group (a product) are exclusive: at most one of them is added."""


@dataclass
class FillSolution:
    additions: dict[str, int]
    coupons: list[str]
    discounts: dict[str, float]
    saving: float
    base_saving: float
    base_coupons: list[str]
    added_spend: float
    preference: float
    objective: float
    status: str = "optimal"
    extra: dict = field(default_factory=dict)

    @property
    def extra_saving(self) -> float:
        return round(self.saving - self.base_saving, 2)

    @property
    def pay_more(self) -> float:
        """How much more the shopper pays than today (negative: the additions pay for themselves)."""
        return round(self.added_spend - self.extra_saving, 2)


def eligible(coupon: CouponTerm, line: Line, parents: Mapping[str, str | None] | None = None) -> bool:
    if coupon.merchant_id is not None and line.merchant_id != coupon.merchant_id:
        return False
    return coupon.category_id is None or in_category(line.category_id, coupon.category_id, parents)


def coupon_saving(coupon: CouponTerm, base: float) -> float:
    """The discount of one coupon on an eligible subtotal, with `coupon_discount`'s rules and rounding."""
    base = round(base, 2)
    if base <= 0 or base < coupon.threshold:
        return 0.0
    if coupon.kind == "spend_save":
        discount = coupon.amount
    elif coupon.kind == "percent":
        discount = base * coupon.percent / 100.0
    else:
        return 0.0
    return round(max(0.0, min(discount, base)), 2)


def best_coupons(
    coupons: Sequence[CouponTerm],
    basket: Mapping[str, tuple[Line, int]],
    parents: Mapping[str, str | None] | None = None,
) -> tuple[float, list[str], dict[str, float]]:
    """The best coupon choice for a fixed basket {key: (line, units)}: (saving, coupon ids, discount per coupon).

    Exact without search: discounts never go negative, so all stackable coupons together beat any subset of them,
    and the only alternative is one non-stackable coupon alone.
    """
    discounts: dict[str, float] = {}
    for coupon in coupons:
        base = sum(line.price * units for line, units in basket.values() if eligible(coupon, line, parents))
        discounts[coupon.id] = coupon_saving(coupon, base)
    stackable = [c.id for c in coupons if c.stackable and discounts[c.id] > 0]
    best = (round(sum(discounts[c] for c in stackable), 2), stackable)
    for coupon in coupons:
        if not coupon.stackable and discounts[coupon.id] > best[0]:
            best = (discounts[coupon.id], [coupon.id])
    return best[0], best[1], {c: discounts[c] for c in best[1]}


def evaluate(
    cart: Sequence[Line],
    candidates: Sequence[Line],
    additions: Mapping[str, int],
    coupons: Sequence[CouponTerm],
    *,
    parents: Mapping[str, str | None] | None = None,
    spend_weight: float = DEFAULT_SPEND_WEIGHT,
    preference_weight: float = DEFAULT_PREFERENCE_WEIGHT,
) -> FillSolution:
    """Score a basket (cart + additions) exactly; the optimiser's answer and brute force both go through here."""
    by_key = {c.key: c for c in candidates}
    basket: dict[str, tuple[Line, int]] = {line.key: (line, line.quantity) for line in cart}
    base_saving, base_coupons, _ = best_coupons(coupons, basket, parents)
    added = preference = weighted = 0.0
    for key, units in additions.items():
        if units <= 0:
            continue
        line = by_key[key]
        held = basket.get(key, (line, 0))[1]
        basket[key] = (line, held + units)
        added += line.price * units
        preference += line.preference * units
        weighted += line.price * units * (1.0 - preference_weight * line.preference)
    saving, chosen, discounts = best_coupons(coupons, basket, parents)
    objective = saving - spend_weight * weighted
    return FillSolution(
        additions={k: v for k, v in additions.items() if v > 0},
        coupons=chosen,
        discounts=discounts,
        saving=saving,
        base_saving=base_saving,
        base_coupons=base_coupons,
        added_spend=round(added, 2),
        preference=round(preference, 4),
        objective=round(objective, 6),
    )


def solve(
    cart: Sequence[Line],
    candidates: Sequence[Line],
    coupons: Sequence[CouponTerm],
    *,
    parents: Mapping[str, str | None] | None = None,
    spend_weight: float = DEFAULT_SPEND_WEIGHT,
    preference_weight: float = DEFAULT_PREFERENCE_WEIGHT,
    max_added: float | None = None,
    time_limit_s: float = 20.0,
) -> FillSolution:
    """The best additions (an exact MIP with HiGHS). With no useful addition the answer adds nothing."""
    if len(candidates) > MAX_CANDIDATES:
        raise InvalidInput(f"at most {MAX_CANDIDATES} candidate items, got {len(candidates)}")
    if spend_weight < 0 or not 0 <= preference_weight < 1:
        raise InvalidInput("spend_weight must be >= 0 and preference_weight in [0, 1)")
    if len({c.key for c in candidates}) != len(candidates):
        raise InvalidInput("candidate keys must be unique")
    eligible_candidates = [c for c in candidates if c.quantity > 0 and c.price > 0]
    nothing = evaluate(
        cart,
        candidates,
        {},
        coupons,
        parents=parents,
        spend_weight=spend_weight,
        preference_weight=preference_weight,
    )  # the cart as it is: the answer when nothing is worth adding
    if not coupons or not eligible_candidates:
        return nothing

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_rel_gap", 1e-9)
    h.setOptionValue("mip_abs_gap", 1e-9)
    h.setOptionValue("time_limit", float(time_limit_s))
    h.setOptionValue("threads", 1)
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    inf = highspy.kHighsInf

    def add_col(cost: float, low: float, high: float, integer: bool) -> int:
        index = h.getNumCol()
        h.addCol(cost, low, high, 0, np.array([], dtype=np.int32), np.array([], dtype=np.float64))
        if integer:
            h.changeColIntegrality(index, highspy.HighsVarType.kInteger)
        return index

    def add_row(low: float, high: float, terms: dict[int, float]) -> None:
        terms = {i: v for i, v in terms.items() if v != 0.0}
        h.addRow(
            low,
            high,
            len(terms),
            np.array(list(terms), dtype=np.int32),
            np.array(list(terms.values()), dtype=np.float64),
        )

    x = [
        add_col(
            -spend_weight * c.price * (1.0 - preference_weight * c.preference), 0.0, float(c.quantity), True
        )
        for c in eligible_candidates
    ]
    y: list[int] = []
    for coupon in coupons:
        fixed = sum(line.price * line.quantity for line in cart if eligible(coupon, line, parents))
        share = {x[j]: c.price for j, c in enumerate(eligible_candidates) if eligible(coupon, c, parents)}
        reach = fixed + sum(c.price * c.quantity for j, c in enumerate(eligible_candidates) if x[j] in share)
        yc = add_col(0.0, 0.0, 1.0, True)
        dc = add_col(1.0, 0.0, inf, False)
        y.append(yc)
        # Used only when the eligible subtotal reaches the threshold ...
        add_row(-fixed, inf, {**share, yc: -coupon.threshold})
        # ... and never worth more than the eligible subtotal.
        add_row(-inf, fixed, {dc: 1.0, **{i: -p for i, p in share.items()}})
        if coupon.kind == "spend_save":
            add_row(-inf, 0.0, {dc: 1.0, yc: -coupon.amount})
        elif coupon.kind == "percent":
            rate = coupon.percent / 100.0
            add_row(-inf, rate * fixed, {dc: 1.0, **{i: -rate * p for i, p in share.items()}})
            add_row(-inf, 0.0, {dc: 1.0, yc: -rate * reach})
        else:
            add_row(-inf, 0.0, {dc: 1.0})
    count = len(coupons)
    for c_index, coupon in enumerate(coupons):
        if not coupon.stackable and count > 1:
            # A non-stackable coupon is used alone.
            add_row(
                -inf, count - 1, {**{y[k]: 1.0 for k in range(count) if k != c_index}, y[c_index]: count - 1}
            )
    groups: dict[str, list[int]] = {}
    for j, c in enumerate(eligible_candidates):
        if c.group is not None:
            groups.setdefault(c.group, []).append(x[j])
    bound = {x[j]: float(c.quantity) for j, c in enumerate(eligible_candidates)}
    for members in groups.values():
        if len(members) > 1:
            # One variant of a product, in as many units as allowed: x <= quantity * chosen, one chosen.
            chosen = [add_col(0.0, 0.0, 1.0, True) for _ in members]
            for member, flag in zip(members, chosen, strict=True):
                add_row(-inf, 0.0, {member: 1.0, flag: -bound[member]})
            add_row(-inf, 1.0, dict.fromkeys(chosen, 1.0))
    if max_added is not None:
        add_row(-inf, float(max_added), {x[j]: c.price for j, c in enumerate(eligible_candidates)})

    h.run()
    status = h.modelStatusToString(h.getModelStatus())
    values = list(h.getSolution().col_value) if h.getInfo().primal_solution_status else []
    additions = {
        c.key: int(round(values[x[j]]))
        for j, c in enumerate(eligible_candidates)
        if values and round(values[x[j]]) > 0
    }
    plan = evaluate(
        cart,
        candidates,
        additions,
        coupons,
        parents=parents,
        spend_weight=spend_weight,
        preference_weight=preference_weight,
    )
    # The MIP's continuous discounts are not rounded to cents; the exact score decides.
    best = plan if plan.objective > nothing.objective else nothing
    best.status = status.lower()
    return best
