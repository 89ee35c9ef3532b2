"""What a message names from the store: products (English or Chinese names) and option values.

Built from the catalog tables (and the content engineer's `option_lexicon()` when present), cached per
assistant and rebuilt when the catalog changes.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shopcopilot.agent.memory import ZH_VALUES
from shopcopilot.catalog.content import zh_value_index
from shopcopilot.catalog.models import Product, Variant

AMBIGUOUS_VALUES = {"yes", "no", "none"}
AMBIGUOUS_ZH = {"是", "否", "无", "有", "电", "高", "低"}

# Chinese names for the retail store's product types, used when the catalog has no name_zh.
ZH_PRODUCT_NAMES = {
    "T-Shirt": ["T恤", "t恤", "短袖"], "Laptop": ["笔记本电脑", "手提电脑"], "Running Shoes": ["跑鞋", "跑步鞋"],
    "Smartphone": ["智能手机", "手机"], "Backpack": ["双肩包", "背包"], "Coffee Maker": ["咖啡机"],
    "Water Bottle": ["水杯", "水瓶", "水壶"], "Desk Lamp": ["台灯"], "Notebook": ["笔记本子", "本子", "记事本"],
    "Sunglasses": ["太阳镜", "墨镜"], "Wristwatch": ["手表", "腕表"], "Electric Toothbrush": ["电动牙刷"],
    "Yoga Mat": ["瑜伽垫"], "Bluetooth Speaker": ["蓝牙音箱", "音箱"], "Gaming Mouse": ["游戏鼠标", "鼠标"],
    "Action Camera": ["运动相机"], "Garden Hose": ["花园水管", "水管"], "Hiking Boots": ["登山靴", "徒步鞋"],
    "Tablet": ["平板电脑", "平板"], "E-Reader": ["电子书阅读器", "阅读器"], "Portable Charger": ["充电宝", "移动电源"],
    "Indoor Security Camera": ["室内监控摄像头", "监控摄像头", "摄像头"], "Electric Kettle": ["电热水壶"],
    "Mechanical Keyboard": ["机械键盘", "键盘"], "Wireless Earbuds": ["无线耳机", "蓝牙耳机"],
    "Smart Thermostat": ["智能温控器", "温控器"], "Fleece Jacket": ["抓绒外套", "抓绒夹克"], "Wall Clock": ["挂钟"],
    "Dumbbell Set": ["哑铃"], "Pet Bed": ["宠物床", "狗窝", "猫窝"], "Espresso Machine": ["意式咖啡机"],
    "Cycling Helmet": ["骑行头盔", "头盔"], "LED Light Bulb": ["LED灯泡", "灯泡"], "Digital Camera": ["数码相机", "相机"],
    "Bookshelf": ["书架"], "Bicycle": ["自行车", "单车"], "Sneakers": ["运动鞋", "球鞋"], "Office Chair": ["办公椅", "椅子"],
    "Smart Watch": ["智能手表"], "Tea Kettle": ["茶壶", "烧水壶"], "Luggage Set": ["行李箱", "箱包"],
    "Patio Umbrella": ["庭院伞", "遮阳伞"], "Air Purifier": ["空气净化器"], "Makeup Kit": ["化妆套装", "化妆品"],
    "Skateboard": ["滑板"], "Jigsaw Puzzle": ["拼图"], "Grill": ["烧烤架", "烤炉"], "Headphones": ["头戴式耳机", "耳机"],
    "Vacuum Cleaner": ["吸尘器"], "Perfume": ["香水"],
}
EN_SYNONYMS = {
    "T-Shirt": ["tshirt", "t shirt", "tee", "tees"], "Smartphone": ["phone", "cell phone", "mobile phone"],
    "Wireless Earbuds": ["earbuds", "earphones"], "Portable Charger": ["power bank", "charger"],
    "Bicycle": ["bike"], "Wristwatch": ["watch"], "Sneakers": ["sneaker"], "E-Reader": ["ereader", "kindle"],
    "Indoor Security Camera": ["security camera"], "Luggage Set": ["luggage", "suitcase"],
    "Headphones": ["headphone", "headset"], "Gaming Mouse": ["mouse"], "Mechanical Keyboard": ["keyboard"],
    "Office Chair": ["chair"], "Yoga Mat": ["mat"], "Dumbbell Set": ["dumbbells", "dumbbell"],
}
_SHORT_VALUE = re.compile(r"^(?:[A-Z]{1,3}|\d+(?:\.\d+)?)$")


@dataclass
class ProductInfo:
    id: str
    name: str
    name_zh: str | None
    category_id: str | None
    merchant_id: str
    consumable: bool
    options: dict[str, list[str]]
    price_min: float
    price_max: float


@dataclass
class Vocabulary:
    products: dict[str, ProductInfo] = field(default_factory=dict)
    product_patterns: list[tuple[re.Pattern[str], str]] = field(default_factory=list)
    value_zh: dict[str, str] = field(default_factory=dict)
    """Chinese word -> English option value."""
    built_at: float = 0.0
    signature: tuple = ()

    def match_products(self, text: str) -> list[str]:
        found: list[str] = []
        spans: list[tuple[int, int]] = []
        for pattern, product_id in self.product_patterns:
            for match in pattern.finditer(text):
                if any(start <= match.start() < end for start, end in spans):
                    continue  # "Smart Watch" already matched; do not also match "watch"
                spans.append((match.start(), match.end()))
                if product_id not in found:
                    found.append(product_id)
        return found

    def match_options(self, text: str, product_id: str | None = None) -> dict[str, list[str]]:
        """Option values named in the text, as {option name: [values]} of the product (or of any product)."""
        # A word inside a product's own name is not an option request: "头戴式耳机" names the headphones,
        # it does not ask for over-ear ones.
        for pattern, _product_id in self.product_patterns:
            if any("\u4e00" <= ch <= "\u9fff" for ch in pattern.pattern):
                text = pattern.sub(" ", text)
        lowered = text.lower()
        for zh, en in sorted(self.value_zh.items(), key=lambda kv: -len(kv[0])):
            if zh in text:
                # Marked as well, so a short value said in Chinese ("M码" -> M) needs no option name beside it.
                lowered += f" {en.lower()} \u27e8{en.lower()}\u27e9"
        infos = [self.products[product_id]] if product_id in self.products else list(self.products.values())
        found: dict[str, list[str]] = {}
        for info in infos:
            for name, values in info.options.items():
                for value in sorted(values, key=len, reverse=True):
                    if _mentions_value(lowered, name.lower(), value):
                        bucket = found.setdefault(name, [])
                        if value not in bucket:
                            bucket.append(value)
        return found


def _mentions_value(lowered: str, name: str, value: str) -> bool:
    # Every form below contains the value itself: a substring test first spares ~12k regex searches a turn.
    if value.lower() not in lowered:
        return False
    if f"\u27e8{value.lower()}\u27e9" in lowered:
        return True
    v = re.escape(value.lower())
    if _SHORT_VALUE.match(value):
        # "M", "10", "1000": only with the option's name beside it ("size M", "1000 pieces").
        n = re.escape(name)
        return bool(re.search(rf"\b{n}\s*(?:is\s*|of\s*|:\s*)?{v}(?![\w.])|(?<![\w.]){v}\s*{n}\b", lowered))
    return bool(re.search(rf"(?<![\w-]){v}(?![\w-])", lowered))


def _catalog_signature(session: Session) -> tuple:
    variants = select(func.count(Variant.id)).scalar_subquery()
    updated = select(func.max(Product.updated_at)).scalar_subquery()
    return tuple(session.execute(select(variants, updated)).one())


def build_vocabulary(session: Session) -> Vocabulary:
    vocab = Vocabulary(built_at=time.monotonic(), signature=_catalog_signature(session))
    rows = session.execute(
        select(Product.id, Product.name, Product.name_zh, Product.category_id, Product.merchant_id,
               Product.consumable, Variant.options, Variant.price)
        .join(Variant, Variant.product_id == Product.id)
        .order_by(Product.position, Product.id, Variant.position)
    ).all()
    for pid, name, name_zh, category_id, merchant_id, consumable, options, price in rows:
        info = vocab.products.get(pid)
        if info is None:
            info = vocab.products[pid] = ProductInfo(pid, name, name_zh, category_id, merchant_id,
                                                     bool(consumable), {}, price, price)
        info.price_min, info.price_max = min(info.price_min, price), max(info.price_max, price)
        for key, value in (options or {}).items():
            values = info.options.setdefault(key, [])
            if str(value) not in values:
                values.append(str(value))
    patterns: list[tuple[str, str, bool]] = []  # (alias, product id, is latin)
    for info in vocab.products.values():
        patterns.append((info.name, info.id, True))
        for alias in EN_SYNONYMS.get(info.name, []):
            patterns.append((alias, info.id, True))
        zh_names = ([info.name_zh] if info.name_zh else []) + ZH_PRODUCT_NAMES.get(info.name, [])
        for alias in zh_names:
            patterns.append((alias, info.id, False))
    # Longest alias first, so "Smart Watch" wins over "watch" and "意式咖啡机" over "咖啡机".
    for alias, pid, latin in sorted(patterns, key=lambda p: -len(p[0])):
        escaped = re.escape(alias.lower()).replace(r"\-", "[- ]?").replace(r"\ ", r"[- ]?")
        regex = rf"(?<![a-z]){escaped}(?:e?s)?(?![a-z])" if latin else escaped
        vocab.product_patterns.append((re.compile(regex, re.I), pid))
    vocab.value_zh = dict(ZH_VALUES)
    for zh, en in zh_value_index().items():
        # "是"/"否" (yes/no) and "无" (none) only mean something next to their option name; alone they are
        # everyday words ("是的") and would turn a confirmation into a product search.
        if en not in AMBIGUOUS_VALUES and zh not in AMBIGUOUS_ZH:
            vocab.value_zh.setdefault(zh, en)
    return vocab


def vocabulary(session: Session, resources: dict) -> Vocabulary:
    """The cached vocabulary, rebuilt when the catalog changed (checked at most every 5 seconds)."""
    vocab: Vocabulary | None = resources.get("vocabulary")
    now = time.monotonic()
    if vocab is not None and now - vocab.built_at < 5.0:
        return vocab
    if vocab is not None and _catalog_signature(session) == vocab.signature:
        vocab.built_at = now
        return vocab
    vocab = build_vocabulary(session)
    resources["vocabulary"] = vocab
    return vocab
