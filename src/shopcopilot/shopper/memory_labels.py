"""How a remembered preference reads to the shopper: "颜色：黑色（来自订单）" rather than the stored
"color: black (orders)". Memory stores English option values, category ids and price bands; this module puts
them back into the answer's language."""

from __future__ import annotations

from typing import Any

from shopcopilot.agent.engine import TurnContext
from shopcopilot.catalog.content import category_names, has_option_translation, translate_option_value
from shopcopilot.shopper.answers import product_label
from shopcopilot.shopper.cards import money

ATTRIBUTE_ZH = {"category": "类目", "product": "商品", "color": "颜色", "material": "材质",
                "price_band": "价格区间", "size": "尺码", "other": "其他"}
POLARITY_ZH = {"like": "喜欢", "avoid": "不要"}
SOURCE_ZH = {"explicit": "您告诉我的", "orders": "来自订单", "cart": "来自购物车", "browsing": "来自浏览记录"}


def memory_value_label(ctx: TurnContext, attribute: str, value: str) -> str:
    """A remembered value in the answer's language (memory keeps colours and materials lower-cased)."""
    if attribute == "price_band":
        low, _, high = value.partition("-")
        try:
            return f"{money(float(low))} - {money(float(high))}"
        except ValueError:
            return value
    if ctx.language != "zh":
        return value
    if attribute == "category":
        names = category_names().get(value)
        return names["name_zh"] if names and names.get("name_zh") else value
    if attribute == "product":
        from shopcopilot.shopper.vocabulary import vocabulary

        info = vocabulary(ctx.session, ctx.resources).products.get(value)
        return product_label(info.name, info.name_zh, "zh") if info else value
    option = attribute if attribute in ("color", "material", "size") else ""
    for form in (value, value.upper(), value.title()):
        if has_option_translation(option, form):
            return translate_option_value(option, form)
    return value


def memory_line(ctx: TurnContext, item: dict[str, Any]) -> str:
    """One line of "what do you remember about me?"."""
    value = memory_value_label(ctx, item["attribute"], str(item["value"]))
    if ctx.language != "zh":
        return f"- #{item['id']} {item['polarity']} {item['attribute']}: {value} ({item['source']})"
    polarity = POLARITY_ZH.get(item["polarity"], item["polarity"])
    attribute = ATTRIBUTE_ZH.get(item["attribute"], item["attribute"])
    source = SOURCE_ZH.get(item["source"], item["source"])
    return f"- #{item['id']} {polarity} {attribute}：{value}（{source}）"
