"""The shopper skills in chat: help me choose (compare), coupon gap filler, scenario planners, the soul writer and
'add all to cart'. They call the tools of `skill_tools`; `skill_cues` routes turns to them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

from shopcopilot.agent.blocks import (
    Block,
    CartUpdateBlock,
    ComparisonBlock,
    ProductCardsBlock,
    QuestionBlock,
    TextBlock,
)
from shopcopilot.agent.engine import Skill, TurnContext
from shopcopilot.agent.state import ordinal_reference
from shopcopilot.shopper import compare as comparing
from shopcopilot.shopper import planners
from shopcopilot.shopper.cards import build_card
from shopcopilot.shopper.skill_cues import with_skill_cues
from shopcopilot.shopper.skill_tools import register_skill_tools

__all__ = ["register_skill_tools", "skills", "with_skill_cues"]

_TONES = [
    ("enthusiastic", re.compile(r"enthusias|excit|热情|激动|兴奋", re.I)),
    ("practical", re.compile(r"practical|concise|short|factual|实用|简洁|客观", re.I)),
    ("playful", re.compile(r"playful|funny|fun\b|humou?r|有趣|幽默|俏皮", re.I)),
    ("warm", re.compile(r"warm|温馨|温暖", re.I)),
]
_ORDER_ID = re.compile(r"#?W\d{7}\b", re.I)
_CART_WORDS = re.compile(r"\bcart\b|购物车", re.I)
_HISTORY_WORDS = re.compile(
    r"\bviewed\b|\blooked at\b|\bbrowsed\b|\bhistory\b|\brecently\b|看过|浏览|最近", re.I
)
# "这两个哪个好" points at what this conversation showed; it must not be filled up from older browsing.
_THESE = re.compile(r"这两|这俩|这几|这些|两者|\bthese\b|\bboth\b|\bthose\b", re.I)
_NEED = re.compile(r"(?:\bfor\b|\bto\b|\bneed\b|\bbecause\b|\bwant\b|用来|用于|想要|需要|为了)(.+)$", re.I)


@dataclass
class PostBlock(Block):
    """A draft post the shopper can edit and save (`PUT /v1/posts/{id}`)."""

    type: ClassVar[str] = "post"
    post_id: int
    title: str
    body: str
    hashtags: list[str]
    status: str
    edit: dict[str, Any] = field(default_factory=dict)


def _compared_ids(ctx: TurnContext) -> list[str]:
    named = _in_mention_order(ctx, list(ctx.analysis.product_ids))
    if len(named) >= 2:
        return named[: comparing.MAX_COMPARED]
    results = ctx.state.results
    words = re.findall(r"\b(?:first|second|third|fourth|fifth|last)\b|第[一二三四五]", ctx.message, re.I)
    positions = [p for p in (ordinal_reference(w) for w in words) if p is not None]
    chosen = [results[p - 1 if p > 0 else -1] for p in positions if results and -1 <= p - 1 < len(results)]
    if len(set(chosen)) >= 2:
        return list(dict.fromkeys(chosen))
    user = ctx.state.authenticated_user_id
    if user and _CART_WORDS.search(ctx.message):
        return comparing.recent_products(ctx.session, user, "cart")
    if user and _HISTORY_WORDS.search(ctx.message):
        return comparing.recent_products(ctx.session, user, "history")
    anchor = ctx.state.focus or (results[0] if results else None)
    if len(named) == 1 and anchor and anchor != named[0]:
        return [anchor, named[0]]
    if len(results) >= 2:
        return results[:2]
    if user and not _THESE.search(ctx.message):
        return comparing.recent_products(ctx.session, user, "history")
    return []


def _in_mention_order(ctx: TurnContext, product_ids: list[str]) -> list[str]:
    """Named products in the order the message names them ("the first one" then means the first named)."""
    from shopcopilot.shopper.vocabulary import vocabulary

    vocab = vocabulary(ctx.session, ctx.resources)
    text = ctx.message.lower()

    def position(product_id: str) -> int:
        spots = [
            text.find(m.group(0).lower())
            for pattern, pid in vocab.product_patterns
            if pid == product_id
            for m in [pattern.search(ctx.message)]
            if m
        ]
        return min(spots) if spots else len(text)

    return sorted(product_ids, key=position)


def _need(ctx: TurnContext) -> str:
    """The stated need: what follows "for"/"need"/"用来"..., else the message itself (its product names are
    dropped by the comparison); a follow-up that names no product keeps the need said before."""
    match = _NEED.search(ctx.message)
    if match:
        return match.group(1).strip(" ?.!？。")
    if not ctx.analysis.product_ids and ctx.state.slots.get("need"):
        return str(ctx.state.slots["need"])
    return _without_product_names(ctx)


def _without_product_names(ctx: TurnContext) -> str:
    """The message less every product name it says ("比较咖啡机和水壶" states no need: 水壶 names a product)."""
    from shopcopilot.shopper.vocabulary import vocabulary

    text = ctx.message
    for pattern, _product_id in vocabulary(ctx.session, ctx.resources).product_patterns:
        text = pattern.sub(" ", text)
    return text


def compare_skill(ctx: TurnContext) -> list[Block]:
    products = _compared_ids(ctx)
    if len(products) < 2:
        return [
            TextBlock(
                "请告诉我要比较的两款商品，例如“比较电热水壶和意式咖啡机”。"
                if ctx.zh
                else 'Tell me which two products to compare, e.g. "compare the electric kettle and the '
                'espresso machine", or browse a few first.'
            )
        ]
    need = _need(ctx)
    result = ctx.call("compare_products", {"product_ids": products, "need": need})
    ctx.state.results = result["product_ids"]
    ctx.state.focus = result["verdict"]["product_id"]
    ctx.state.slots = {**ctx.state.slots, "need": need, "product_id": None}
    ctx.state.awaiting = None
    return [
        TextBlock(comparing.verdict_text(result, ctx.language)),
        ComparisonBlock(
            product_ids=result["product_ids"],
            columns=result["columns"],
            rows=result["rows"],
            verdict=result["verdict"],
        ),
    ]


def coupon_fill_skill(ctx: TurnContext) -> list[Block]:
    if not ctx.state.authenticated_user_id and not ctx.shopper_id:
        return [
            TextBlock(
                "请先登录，我才能查看您的购物车和优惠券。"
                if ctx.zh
                else "Please sign in so that I can look at your cart and coupons."
            )
        ]
    result = ctx.call("fill_coupons", {})
    ctx.state.awaiting = None
    blocks: list[Block] = [TextBlock(result["explanation"])]
    plan = result["plan"]
    if plan:
        ctx.state.slots = {
            **ctx.state.slots,
            "basket": [{"variant_id": a["variant_id"], "quantity": a["quantity"]} for a in plan["additions"]],
        }
        ids = list(dict.fromkeys(a["product_id"] for a in plan["additions"]))
        ctx.state.results = ids
        cards = [build_card(ctx.session, pid, language=ctx.language) for pid in ids]
        blocks.append(ProductCardsBlock(cards=cards))
        blocks.append(
            TextBlock(
                "说“全部加入购物车”即可加购这些商品。"
                if ctx.zh
                else 'Say "add them all" to put these in your cart.'
            )
        )
    return blocks


def plan_skill(ctx: TurnContext) -> list[Block]:
    templates = planners.load_templates()
    found = planners.match_scenarios(ctx.message, templates)
    choices = ctx.state.slots.get("plan_choices") or []
    if ctx.state.awaiting == "skill:plan" and choices:
        narrowed = [s for s in found if s in choices]
        index = ordinal_reference(ctx.message)
        if not narrowed and index is not None and -1 <= index - 1 < len(choices):
            narrowed = [choices[index - 1 if index > 0 else -1]]
        found = narrowed or found
    budget = planners.parse_budget(ctx.message) or ctx.state.slots.get("plan_budget")
    previous = ctx.state.slots.get("plan_scenario")
    if not found and budget and previous in templates:
        found = [previous]  # "预算5000元" after a plan: the same plan at the new budget
    if len(found) != 1:
        options = found or sorted(templates)
        titles = [templates[s]["title"]["zh" if ctx.zh else "en"] for s in options]
        ctx.state.awaiting = "skill:plan"
        ctx.state.slots = {**ctx.state.slots, "plan_choices": options, "plan_budget": budget}
        if found:
            question = "您想准备哪一种？" if ctx.zh else "Which one shall I plan?"
        else:
            question = ("这个我还没有现成的清单。我可以帮您准备：" if ctx.zh
                        else "I have no ready plan for that yet. These are the plans I can make:")
        return [QuestionBlock(slot="plan_scenario", text=question, choices=titles)]
    plan = ctx.call("plan_shopping", {"scenario": found[0], "budget": budget})
    ctx.state.awaiting = None
    ctx.state.slots = {
        **ctx.state.slots,
        "plan_choices": [],
        "plan_budget": None,
        "plan_scenario": found[0],
        "basket": [{"variant_id": p["variant_id"], "quantity": p["quantity"]} for p in plan["add_all"]],
    }
    ctx.state.results = [p["product_id"] for p in plan["add_all"]]
    return [TextBlock(planners.plan_summary(plan, ctx.language)), planners.plan_block(plan, ctx.language)]


def add_all_skill(ctx: TurnContext) -> list[Block]:
    basket = ctx.state.slots.get("basket") or []
    if not (ctx.state.authenticated_user_id or ctx.shopper_id):
        return [TextBlock("请先登录后再使用购物车。" if ctx.zh else "Please sign in to use a cart.")]
    if not basket:
        return [TextBlock("没有待加购的商品。" if ctx.zh else "There is nothing waiting to be added.")]
    view = ctx.call("add_items_to_cart", {"items": basket})
    ctx.state.slots = {**ctx.state.slots, "basket": []}
    added = len(basket) - len(view["skipped"])
    text = f"已加入购物车 {added} 件商品。" if ctx.zh else f"Added {added} items to your cart."
    if view["skipped"]:
        text += " " + "; ".join(f"{s['variant_id']}: {s['reason']}" for s in view["skipped"])
    return [TextBlock(text), CartUpdateBlock(added=None, lines=view["lines"], total=view["subtotal"])]


def _tone(text: str) -> str:
    return next((tone for tone, pattern in _TONES if pattern.search(text)), "warm")


def write_post_skill(ctx: TurnContext) -> list[Block]:
    user = ctx.state.authenticated_user_id or ctx.shopper_id
    if not user:
        return [
            TextBlock(
                "请先登录，再写购物分享。"
                if ctx.zh
                else "Please sign in to write a post about your shopping."
            )
        ]
    args: dict[str, Any] = {"tone": _tone(ctx.message)}
    order = _ORDER_ID.search(ctx.message)
    product = (ctx.analysis.product_ids or [ctx.state.focus])[0] if ctx.analysis.product_ids or ctx.state.focus else None
    received = _latest_delivered(ctx, user, product) if product else None
    if order:
        args["order_id"] = "#" + order.group(0).lstrip("#").upper()
    elif received:  # the product on screen is one the shopper received: the post is about that order
        args["order_id"] = received
    elif product and not _ABOUT_MY_ORDER.search(ctx.message):
        args["product_id"] = product  # written as something on their list, not as something they own
    else:
        latest = _latest_delivered(ctx, user)
        if latest is None:
            return [
                TextBlock(
                    "告诉我要写哪个订单或哪件商品。"
                    if ctx.zh
                    else "Tell me which delivered order or which product to write about."
                )
            ]
        args["order_id"] = latest
    post = ctx.call("draft_post", args)
    if "order_id" in args:
        intro = (
            "这是根据订单和商品信息写的草稿，您可以修改后保存："
            if ctx.zh
            else "Here is a draft from the facts of your order and the product; edit it and save it when you like:"
        )
    else:
        intro = (
            "您还没有收到过这件商品，所以按种草笔记来写，内容都来自商品信息，您可以修改后保存："
            if ctx.zh
            else "You have not received this product, so the draft is about why it is on your list, from the "
            "product's facts; edit it and save it when you like:"
        )
    text = f"{intro}\n{post['title']}\n{post['body']}\n{' '.join(post['hashtags'])}"
    return [
        TextBlock(text),
        PostBlock(
            post_id=post["id"],
            title=post["title"],
            body=post["body"],
            hashtags=post["hashtags"],
            status=post["status"],
            edit={"method": "PUT", "path": f"/v1/posts/{post['id']}"},
        ),
    ]


_ABOUT_MY_ORDER = re.compile(r"晒单|买家秀|我买的|收到的|\bmy (order|purchase|haul)\b|\bi (bought|got|received)\b", re.I)


def _latest_delivered(ctx: TurnContext, user: str, product_id: str | None = None) -> str | None:
    """The shopper's latest delivered order (that holds `product_id`, when given)."""
    from sqlalchemy import select

    from shopcopilot.commerce.models import Order, OrderItem

    query = select(Order.id).where(Order.shopper_id == user, Order.status == "delivered")
    if product_id is not None:
        query = query.join(OrderItem, OrderItem.order_id == Order.id).where(OrderItem.product_id == product_id)
    return ctx.session.scalar(query.order_by(Order.position.desc()).limit(1))


def skills() -> dict[str, Skill]:
    return {
        "compare": compare_skill,
        "coupon_fill": coupon_fill_skill,
        "plan": plan_skill,
        "write_post": write_post_skill,
        "add_all": add_all_skill,
    }
