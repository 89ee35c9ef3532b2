"""Weighing compared products for the shopper: pros and cons for the stated need (and the shopper's remembered
likes and dislikes), a score per product, and the verdict with its reasons, including the caveat when the products
are of different kinds (a kettle against an espresso machine)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shopcopilot.shopper.answers import value_label
from shopcopilot.shopper.cards import money
from shopcopilot.shopper.compare_facts import Compared
from shopcopilot.shopper.compare_need import hit_count, mentions
from shopcopilot.shopper.compare_table import unit_of_comparison


@dataclass
class Weighing:
    """Per product id: what speaks for it, what against it, and its score (higher is better)."""

    pros: dict[str, list[str]] = field(default_factory=dict)
    cons: dict[str, list[str]] = field(default_factory=dict)
    scores: dict[str, float] = field(default_factory=dict)


def weigh(
    items: list[Compared],
    terms: list[str],
    *,
    budget: bool,
    liked: set[str],
    avoided: set[str],
    language: str,
) -> Weighing:
    zh = language == "zh"
    cheapest = min((i.price_min for i in items if i.price_min is not None), default=None)
    comparable_units = unit_of_comparison(items) is not None
    best_unit = min((i.per_unit[0] for i in items if i.per_unit), default=None) if comparable_units else None
    weighing = Weighing()
    for item in items:
        p: list[str] = []
        c: list[str] = []
        score = 0.0
        hits = [t for t in terms if mentions(t, item.text)]
        if hits:
            # How much a product's own texts talk about the need, not just whether a word appears once.
            score += sum(min(3, hit_count(t, item.text)) for t in hits)
            p.append(
                f"提到了您的需求：{'、'.join(hits)}"
                if zh
                else f"Its description covers your need: {', '.join(hits)}"
            )
        elif terms:
            c.append(
                f"描述中没有提到：{'、'.join(terms)}"
                if zh
                else f"Nothing in its description about: {', '.join(terms)}"
            )
        if item.price_min is not None and cheapest is not None:
            if item.price_min == cheapest:
                score += 2.0 if budget else 0.5
                p.append(
                    f"起价最低（{money(cheapest)}）" if zh else f"Lowest starting price ({money(cheapest)})"
                )
            else:
                gap = item.price_min - cheapest
                c.append(f"起价高 {money(gap)}" if zh else f"Starts {money(gap)} higher")
        if best_unit is not None and item.per_unit and item.per_unit[0] == best_unit:
            score += 1.0
            p.append(
                f"单价最低（{money(best_unit)}/{item.per_unit[1]}）"
                if zh
                else f"Best price per unit ({money(best_unit)}/{item.per_unit[1]})"
            )
        if item.available == 0:
            score -= 5.0
            c.append("目前无货" if zh else "Not available right now")
        elif item.available == max(i.available for i in items) and len(items) > 1:
            score += 0.25
            p.append(
                f"可选款式最多（{item.available} 款有货）"
                if zh
                else f"Most choice ({item.available} variants in stock)"
            )
        values = {v.lower() for vals in item.options.values() for v in vals}
        if values & liked:
            score += 0.5
            shown = sorted(values & liked)[:3]
            p.append(
                f"有您喜欢的：{'、'.join(value_label(None, v, language) for v in shown)}"
                if zh
                else f"Comes in what you like: {', '.join(shown)}"
            )
        if values and values <= avoided | {"-"}:
            score -= 1.0
            c.append("只有您不喜欢的款式" if zh else "Only in options you avoid")
        weighing.pros[item.product_id], weighing.cons[item.product_id] = p, c
        weighing.scores[item.product_id] = score
    return weighing


def pros_and_cons_rows(items: list[Compared], weighing: Weighing, language: str) -> list[dict[str, Any]]:
    zh = language == "zh"
    return [
        {
            "attribute": "优点" if zh else "pros",
            "values": ["; ".join(weighing.pros[i.product_id]) or "-" for i in items],
            "kind": "for your need",
        },
        {
            "attribute": "缺点" if zh else "cons",
            "values": ["; ".join(weighing.cons[i.product_id]) or "-" for i in items],
            "kind": "for your need",
        },
    ]


def verdict(
    items: list[Compared], weighing: Weighing, *, same_category: bool, has_need: bool, language: str
) -> dict[str, Any]:
    """The best-scoring product (the cheaper on a tie) and why: its pros, and what the shopper should weigh."""
    zh = language == "zh"
    winner = max(items, key=lambda i: (weighing.scores[i.product_id], -(i.price_min or 0.0)))
    reasons = list(weighing.pros[winner.product_id]) or (
        ["价格与有货情况最好"] if zh else ["Best on price and availability"]
    )
    if not same_category:
        reasons.append(
            "两者属于不同品类，用途不同：请按您的实际需要选择"
            if zh
            else "They are different kinds of product, so choose by what you will use it for"
        )
    if not has_need:
        reasons.append(
            "告诉我您的用途，我可以比较得更准确"
            if zh
            else "Tell me what you need it for and I can weigh them against that"
        )
    return {"product_id": winner.product_id, "title": winner.title, "reasons": reasons}


def verdict_text(result: dict[str, Any], language: str) -> str:
    chosen = result["verdict"]
    if language == "zh":
        return f"建议选择{chosen['title']}：" + "；".join(chosen["reasons"]) + "。"
    return f"My pick: {chosen['title']}. " + "; ".join(chosen["reasons"]) + "."
