"""'Recommend something for me': co-purchase, content similarity and recency over the shopper's orders, cart and
browsing, shaped by memory; nothing already bought unless it is consumable. Every pick carries its reasons."""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shopcopilot.agent.blocks import Block, TextBlock
from shopcopilot.agent.engine import TurnContext
from shopcopilot.agent.memory import preferences
from shopcopilot.agent.tools import Tool, ToolContext, ToolRegistry
from shopcopilot.catalog.models import Variant
from shopcopilot.catalog.search.budget import parse_budget
from shopcopilot.commerce.models import BrowsingEvent, Cart, CartLine, Order, OrderItem
from shopcopilot.shopper.answers import say
from shopcopilot.shopper.cards import cheapest_in_budget, money
from shopcopilot.shopper.discover import show_cards
from shopcopilot.shopper.vocabulary import vocabulary

WEIGHTS = {"co_purchase": 2.0, "recent_view": 1.5, "same_category": 1.0, "liked_option": 0.5, "in_cart": 1.0}
CO_PURCHASE_TTL_S = 60.0


def co_purchase_counts(session: Session, resources: dict[str, Any]) -> dict[str, Counter[str]]:
    """product -> products bought in the same orders (all shoppers), cached for a minute."""
    cached = resources.get("co_purchase")
    if cached and time.monotonic() - cached[0] < CO_PURCHASE_TTL_S:
        return cached[1]
    by_order: dict[str, set[str]] = defaultdict(set)
    for order_id, product_id in session.execute(
        select(OrderItem.order_id, OrderItem.product_id).join(Order).where(Order.status != "cancelled")
    ):
        by_order[order_id].add(product_id)
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for products in by_order.values():
        for a in products:
            for b in products:
                if a != b:
                    counts[a][b] += 1
    resources["co_purchase"] = (time.monotonic(), counts)
    return counts


def recommend_for(session: Session, shopper_id: str, resources: dict[str, Any], limit: int = 3,
                  price_min: float | None = None, price_max: float | None = None) -> list[dict]:
    vocab = vocabulary(session, resources)
    prefs = preferences(session, shopper_id)
    bought = [pid for pid, in session.execute(
        select(OrderItem.product_id).join(Order)
        .where(Order.shopper_id == shopper_id, Order.status != "cancelled").order_by(Order.position.desc())
    )]
    carted = [pid for pid, in session.execute(
        select(Variant.product_id).join(CartLine, CartLine.variant_id == Variant.id)
        .join(Cart, Cart.id == CartLine.cart_id).where(Cart.shopper_id == shopper_id)
    )]
    viewed = [pid for pid, in session.execute(
        select(BrowsingEvent.product_id).where(BrowsingEvent.shopper_id == shopper_id,
                                               BrowsingEvent.product_id.is_not(None))
        .order_by(BrowsingEvent.created_at.desc(), BrowsingEvent.id.desc()).limit(20)
    )]
    co = co_purchase_counts(session, resources)
    scores: Counter[str] = Counter()
    reasons: dict[str, list[dict[str, str]]] = defaultdict(list)

    def add(pid: str, kind: str, weight: float, about: str) -> None:
        if pid not in vocab.products:
            return
        scores[pid] += WEIGHTS[kind] * weight
        if not any(r["kind"] == kind for r in reasons[pid]):
            reasons[pid].append({"kind": kind, "about": about})

    for source in dict.fromkeys(bought):
        related = co.get(source, Counter())
        top = max(related.values(), default=1)
        for pid, count in related.most_common(10):
            add(pid, "co_purchase", count / top, vocab.products[source].name if source in vocab.products else source)
    for rank, pid in enumerate(dict.fromkeys(viewed)):
        add(pid, "recent_view", 1.0 / (1 + rank), "")
    for pid in dict.fromkeys(carted):
        add(pid, "in_cart", 1.0, "")
    liked_categories = set(prefs.likes.get("category", []))
    for pid, info in vocab.products.items():
        if info.category_id and info.category_id in liked_categories:
            add(pid, "same_category", 1.0, info.category_id)
        liked = [v for name, values in info.options.items() for v in values
                 for attribute, likes in prefs.likes.items() if attribute in name.lower() and v.lower() in likes]
        if liked and scores[pid] > 0:
            add(pid, "liked_option", 1.0, ", ".join(sorted(set(liked))[:3]))
    bought_set = set(bought)
    in_budget = price_min is not None or price_max is not None
    fitting = cheapest_in_budget(session, price_min, price_max) if in_budget else None
    picks = []
    for pid, score in scores.most_common():
        info = vocab.products[pid]
        if pid in bought_set and not info.consumable:
            continue  # no repeats of durable things already bought
        if fitting is not None and pid not in fitting:
            continue  # "under $50": only what has a variant in the budget
        picks.append({"product_id": pid, "score": round(score, 3), "reasons": reasons[pid]})
        if len(picks) == limit:
            break
    return picks


def reason_text(language: str, reason: dict[str, str]) -> str:
    kind, about = reason["kind"], reason["about"]
    en, zh = {
        "co_purchase": ("Often bought together with the {about} you ordered.", "常与您买过的{about}一起购买。"),
        "recent_view": ("You looked at it recently.", "您最近浏览过。"),
        "in_cart": ("It is in your cart.", "它在您的购物车里。"),
        "same_category": ("In a category you buy from ({about}).", "属于您常买的品类（{about}）。"),
        "liked_option": ("Comes in {about}, which you like.", "有您喜欢的{about}。"),
    }[kind]
    return (zh if language == "zh" else en).format(about=about)


def _recommend_tool(ctx: ToolContext, args: dict[str, Any]) -> list[dict]:
    if not ctx.authenticated_user_id:
        return []
    return recommend_for(ctx.session, ctx.authenticated_user_id, ctx.resources, int(args.get("limit", 3)),
                         args.get("price_min"), args.get("price_max"))


def register_recommend_tool(registry: ToolRegistry) -> None:
    registry.register(Tool(
        name="recommend_products",
        description="Products for the signed-in shopper from co-purchases, recent views and preferences, "
        "with the reasons; excludes durable products already bought.",
        parameters={"type": "object", "properties": {
            "limit": {"type": "integer"}, "price_min": {"type": ["number", "null"]},
            "price_max": {"type": ["number", "null"]},
        }, "additionalProperties": False},
        function=_recommend_tool,
        summarize=lambda picks: ", ".join(f"{p['product_id']} ({p['score']})" for p in picks) or "no picks",
    ))


def recommend(ctx: TurnContext) -> list[Block]:
    from shopcopilot.shopper.gifts import GIFT_REQUEST, gift_skill

    if (GIFT_REQUEST.search(ctx.message) or ctx.state.slots.get("gift_request")) and not ctx.analysis.product_ids:
        return gift_skill(ctx)  # for someone else: their needs and the budget, not the shopper's history
    if ctx.analysis.product_ids:
        # "recommend a coffee maker" names what is wanted: search for it, not for what the history suggests.
        from shopcopilot.shopper.discover import discover

        return discover(ctx)
    budget = parse_budget(ctx.message)
    bounds = {"price_min": budget.price_min, "price_max": budget.price_max}
    picks = ctx.call("recommend_products", {"limit": 3, **bounds}) if ctx.shopper_id else []
    if not picks:
        if budget.price_max is not None and ctx.shopper_id:
            return [TextBlock(say(ctx.language, "recommend_none_in_budget", price=money(budget.price_max)))]
        return [TextBlock(say(ctx.language, "recommend_none"))]
    prefs = preferences(ctx.session, ctx.shopper_id)
    slots = {"options": {}, "excluded": {}, **bounds}
    blocks = show_cards(ctx, [p["product_id"] for p in picks], slots, prefs, intro=say(ctx.language, "recommend_intro"))
    reasons = {p["product_id"]: p["reasons"] for p in picks}
    for block in blocks:
        for card in getattr(block, "cards", []):
            texts = [reason_text(ctx.language, r) for r in reasons.get(card["product_id"], [])]
            card["reason"] = " ".join(texts)
            card["reasons"] = reasons.get(card["product_id"], [])
    ctx.state.slots = {"recommended": [p["product_id"] for p in picks], "options": {}, "excluded": {}, **bounds}
    ctx.state.slots["why"] = {p["product_id"]: [reason_text(ctx.language, r) for r in p["reasons"]] for p in picks}
    return blocks
