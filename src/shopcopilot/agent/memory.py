"""Long-term memory per shopper: preferences learned from orders, cart and browsing, and explicit statements.

Learned items are recomputed from the data (`refresh_learned`); explicit ones ("I'm allergic to wool",
"我不喜欢黑色") stay until the shopper edits or deletes them. Every item says where it came from, so any
recommendation can explain itself ("why this?").
"""

from __future__ import annotations

import contextlib
import re
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from shopcopilot.agent.models import MemoryItem
from shopcopilot.catalog.models import Product, Variant
from shopcopilot.commerce.models import BrowsingEvent, Cart, CartLine, Order, OrderItem
from shopcopilot.errors import InvalidInput, NotFound

ATTRIBUTES = ("category", "product", "color", "material", "price_band", "size", "other")
POLARITIES = ("like", "avoid")
LEARNED_SOURCES = ("orders", "cart", "browsing")

# Option names whose values count as a colour or a material preference.
COLOR_OPTIONS = {"color", "frame color", "lens color", "dial color"}
MATERIAL_OPTIONS = {"material", "strap material", "band material", "frame material", "deck material"}

# Words for colours and materials a shopper may name that the store's options use in English.
ZH_VALUES = {
    "黑色": "black", "黑": "black", "白色": "white", "白": "white", "红色": "red", "红": "red",
    "蓝色": "blue", "蓝": "blue", "绿色": "green", "绿": "green", "灰色": "grey", "灰": "grey",
    "紫色": "purple", "紫": "purple", "粉色": "pink", "粉红": "pink", "金色": "gold", "银色": "silver",
    "棕色": "brown", "咖啡色": "brown", "米色": "beige", "黄色": "yellow", "黄": "yellow", "藏青": "navy",
    "羊毛": "wool", "皮革": "leather", "真皮": "leather", "皮": "leather", "棉": "cotton", "纯棉": "cotton",
    "涤纶": "polyester", "聚酯": "polyester", "尼龙": "nylon", "塑料": "plastic", "玻璃": "glass",
    "不锈钢": "stainless steel", "金属": "metal", "木": "wood", "木质": "wood", "橡胶": "rubber",
    "乳胶": "latex", "硅胶": "silicone", "网布": "mesh", "竹": "bamboo", "陶瓷": "ceramic", "帆布": "canvas",
}
COLORS = {"black", "white", "red", "blue", "green", "grey", "gray", "purple", "pink", "gold", "silver",
          "brown", "beige", "yellow", "navy", "rose gold", "space grey", "stainless steel", "wood"}
MATERIALS = {"wool", "leather", "cotton", "polyester", "nylon", "plastic", "glass", "stainless steel", "metal",
             "wood", "rubber", "latex", "silicone", "mesh", "bamboo", "ceramic", "canvas", "fleece", "synthetic",
             "fabric", "iron", "urethane", "vinyl", "maple", "pvc", "tpe", "natural rubber", "memory foam"}


@dataclass(frozen=True)
class Statement:
    """A preference stated in a message."""

    attribute: str
    value: str
    polarity: str
    note: str


_AVOID_EN = re.compile(
    r"\b(?:i am|i'm|im)\s+allergic\s+to\s+(?P<a>[a-z ]+?)(?:[.,!;]|$)"
    r"|\bi\s+(?:don't|do not|dont|never)\s+(?:like|want|wear|buy)\s+(?P<b>[a-z ]+?)(?:[.,!;]|$)"
    r"|\bi\s+(?:hate|dislike|avoid)\s+(?P<c>[a-z ]+?)(?:[.,!;]|$)"
    r"|\bno\s+more\s+(?P<d>[a-z ]+?)(?:[.,!;]|$)",
    re.I,
)
_LIKE_EN = re.compile(
    r"\bi\s+(?:really\s+)?(?:like|love|prefer)\s+(?P<a>[a-z ]+?)(?:[.,!;]|$)"
    r"|\bmy\s+favou?rite\s+(?:colou?r|material)\s+is\s+(?P<b>[a-z ]+?)(?:[.,!;]|$)",
    re.I,
)
_AVOID_ZH = re.compile(r"(?:我)?(?:不喜欢|讨厌|不要|不想要|对)(?P<a>[\u4e00-\u9fff]{1,4}?)(?:过敏)?(?:的|[。，,!！]|$)")
_ALLERGIC_ZH = re.compile(r"对(?P<a>[\u4e00-\u9fff]{1,4}?)过敏")
_LIKE_ZH = re.compile(r"我(?:喜欢|偏爱|最爱)(?P<a>[\u4e00-\u9fff]{1,4}?)(?:的|[。，,!！]|$)")


def _classify_value(value: str) -> tuple[str, str] | None:
    value = value.strip().lower()
    value = re.sub(r"^(?:the|any|anything|things made of|items made of)\s+", "", value)
    value = re.sub(r"\s+(?:things|items|products|stuff|color|colour|ones)$", "", value)
    value = ZH_VALUES.get(value, value)
    if value == "gray":
        value = "grey"
    if value in MATERIALS:
        return "material", value
    if value in COLORS:
        return "color", value
    return None


def parse_statement(text: str) -> Statement | None:
    """The preference a message states, if it states one about a colour or material the store knows of."""
    note = text.strip()
    for pattern, polarity in ((_AVOID_EN, "avoid"), (_LIKE_EN, "like")):
        match = pattern.search(text)
        if match:
            raw = next(group for group in match.groups() if group)
            classified = _classify_value(raw)
            if classified:
                return Statement(classified[0], classified[1], polarity, note)
    for pattern, polarity in ((_ALLERGIC_ZH, "avoid"), (_AVOID_ZH, "avoid"), (_LIKE_ZH, "like")):
        for match in pattern.finditer(text):
            raw = match.group("a")
            # Try the longest known word inside the captured span ("黑色的" -> "黑色").
            for size in range(len(raw), 0, -1):
                for start in range(0, len(raw) - size + 1):
                    classified = _classify_value(raw[start : start + size])
                    if classified:
                        return Statement(classified[0], classified[1], polarity, note)
    return None


def remember(session: Session, shopper_id: str, statement: Statement) -> MemoryItem:
    """Store an explicit statement; a contrary one about the same value replaces the old one."""
    existing = session.scalars(
        select(MemoryItem).where(
            MemoryItem.shopper_id == shopper_id,
            MemoryItem.attribute == statement.attribute,
            MemoryItem.value == statement.value,
            MemoryItem.source == "explicit",
        )
    ).first()
    if existing:
        existing.polarity = statement.polarity
        existing.note = statement.note
        session.flush()
        return existing
    item = MemoryItem(
        shopper_id=shopper_id,
        attribute=statement.attribute,
        value=statement.value,
        polarity=statement.polarity,
        source="explicit",
        weight=1.0,
        note=statement.note,
    )
    session.add(item)
    session.flush()
    return item


def list_memory(session: Session, shopper_id: str) -> list[MemoryItem]:
    return list(
        session.scalars(
            select(MemoryItem)
            .where(MemoryItem.shopper_id == shopper_id)
            .order_by(MemoryItem.source != "explicit", MemoryItem.weight.desc(), MemoryItem.id)
        )
    )


def _owned(session: Session, shopper_id: str, item_id: int) -> MemoryItem:
    item = session.get(MemoryItem, item_id)
    if item is None or item.shopper_id != shopper_id:
        raise NotFound(f"memory item {item_id} not found for this shopper")
    return item


def add_memory(
    session: Session, shopper_id: str, *, attribute: str, value: str, polarity: str = "like", note: str = ""
) -> MemoryItem:
    attribute, value, polarity = _validated(attribute, value, polarity)
    return remember(session, shopper_id, Statement(attribute, value, polarity, note or value))


def edit_memory(
    session: Session,
    shopper_id: str,
    item_id: int,
    *,
    value: str | None = None,
    polarity: str | None = None,
    attribute: str | None = None,
    note: str | None = None,
) -> MemoryItem:
    item = _owned(session, shopper_id, item_id)
    attr, val, pol = _validated(attribute or item.attribute, value or item.value, polarity or item.polarity)
    item.attribute, item.value, item.polarity = attr, val, pol
    if note is not None:
        item.note = note
    # An edited item is the shopper's word now: recomputing learned items must not overwrite it.
    item.source = "explicit"
    session.flush()
    return item


def delete_memory(session: Session, shopper_id: str, item_id: int) -> None:
    session.delete(_owned(session, shopper_id, item_id))
    session.flush()


def _validated(attribute: str, value: str, polarity: str) -> tuple[str, str, str]:
    attribute = (attribute or "").strip().lower()
    value = (value or "").strip()
    polarity = (polarity or "").strip().lower()
    if attribute not in ATTRIBUTES:
        raise InvalidInput(f"attribute must be one of {', '.join(ATTRIBUTES)}; got {attribute!r}")
    if polarity not in POLARITIES:
        raise InvalidInput(f"polarity must be 'like' or 'avoid'; got {polarity!r}")
    if not value or len(value) > 200:
        raise InvalidInput("value must be 1 to 200 characters")
    return attribute, value.lower() if attribute in ("color", "material") else value, polarity


def _price_band(prices: list[float]) -> str | None:
    if not prices:
        return None
    prices = sorted(prices)
    low, high = prices[len(prices) // 4], prices[(3 * len(prices)) // 4]
    return f"{low:.2f}-{high:.2f}"


def refresh_learned(session: Session, shopper_id: str) -> list[MemoryItem]:
    """Recompute learned preferences from orders (weight 3), cart (2) and browsing (1)."""
    session.execute(
        delete(MemoryItem).where(MemoryItem.shopper_id == shopper_id, MemoryItem.source.in_(LEARNED_SOURCES))
    )
    explicit = {(m.attribute, m.value) for m in list_memory(session, shopper_id)}
    scores: Counter[tuple[str, str]] = Counter()
    source_of: dict[tuple[str, str], str] = {}
    prices: list[float] = []

    def credit(attribute: str, value: str, weight: float, source: str) -> None:
        key = (attribute, value)
        scores[key] += weight
        if key not in source_of or weight >= {"orders": 3, "cart": 2, "browsing": 1}[source_of[key]]:
            source_of[key] = source

    def credit_options(options: dict, weight: float, source: str) -> None:
        for name, value in (options or {}).items():
            name = name.lower()
            if name in COLOR_OPTIONS:
                credit("color", str(value).lower(), weight, source)
            elif name in MATERIAL_OPTIONS:
                credit("material", str(value).lower(), weight, source)

    ordered = session.execute(
        select(OrderItem.product_id, OrderItem.options, OrderItem.price, Product.category_id)
        .join(Order, Order.id == OrderItem.order_id)
        .outerjoin(Product, Product.id == OrderItem.product_id)
        .where(Order.shopper_id == shopper_id, Order.status != "cancelled")
    ).all()
    for _product_id, options, price, category_id in ordered:
        credit_options(options, 3.0, "orders")
        if category_id:
            credit("category", category_id, 3.0, "orders")
        prices.append(price)
    carted = session.execute(
        select(Variant.options, Variant.price, Product.category_id)
        .join(CartLine, CartLine.variant_id == Variant.id)
        .join(Cart, Cart.id == CartLine.cart_id)
        .join(Product, Product.id == Variant.product_id)
        .where(Cart.shopper_id == shopper_id)
    ).all()
    for options, price, category_id in carted:
        credit_options(options, 2.0, "cart")
        if category_id:
            credit("category", category_id, 2.0, "cart")
        prices.append(price)
    browsed = session.execute(
        select(BrowsingEvent.product_id, Product.category_id)
        .outerjoin(Product, Product.id == BrowsingEvent.product_id)
        .where(BrowsingEvent.shopper_id == shopper_id, BrowsingEvent.product_id.is_not(None))
        .order_by(BrowsingEvent.id.desc())
        .limit(50)
    ).all()
    for _product_id, category_id in browsed:
        if category_id:
            credit("category", category_id, 1.0, "browsing")

    items: list[MemoryItem] = []
    for (attribute, value), score in scores.most_common():
        if (attribute, value) in explicit or score < 2.0:
            continue  # one glance is not a preference; the shopper's own word wins
        items.append(
            MemoryItem(
                shopper_id=shopper_id,
                attribute=attribute,
                value=value,
                polarity="like",
                source=source_of[(attribute, value)],
                weight=float(score),
                note="",
            )
        )
    band = _price_band(prices)
    if band and ("price_band", band) not in explicit:
        items.append(
            MemoryItem(shopper_id=shopper_id, attribute="price_band", value=band, polarity="like",
                       source="orders", weight=float(len(prices)), note="")
        )
    session.add_all(items)
    session.flush()
    return items


@dataclass
class Preferences:
    """Memory in the shape skills use."""

    likes: dict[str, list[str]]
    avoids: dict[str, list[str]]
    notes: dict[tuple[str, str], str]
    sources: dict[tuple[str, str], str]
    price_band: tuple[float, float] | None

    @classmethod
    def empty(cls) -> Preferences:
        return cls({}, {}, {}, {}, None)


def preferences(session: Session, shopper_id: str | None) -> Preferences:
    if not shopper_id:
        return Preferences.empty()
    prefs = Preferences.empty()
    for item in list_memory(session, shopper_id):
        if item.attribute == "price_band" and item.polarity == "like":
            low, _, high = item.value.partition("-")
            with contextlib.suppress(ValueError):
                prefs.price_band = (float(low), float(high))
            continue
        target = prefs.avoids if item.polarity == "avoid" else prefs.likes
        target.setdefault(item.attribute, []).append(item.value)
        prefs.notes[(item.attribute, item.value)] = item.note
        prefs.sources[(item.attribute, item.value)] = item.source
    return prefs
