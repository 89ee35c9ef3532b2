"""Soul writer: a shopping-experience post (title, body, hashtags) about a delivered order or a product, in English
or Chinese and a chosen tone, written only from facts the store holds (names, options, prices, features, who it
suits). The draft is stored with those facts; the shopper edits and saves it.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shopcopilot.catalog.models import Category, Product
from shopcopilot.commerce.models import Order, Shopper
from shopcopilot.errors import Conflict, Forbidden, InvalidInput, NotFound
from shopcopilot.shopper.answers import option_label, value_label
from shopcopilot.shopper.cards import load_product, money
from shopcopilot.shopper.models import Post

TONES = ("warm", "enthusiastic", "practical", "playful")
LANGUAGES = ("en", "zh")
MAX_TITLE = 200
MAX_BODY = 5000
MAX_HASHTAGS = 12

_OPENING = {
    ("warm", "en"): "A little note about something that made my days nicer.",
    ("warm", "zh"): "想分享一件让我的日子更舒心的好物。",
    ("enthusiastic", "en"): "I have to tell you about this one!",
    ("enthusiastic", "zh"): "忍不住要来安利一下！",
    ("practical", "en"): "A short, practical review.",
    ("practical", "zh"): "简单说说实际使用情况。",
    ("playful", "en"): "Plot twist: my shopping list got a new favourite.",
    ("playful", "zh"): "剧情反转：我的购物清单有了新宠。",
}
_TITLE = {
    ("warm", "en"): "My {name}, and why I am glad I chose it",
    ("warm", "zh"): "关于我的{name}，很庆幸选了它",
    ("enthusiastic", "en"): "{name}: a great find!",
    ("enthusiastic", "zh"): "{name}真的太值了！",
    ("practical", "en"): "{name}: what you get",
    ("practical", "zh"): "{name}实用测评",
    ("playful", "en"): "Me and my {name}: a love story",
    ("playful", "zh"): "我和{name}的故事",
}
# A product the shopper has not received is written about as something on their list, never as "my ..." or "would
# buy again": the post must not claim an experience the store has no record of.
_WISHLIST_TITLE = {
    ("warm", "en"): "{name}, and why it is on my list",
    ("warm", "zh"): "最近种草的{name}",
    ("enthusiastic", "en"): "{name}: this one caught my eye!",
    ("enthusiastic", "zh"): "{name}，种草了！",
    ("practical", "en"): "{name}: what you get",
    ("practical", "zh"): "{name}：值不值得买",
    ("playful", "en"): "Me and the {name}: it is getting serious",
    ("playful", "zh"): "{name}，在购物车边缘反复试探",
}
_WISHLIST_OPENING = {
    "en": "Something I have my eye on, from what the store tells about it.",
    "zh": "最近在看的一件好物，根据商品信息整理了一下。",
}
_WISHLIST_CLOSING = {"en": "Sharing in case it helps someone else choose.", "zh": "分享给正在挑选的你。"}
_CLOSING = {
    ("warm", "en"): "Sharing in case it helps someone else choose.",
    ("warm", "zh"): "分享给正在挑选的你。",
    ("enthusiastic", "en"): "Would happily choose it again!",
    ("enthusiastic", "zh"): "还会再回购！",
    ("practical", "en"): "That is the summary; check the options that fit you.",
    ("practical", "zh"): "以上，按自己的需要选款式即可。",
    ("playful", "en"): "Ten out of ten, would add to cart again.",
    ("playful", "zh"): "满分，还会再加购。",
}


def _product_facts(session: Session, product_id: str, language: str) -> dict[str, Any]:
    product = load_product(session, product_id)
    zh = language == "zh"
    content = product.content
    category = session.get(Category, product.category_id) if product.category_id else None
    features = list((content.features_zh or content.features) if zh else content.features) if content else []
    return {
        "product_id": product.id,
        "name": (product.name_zh or product.name) if zh else product.name,
        "category": ((category.name_zh or category.name) if zh else category.name) if category else "",
        "features": features[:2],
        "suits": ((content.suits_zh or content.suits) if zh else content.suits) if content else "",
    }


def gather_facts(
    session: Session,
    shopper_id: str,
    *,
    order_id: str | None = None,
    product_id: str | None = None,
    language: str = "en",
) -> dict[str, Any]:
    """The store facts a post may use. An order must be the shopper's own and delivered."""
    if session.get(Shopper, shopper_id) is None:
        raise NotFound(f"no shopper {shopper_id!r}", code="shopper_not_found")
    if (order_id is None) == (product_id is None):
        raise InvalidInput("write about one delivered order or one product: give order_id or product_id")
    if order_id is not None:
        order = session.get(Order, order_id if order_id.startswith("#") else f"#{order_id}") or session.get(
            Order, order_id
        )
        if order is None:
            raise NotFound(f"no order {order_id!r}", code="order_not_found")
        if order.shopper_id != shopper_id:
            raise Forbidden("you can only write about your own orders", code="not_your_order")
        if order.status != "delivered":
            raise Conflict(
                f"order {order.id} is {order.status}; write about it once it has been delivered",
                code="order_not_delivered",
            )
        items = []
        for item in order.items:
            exists = session.get(Product, item.product_id) is not None
            facts = (
                _product_facts(session, item.product_id, language)
                if exists
                else {
                    "product_id": item.product_id,
                    "name": item.name,
                    "category": "",
                    "features": [],
                    "suits": "",
                }
            )
            items.append(facts | {"options": dict(item.options or {}), "price": round(float(item.price), 2)})
        return {"source": "order", "order_id": order.id, "status": order.status, "items": items}
    facts = _product_facts(session, product_id, language)
    product = load_product(session, product_id)
    prices = [v.price for v in product.variants if v.available] or [v.price for v in product.variants]
    facts |= {
        "options": {},
        "price_min": round(min(prices), 2) if prices else None,
        "price_max": round(max(prices), 2) if prices else None,
    }
    return {"source": "product", "items": [facts]}


def _hashtag(text: str) -> str:
    return "#" + re.sub(r"[^\w\u4e00-\u9fff]+", "", text.title() if text.isascii() else text)


def compose(facts: dict[str, Any], *, language: str = "en", tone: str = "warm") -> dict[str, Any]:
    """Title, body and hashtags from the facts alone (no number or name that is not in them)."""
    if language not in LANGUAGES:
        raise InvalidInput(f"language must be one of {', '.join(LANGUAGES)}")
    if tone not in TONES:
        raise InvalidInput(f"tone must be one of {', '.join(TONES)}")
    zh = language == "zh"
    items = facts["items"]
    lead = items[0]
    name = (
        lead["name"]
        if len(items) == 1
        else (f"{lead['name']}等{len(items)}件好物" if zh else f"{lead['name']} and {len(items) - 1} more")
    )
    owned = facts["source"] == "order"
    lines = [_OPENING[(tone, language)] if owned else _WISHLIST_OPENING[language]]
    for item in items:
        options = (
            "，".join(f"{option_label(k, 'zh')} {value_label(k, str(v), 'zh')}" for k, v in item["options"].items())
            if zh
            else ", ".join(f"{k} {v}" for k, v in item["options"].items())
        )
        if "price" in item:
            detail = f"（{options}）" if zh and options else (f" ({options})" if options else "")
            lines.append(
                f"我买的是{item['name']}{detail}，{money(item['price'])}。"
                if zh
                else f"I got the {item['name']}{detail} for {money(item['price'])}."
            )
        elif item.get("price_min") is not None:
            span = (
                money(item["price_min"])
                if item["price_min"] == item["price_max"]
                else (f"{money(item['price_min'])} - {money(item['price_max'])}")
            )
            lines.append(f"{item['name']}，价格 {span}。" if zh else f"The {item['name']} costs {span}.")
        # One feature each when the order holds several things, so the post stays readable.
        for feature in item["features"][: 2 if len(items) == 1 else 1]:
            lines.append(f"· {feature}")
        if item["suits"] and len(items) == 1:
            lines.append(f"适合：{item['suits']}" if zh else f"Who it suits: {item['suits']}")
    if facts["source"] == "order":
        lines.append(
            f"订单 {facts['order_id']} 已送达。" if zh else f"Order {facts['order_id']} arrived as planned."
        )
    lines.append(_CLOSING[(tone, language)] if owned else _WISHLIST_CLOSING[language])
    tags = [_hashtag(item["name"]) for item in items] + [
        _hashtag(item["category"]) for item in items if item["category"]
    ]
    tags.append("#购物分享" if zh else "#ShoppingDiary")
    return {
        "title": (_TITLE if owned else _WISHLIST_TITLE)[(tone, language)].format(name=name)[:MAX_TITLE],
        "body": "\n".join(lines),
        "hashtags": list(dict.fromkeys(t for t in tags if len(t) > 1))[:MAX_HASHTAGS],
    }


def post_view(post: Post) -> dict[str, Any]:
    return {
        "id": post.id,
        "shopper_id": post.shopper_id,
        "order_id": post.order_id,
        "product_id": post.product_id,
        "language": post.language,
        "tone": post.tone,
        "title": post.title,
        "body": post.body,
        "hashtags": list(post.hashtags or []),
        "status": post.status,
        "facts": post.facts,
    }


def draft_post(
    session: Session,
    shopper_id: str,
    *,
    order_id: str | None = None,
    product_id: str | None = None,
    language: str = "en",
    tone: str = "warm",
) -> dict[str, Any]:
    """Write and store a draft post; returns it with the facts it was written from."""
    facts = gather_facts(session, shopper_id, order_id=order_id, product_id=product_id, language=language)
    written = compose(facts, language=language, tone=tone)
    post = Post(
        shopper_id=shopper_id,
        order_id=facts.get("order_id"),
        product_id=facts["items"][0]["product_id"] if facts["source"] == "product" else None,
        language=language,
        tone=tone,
        facts=facts,
        status="draft",
        **written,
    )
    session.add(post)
    session.flush()
    return post_view(post)


def _clean_hashtags(hashtags: list[str]) -> list[str]:
    if len(hashtags) > MAX_HASHTAGS:
        raise InvalidInput(f"at most {MAX_HASHTAGS} hashtags")
    cleaned = []
    for tag in hashtags:
        tag = tag.strip()
        if not tag:
            continue
        tag = tag if tag.startswith("#") else f"#{tag}"
        if len(tag) > 50 or re.search(r"\s", tag):
            raise InvalidInput(f"hashtag {tag!r} must be one word of at most 50 characters")
        cleaned.append(tag)
    return list(dict.fromkeys(cleaned))


def save_post(
    session: Session,
    shopper_id: str,
    post_id: int,
    *,
    title: str | None = None,
    body: str | None = None,
    hashtags: list[str] | None = None,
) -> dict[str, Any]:
    """The shopper's edit: replace what is given, validate everything first, then save (status 'saved')."""
    post = session.get(Post, post_id)
    if post is None or post.shopper_id != shopper_id:
        raise NotFound(f"no post {post_id} of yours", code="post_not_found")
    new_title = post.title if title is None else title.strip()
    new_body = post.body if body is None else body.strip()
    if not new_title or len(new_title) > MAX_TITLE:
        raise InvalidInput(f"the title must be 1 to {MAX_TITLE} characters")
    if not new_body or len(new_body) > MAX_BODY:
        raise InvalidInput(f"the body must be 1 to {MAX_BODY} characters")
    new_tags = list(post.hashtags or []) if hashtags is None else _clean_hashtags(hashtags)
    post.title, post.body, post.hashtags, post.status = new_title, new_body, new_tags, "saved"
    session.flush()
    return post_view(post)


def list_posts(session: Session, shopper_id: str) -> list[dict[str, Any]]:
    rows = session.scalars(select(Post).where(Post.shopper_id == shopper_id).order_by(Post.id.desc()))
    return [post_view(post) for post in rows]
