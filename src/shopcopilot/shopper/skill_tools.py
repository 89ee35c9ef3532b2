"""The shopper skills' typed tools: compare products, fill coupons, plan a scenario, add several items to the cart,
draft a post. Skills and an LLM planner call them through the registry, so every call is validated, guarded and
traced."""

from __future__ import annotations

from typing import Any

from shopcopilot.agent.tools import Tool, ToolContext, ToolRegistry
from shopcopilot.errors import Forbidden, ShopcopilotError
from shopcopilot.shopper import compare as comparing
from shopcopilot.shopper import coupon_fill, planners, soul_writer


def _signed_in(ctx: ToolContext) -> str:
    user = ctx.authenticated_user_id or ctx.shopper_id
    if not user:
        raise Forbidden("sign in first: this uses your cart, coupons or orders", code="sign_in_required")
    return user


def _compare_tool(ctx: ToolContext, args: dict[str, Any]) -> dict[str, Any]:
    return comparing.compare_products(
        ctx.session,
        args["product_ids"],
        need=args.get("need", ""),
        language=ctx.language,
        shopper_id=ctx.authenticated_user_id,
    )


def _fill_tool(ctx: ToolContext, args: dict[str, Any]) -> dict[str, Any]:
    return coupon_fill.fill_plan(
        ctx.session, _signed_in(ctx), language=ctx.language, max_added=args.get("max_added")
    )


def _plan_tool(ctx: ToolContext, args: dict[str, Any]) -> dict[str, Any]:
    return planners.build_plan(
        ctx.session,
        args["scenario"],
        budget=args.get("budget"),
        language=ctx.language,
        shopper_id=ctx.authenticated_user_id,
    )


def _add_items_tool(ctx: ToolContext, args: dict[str, Any]) -> dict[str, Any]:
    from shopcopilot.commerce.carts import add_line, cart_view

    shopper_id = _signed_in(ctx)
    skipped: list[dict[str, str]] = []
    for item in args["items"]:
        try:
            # add_line validates before it changes anything, so one unavailable item leaves the others alone.
            add_line(ctx.session, shopper_id, item["variant_id"], int(item.get("quantity", 1)))
        except ShopcopilotError as exc:
            skipped.append({"variant_id": item["variant_id"], "reason": exc.message})
    return cart_view(ctx.session, shopper_id) | {"skipped": skipped}


def _draft_tool(ctx: ToolContext, args: dict[str, Any]) -> dict[str, Any]:
    return soul_writer.draft_post(
        ctx.session,
        _signed_in(ctx),
        order_id=args.get("order_id"),
        product_id=args.get("product_id"),
        language=ctx.language,
        tone=args.get("tone", "warm"),
    )


def register_skill_tools(registry: ToolRegistry) -> None:
    registry.register(
        Tool(
            name="compare_products",
            description="Compare 2-4 products: shared and differing attributes, price and price per unit, pros and "
            "cons for the shopper's need, and a verdict with reasons.",
            parameters={
                "type": "object",
                "properties": {
                    "product_ids": {"type": "array", "items": {"type": "string"}},
                    "need": {"type": "string"},
                },
                "required": ["product_ids"],
                "additionalProperties": False,
            },
            function=_compare_tool,
            summarize=lambda r: f"verdict {r['verdict']['product_id']} of {', '.join(r['product_ids'])}",
        )
    )
    registry.register(
        Tool(
            name="fill_coupons",
            description="The additions to the signed-in shopper's cart that unlock the best coupon saving with the "
            "least overshoot (exact optimisation); changes nothing.",
            parameters={
                "type": "object",
                "properties": {"max_added": {"type": ["number", "null"]}},
                "additionalProperties": False,
            },
            function=_fill_tool,
            summarize=lambda r: (
                f"add {len(r['plan']['additions'])} items, +{r['plan']['added_spend']} to save "
                f"{r['plan']['extra_saving']} more"
                if r["plan"]
                else f"no plan ({r['solver']})"
            ),
        )
    )
    registry.register(
        Tool(
            name="plan_shopping",
            description="A scenario plan (wedding, trip, senior guide, daily problem, dish): steps with the store's "
            "matching products within a budget.",
            parameters={
                "type": "object",
                "properties": {
                    "scenario": {"type": "string", "enum": sorted(planners.load_templates())},
                    "budget": {"type": ["number", "null"]},
                },
                "required": ["scenario"],
                "additionalProperties": False,
            },
            function=_plan_tool,
            summarize=lambda p: (
                f"{p['scenario']}: {len(p['add_all'])} products, total {p['total']} of {p['budget']}, "
                f"{len(p['missing'])} missing"
            ),
        )
    )
    registry.register(
        Tool(
            name="add_items_to_cart",
            description="Add several variants to the signed-in shopper's cart (a plan's 'add all to cart').",
            parameters={
                "type": "object",
                "properties": {
                    "items": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {"variant_id": {"type": "string"}, "quantity": {"type": "integer"}},
                            "required": ["variant_id"],
                            "additionalProperties": False,
                        },
                    }
                },
                "required": ["items"],
                "additionalProperties": False,
            },
            function=_add_items_tool,
            summarize=lambda v: (
                f"cart has {v['item_count']} items, subtotal {v['subtotal']}, {len(v['skipped'])} skipped"
            ),
        )
    )
    registry.register(
        Tool(
            name="draft_post",
            description="Write a draft shopping-experience post about the shopper's delivered order or a product.",
            parameters={
                "type": "object",
                "properties": {
                    "order_id": {"type": "string"},
                    "product_id": {"type": "string"},
                    "tone": {"type": "string", "enum": list(soul_writer.TONES)},
                },
                "additionalProperties": False,
            },
            function=_draft_tool,
            summarize=lambda p: f"draft post #{p['id']}: {p['title']}",
        )
    )
