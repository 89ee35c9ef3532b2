"""Answers about products already on screen: questions ("does it come in red?", "how much is the second one?"),
comparisons, and "why this?" (from memory and data)."""

from __future__ import annotations

import re
from typing import Any

from shopcopilot.agent.blocks import Block, ComparisonBlock, ProductCardsBlock, TextBlock
from shopcopilot.agent.engine import TurnContext
from shopcopilot.agent.memory import preferences
from shopcopilot.agent.product_cues import FEATURES, SUITS, USAGE
from shopcopilot.agent.state import ordinal_reference, resolve_product_reference
from shopcopilot.shopper.answers import joined, option_label, say, value_label, values_label
from shopcopilot.shopper.cards import money
from shopcopilot.shopper.vocabulary import vocabulary

_OPTION_WORDS = {"size": ["size", "sizes", "尺码", "尺寸", "大小"], "color": ["color", "colour", "colors", "colours", "颜色"],
                 "material": ["material", "materials", "材质", "材料"], "capacity": ["capacity", "容量"]}


def _knowledge_answer(card: dict[str, Any], message: str, lang: str) -> list[str]:
    """Who/when it suits, how to use and care for it, what stands out: from the product's knowledge, when asked."""
    lines = []
    if SUITS.search(message) and card.get("suits"):
        lines.append(say(lang, "answer_suits", product=card["title"], suits=card["suits"]))
        lines.extend(_switch_prices(card, card["suits"], lang))
    if USAGE.search(message) and card.get("usage"):
        lines.append(say(lang, "answer_usage", product=card["title"], usage=card["usage"]))
    if FEATURES.search(message) and card.get("features"):
        lines.append(say(lang, "answer_features", product=card["title"],
                         features=("；" if lang == "zh" else "; ").join(card["features"][:4])))
    return lines


def _switch_prices(card: dict[str, Any], text: str, lang: str) -> list[str]:
    """A yes/no option the advice names ("choose waterproof for snow"): what those variants cost here."""
    lines = []
    for name in card["option_names"]:
        values = {str(v["options"].get(name)).lower() for v in card["variants"] if name in v["options"]}
        label = option_label(name, lang)
        if values <= {"yes", "no"} and (name.lower() in text.lower() or label in text):
            having = [v for v in card["variants"] if v["available"] and str(v["options"].get(name)).lower() == "yes"]
            if having:
                lines.append(say(lang, "answer_switch", option=value_label(name, "yes", lang) if lang == "zh"
                                 else name.capitalize(), product=card["title"], prices=_prices(having, lang)))
    return lines


def target_product(ctx: TurnContext) -> str | None:
    """The product a question is about: named or pointed at, else the one in focus, else the only one shown."""
    only_shown = ctx.state.results[0] if len(ctx.state.results) == 1 else None
    return resolve_product_reference(ctx.message, ctx.state) or (
        ctx.analysis.product_ids[0] if ctx.analysis.product_ids else None) or ctx.state.focus or only_shown


def _prices(variants: list[dict[str, Any]], language: str) -> str:
    prices = sorted({v["price"] for v in variants})
    if len(prices) <= 4:
        return joined([money(p) for p in prices], language)
    return f"{money(prices[0])} - {money(prices[-1])}"


def product_question(ctx: TurnContext) -> list[Block]:
    product_id = target_product(ctx)
    if product_id is None:
        return [TextBlock(say(ctx.language, "which_product"))]
    vocab = vocabulary(ctx.session, ctx.resources)
    card = ctx.call("product_card", {"product_id": product_id})
    ctx.state.focus = product_id
    lang = ctx.language
    mentioned = vocab.match_options(ctx.message, product_id)
    if not mentioned:
        # "does it come in red?" when it never does: the value is known from other products' options.
        mentioned = {name: values for name, values in vocab.match_options(ctx.message).items()
                     if name in card["option_names"]}
    available = [v for v in card["variants"] if v["available"]]
    if mentioned:
        values = values_label(mentioned, lang)
        having = [v for v in available
                  if all(v["options"].get(name) in vals for name, vals in mentioned.items())]
        if having:
            text = say(lang, "answer_has_option", product=card["title"], values=joined(values, lang),
                       prices=_prices(having, lang))
        else:
            name = next(iter(mentioned))
            choices = sorted({str(v["options"].get(name)) for v in available if name in v["options"]})
            text = say(lang, "answer_no_option", product=card["title"], values=joined(values, lang),
                       option=option_label(name, lang),
                       choices=joined([value_label(name, c, lang) for c in choices], lang))
    elif knowledge := _knowledge_answer(card, ctx.message, lang):
        text = "\n".join(knowledge)
    elif re.search(r"how much|price|cost|多少钱|价格|价钱", ctx.message, re.I):
        text = say(lang, "answer_price", product=card["title"], low=money(card["price_min"]),
                   high=money(card["price_max"]))
    else:
        asked = [name for name in card["option_names"]
                 if any(word in ctx.message.lower() for word in _OPTION_WORDS.get(name.lower(), [name.lower()]))]
        names = asked or card["option_names"]
        listing = ("；" if lang == "zh" else "; ").join(
            f"{option_label(name, lang)}: " + joined(
                [value_label(name, value, lang)
                 for value in sorted({str(v['options'][name]) for v in available if name in v['options']})], lang)
            for name in names)
        text = say(lang, "answer_options", product=card["title"], listing=listing)
    return [TextBlock(text), ProductCardsBlock(cards=[card])]


def _compared_products(ctx: TurnContext) -> list[str]:
    if len(ctx.analysis.product_ids) >= 2:
        return ctx.analysis.product_ids[:4]
    positions = [int(m) for m in re.findall(r"\b([1-5])\b", ctx.message)]
    words = re.findall(r"first|second|third|fourth|fifth|last|第[一二三四五]", ctx.message, re.I)
    if words:
        positions = [p for p in (ordinal_reference(w) for w in words) if p is not None]
    results = ctx.state.results
    chosen = [results[p - 1 if p > 0 else -1] for p in positions if -1 <= p - 1 < len(results)]
    if len(chosen) >= 2:
        return list(dict.fromkeys(chosen))
    return results[:4]


def compare(ctx: TurnContext) -> list[Block]:
    products = _compared_products(ctx)
    if len(products) < 2:
        return [TextBlock(say(ctx.language, "compare_need_two"))]
    cards = [ctx.call("product_card", {"product_id": pid}) for pid in products]
    rows: list[dict[str, Any]] = [
        {"attribute": "price", "values": [c["price_range"] for c in cards]},
        {"attribute": "available options", "values": [sum(v["available"] for v in c["variants"]) for c in cards]},
    ]
    names: list[str] = []
    for card in cards:
        names.extend(name for name in card["option_names"] if name not in names)
    for name in names:
        rows.append({"attribute": name, "values": [
            ", ".join(sorted({str(v["options"][name]) for v in c["variants"] if name in v["options"]})) or "-"
            for c in cards]})
    if any(c["features"] for c in cards):
        rows.append({"attribute": "features", "values": ["; ".join(c["features"][:3]) for c in cards]})
    ctx.state.results = products
    return [TextBlock(say(ctx.language, "compare_intro")),
            ComparisonBlock(product_ids=products, columns=[c["title"] for c in cards], rows=rows)]


def explain(ctx: TurnContext) -> list[Block]:
    """'Why this?': the reasons recorded when it was picked, the shopper's memory that bears on it, and its data."""
    product_id = target_product(ctx) or (ctx.state.results[0] if ctx.state.results else None)
    if product_id is None:
        return [TextBlock(say(ctx.language, "which_product"))]
    lang = ctx.language
    card = ctx.call("product_card", {"product_id": product_id})
    lines = [say(lang, "explain_intro", product=card["title"])]
    lines.extend(ctx.state.slots.get("why", {}).get(product_id, []))
    prefs = preferences(ctx.session, ctx.shopper_id)
    offered = {name.lower(): {str(v["options"][name]).lower() for v in card["variants"] if name in v["options"]}
               for name in card["option_names"]}
    for attribute, values in prefs.likes.items():
        for value in values:
            if any(attribute in name and value in vals for name, vals in offered.items()):
                source = prefs.sources.get((attribute, value), "")
                lines.append(("你喜欢 {v}（来自：{s}）" if lang == "zh" else "You like {v} (from your {s}).")
                             .format(v=value, s=source))
    for attribute, values in prefs.avoids.items():
        for value in values:
            if any(attribute in name and value in vals for name, vals in offered.items()):
                lines.append(("已排除 {v} 款（您说过：{n}）" if lang == "zh" else "Variants with {v} are left out "
                              "(you said: \"{n}\").").format(v=value, n=prefs.notes.get((attribute, value), "")))
    if card["reason"]:
        lines.append(card["reason"])
    listing = "; ".join(f"{name}: {', '.join(sorted(vals))}" for name, vals in offered.items())
    lines.append(say(lang, "explain_data", product=card["title"], low=money(card["price_min"]),
                     high=money(card["price_max"]), listing=listing))
    ctx.state.focus = product_id
    return [TextBlock("\n".join(lines))]
