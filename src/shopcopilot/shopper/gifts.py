"""Gift finder: "a gift for my dad under $100", "送妈妈的礼物 500元以内", "something for my mom who loves cooking".

A gift is chosen for someone else, so the shopper's own history does not steer it. Candidates are the products with
an available variant in the budget; each is scored from what the store knows about it: the product's knowledge or
tags say it makes a gift, its "who it suits" names the recipient (father, parents, kids, ...), it matches the
interests the shopper gave (ranked by the hybrid search), and it is a lasting thing rather than a grocery. Gift
wrapping and party supplies are accessories to a gift, not gifts. Every pick carries the reasons it was picked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shopcopilot.agent.blocks import Block, TextBlock
from shopcopilot.agent.engine import TurnContext
from shopcopilot.agent.tools import Tool, ToolContext, ToolRegistry
from shopcopilot.catalog.models import Product, ProductContent
from shopcopilot.catalog.search.budget import parse_budget
from shopcopilot.shopper.cards import cheapest_in_budget, money

GIFT_REQUEST = re.compile(r"\bgifts?\b|\bpresents?\b|礼物|礼品|伴手礼|送(?:给|份|个|点|爸|妈|老|女|男|孩|朋|同|长)", re.I)


@dataclass(frozen=True)
class Recipient:
    key: str
    pattern: re.Pattern[str]
    hints: tuple[str, ...]  # words in a product's knowledge (en and zh) that say it suits this person
    label_en: str
    label_zh: str


RECIPIENTS = (
    Recipient("grandparent", re.compile(r"grand(?:ma|pa|mother|father|parents?)|granny|爷爷|奶奶|外公|外婆|姥姥|姥爷",
                                        re.I),
              ("senior", "older", "elderly", "parents", "老人", "长辈", "父母", "老年"), "a grandparent", "长辈"),
    Recipient("father", re.compile(r"\b(?:dad|daddy|father|papa|father-in-law)\b|爸|父亲|老爸|岳父|公公", re.I),
              ("father", "dad", "men's", "parents", "父亲", "爸", "父母"), "your father", "父亲"),
    Recipient("mother", re.compile(r"\b(?:mom|mum|mommy|mother|mama|mother-in-law)\b|妈|母亲|老妈|岳母|婆婆", re.I),
              ("mother", "mom", "women's", "parents", "母亲", "妈", "父母"), "your mother", "母亲"),
    Recipient("partner", re.compile(
        r"\b(?:wife|husband|girlfriend|boyfriend|partner|fianc[ée]e?)\b|老婆|老公|女朋友|男朋友|对象|爱人|媳妇", re.I),
              ("anniversar", "valentine", "wedding", "couple", "birthday", "纪念日", "情人节", "生日"), "your partner",
              "爱人"),
    Recipient("child", re.compile(r"\b(?:kids?|son|daughter|child(?:ren)?|nephew|niece|toddler)\b|孩子|儿子|女儿|小孩|宝宝",
                                  re.I),
              ("kids", "children", "child", "students", "孩子", "儿童", "学生"), "a child", "孩子"),
    Recipient("colleague", re.compile(r"\b(?:boss|colleagues?|co-?workers?|teacher|client)\b|老板|同事|老师|领导|客户",
                                      re.I),
              ("office", "办公", "职场"), "a colleague", "同事"),
)
# Accessories to a gift, and everyday groceries: not gifts themselves.
NOT_GIFT_CATEGORIES = frozenset({"party-wedding", "groceries", "fresh-produce", "meat-eggs-dairy", "frozen-foods",
                                 "home-care", "pet-supplies"})
_GIFT_WORDS = re.compile(r"\bgifts?\b|礼物|送礼|伴手礼", re.I)
_REQUEST_WORDS = re.compile(
    r"\b(?:i|i'm|im|need|want|looking|for|a|an|the|some|something|gift|gifts|present|presents|ideas?|my|our|who|"
    r"buy|get|find|me|please|under|below|within|budget|around|about|good|nice)\b|礼物|礼品|送给?|给|我|想|买|一个|"
    r"一份|的|推荐|有什么|什么|好|呢|吗|元|块|以内|预算|[$￥¥\d,.!?，。！？]",
    re.I,
)
WEIGHTS = {"gift": 2.0, "recipient": 1.5, "interest": 4.0, "lasting": 0.5}


def recipient_of(text: str) -> Recipient | None:
    return next((r for r in RECIPIENTS if r.pattern.search(text)), None)


def interests_of(text: str, recipient: Recipient | None) -> str:
    """What the person likes, from the request: the words left once gift words, budget and recipient are gone."""
    rest = parse_budget(text).remainder
    if recipient is not None:
        rest = recipient.pattern.sub(" ", rest)
    rest = _REQUEST_WORDS.sub(" ", rest)
    return re.sub(r"\s+", " ", rest).strip()


def find_gifts(
    session: Session,
    *,
    recipient: str | None = None,
    interest_ranks: dict[str, int] | None = None,
    price_min: float | None = None,
    price_max: float | None = None,
    limit: int = 4,
) -> list[dict[str, Any]]:
    """The best gifts in the budget, each with its score and reasons (kinds: gift, recipient, interest, lasting)."""
    person = next((r for r in RECIPIENTS if r.key == recipient), None)
    interest_ranks = interest_ranks or {}
    cheapest = cheapest_in_budget(session, price_min, price_max)
    rows = session.execute(
        select(Product.id, Product.category_id, Product.consumable, ProductContent.suits, ProductContent.suits_zh,
               ProductContent.description, ProductContent.keywords)
        .join(ProductContent, ProductContent.product_id == Product.id)
        .where(Product.id.in_(list(cheapest)))
    )
    picks = []
    for product_id, category, consumable, suits, suits_zh, description, keywords in rows:
        if category in NOT_GIFT_CATEGORIES:
            continue
        known = " ".join([suits or "", suits_zh or "", description or "", " ".join(map(str, keywords or []))])
        reasons: list[dict[str, str]] = []
        score = 0.0
        if _GIFT_WORDS.search(known):
            score += WEIGHTS["gift"]
            reasons.append({"kind": "gift", "about": ""})
        if person is not None:
            hits = [hint for hint in person.hints if hint.lower() in known.lower()]
            if hits:
                score += WEIGHTS["recipient"]
                reasons.append({"kind": "recipient", "about": person.key})
        if product_id in interest_ranks:
            # What they like matters most when it is said: the best matches outrank a generic gift.
            score += WEIGHTS["interest"] / (1 + interest_ranks[product_id] / 3)
            reasons.append({"kind": "interest", "about": ""})
        if not consumable:
            score += WEIGHTS["lasting"]
        said_gift = any(r["kind"] == "gift" for r in reasons)
        # A grocery is a gift only when the store says so; something they like must be a lasting thing.
        if said_gift or (any(r["kind"] == "interest" for r in reasons) and not consumable):
            picks.append({"product_id": product_id, "score": round(score, 3), "reasons": reasons,
                          "price_min": cheapest[product_id]})
    picks.sort(key=lambda p: (-p["score"], p["price_min"], p["product_id"]))
    return picks[:limit]


def _find_gifts_tool(ctx: ToolContext, args: dict[str, Any]) -> list[dict[str, Any]]:
    return find_gifts(ctx.session, recipient=args.get("recipient"), interest_ranks=args.get("interest_ranks"),
                      price_min=args.get("price_min"), price_max=args.get("price_max"),
                      limit=int(args.get("limit", 4)))


def register_gift_tool(registry: ToolRegistry) -> None:
    registry.register(Tool(
        name="find_gifts",
        description="Gifts in a budget for a recipient (grandparent, father, mother, partner, child, colleague), "
        "ranked by what the store's product knowledge says, with the reasons.",
        parameters={"type": "object", "properties": {
            "recipient": {"type": ["string", "null"], "enum": [None, *[r.key for r in RECIPIENTS]]},
            "interest_ranks": {"type": "object", "additionalProperties": {"type": "integer"}},
            "price_min": {"type": ["number", "null"]}, "price_max": {"type": ["number", "null"]},
            "limit": {"type": "integer", "minimum": 1, "maximum": 10},
        }, "additionalProperties": False},
        function=_find_gifts_tool,
        summarize=lambda picks: ", ".join(f"{p['product_id']} ({p['score']})" for p in picks) or "no gifts",
    ))


def reason_text(language: str, reason: dict[str, str], recipient: Recipient | None) -> str:
    zh = language == "zh"
    if reason["kind"] == "gift":
        return "商品信息里写着适合送礼。" if zh else "The store's notes on it say it makes a good gift."
    if reason["kind"] == "recipient" and recipient is not None:
        return f"适合{recipient.label_zh}。" if zh else f"Suits {recipient.label_en}, by who it is made for."
    if reason["kind"] == "interest":
        return "和您说的喜好相符。" if zh else "Matches what you said they like."
    return ""


def gift_skill(ctx: TurnContext) -> list[Block]:
    from shopcopilot.agent.memory import Preferences
    from shopcopilot.shopper.discover import show_cards

    earlier = ctx.state.slots.get("gift_request")
    # "预算500以内" after a gift search: the same request (who, what they like) at the new budget.
    request = ctx.message if GIFT_REQUEST.search(ctx.message) or not earlier else f"{earlier} {ctx.message}"
    budget = parse_budget(ctx.message)
    person = recipient_of(request)
    request = parse_budget(request).remainder  # the budget is this message's; the request keeps who and what
    interests = interests_of(request, person)
    ranks: dict[str, int] = {}
    if interests:
        found = ctx.call("search_products", {"text": interests, "limit": 20, "price_min": budget.price_min,
                                             "price_max": budget.price_max})
        ranks = {hit["product_id"]: rank for rank, hit in enumerate(found["hits"])}
    picks = ctx.call("find_gifts", {"recipient": person.key if person else None, "interest_ranks": ranks,
                                    "price_min": budget.price_min, "price_max": budget.price_max, "limit": 4})
    zh = ctx.language == "zh"
    if not picks:
        within = f"（{money(budget.price_max)}以内）" if zh and budget.price_max else (
            f" under {money(budget.price_max)}" if budget.price_max else "")
        return [TextBlock(f"店里没找到合适的礼物{within}。可以放宽预算，或告诉我对方喜欢什么。" if zh
                          else f"I found no good gift{within} in the store. A wider budget, or what they like, "
                          "would help.")]
    budget_label = money(budget.price_max) if budget.price_max else None
    intro = ("为{who}挑了这些礼物{within}：" if zh else "Gift ideas for {who}{within}:").format(
        who=(person.label_zh if zh else person.label_en) if person else ("对方" if zh else "them"),
        within=(f"（{budget_label}以内）" if zh else f" under {budget_label}") if budget_label else "")
    slots = {"options": {}, "excluded": {}, "price_min": budget.price_min, "price_max": budget.price_max}
    blocks = show_cards(ctx, [p["product_id"] for p in picks], slots, Preferences.empty(), intro=intro)
    why: dict[str, list[str]] = {}
    for block in blocks:
        for card in getattr(block, "cards", []):
            pick = next(p for p in picks if p["product_id"] == card["product_id"])
            texts = [t for t in (reason_text(ctx.language, r, person) for r in pick["reasons"]) if t]
            if card.get("suits"):
                texts.append(("适合：" if zh else "Who it suits: ") + card["suits"])
            card["reason"] = " ".join(texts)
            card["reasons"] = pick["reasons"]
            why[card["product_id"]] = texts
    ctx.state.slots = {**slots, "why": why, "gift_for": person.key if person else None,
                       "gift_request": request}
    return blocks
