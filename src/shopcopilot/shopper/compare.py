"""Help me choose: compare two (to four) products, in one category or across categories (a kettle against an
espresso machine): shared and differing attributes, price and price per unit where the pack says how much is in
it, pros and cons for the shopper's stated need, and a verdict with its reasons. Every value comes from the store.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shopcopilot.agent.memory import preferences
from shopcopilot.catalog.models import Category, Variant
from shopcopilot.commerce.models import BrowsingEvent, Cart, CartLine
from shopcopilot.errors import InvalidInput
from shopcopilot.shopper.answers import option_label, value_label
from shopcopilot.shopper.cards import load_product, money
from shopcopilot.shopper.vocabulary import EN_SYNONYMS, ZH_PRODUCT_NAMES

MAX_COMPARED = 4
_BUDGET_NEED = re.compile(
    r"\bcheap|\bbudget\b|\bafford|\bsave money\b|\binexpensive\b|便宜|实惠|省钱|性价比|预算", re.I
)
_STOP = {
    "the",
    "and",
    "for",
    "with",
    "that",
    "this",
    "want",
    "need",
    "something",
    "which",
    "one",
    "better",
    "compare",
    "what",
    "are",
    "is",
    "to",
    "of",
    "in",
    "on",
    "my",
    "me",
    "it",
    "or",
    "vs",
    "versus",
    "between",
    "a",
    "an",
    "i",
    "you",
    "do",
    "should",
    "buy",
    "get",
    "use",
    "using",
    "them",
    "two",
    "both",
    "help",
    "choose",
    "make",
    "like",
    "good",
    "best",
    "would",
    "could",
    "every",
    "day",
    "products",
    "product",
    "items",
    "thing",
    "things",
}
# Quantities a price per unit can be computed from: option values such as "2L", "1.5 liters", "500 g".
_QUANTITY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ml|l|liters?|litres?|g|kg|pieces|pcs|cups?)\s*$", re.I)
_UNIT_SCALE = {
    "ml": ("L", 0.001),
    "l": ("L", 1.0),
    "liter": ("L", 1.0),
    "liters": ("L", 1.0),
    "litre": ("L", 1.0),
    "litres": ("L", 1.0),
    "g": ("kg", 0.001),
    "kg": ("kg", 1.0),
    "pieces": ("piece", 1.0),
    "pcs": ("piece", 1.0),
    "cup": ("cup", 1.0),
    "cups": ("cup", 1.0),
}
_PACK_UNITS = {"g": ("kg", 0.001), "ml": ("L", 0.001), "kg": ("kg", 1.0), "l": ("L", 1.0)}


@dataclass
class Compared:
    product_id: str
    title: str
    category_id: str | None
    category: str
    price_min: float | None
    price_max: float | None
    available: int
    variants: int
    options: dict[str, set[str]]
    per_unit: tuple[float, str] | None
    text: str
    features: list[str]
    name_en: str = ""
    name_zh: str = ""


def _unit_price(variant: Variant, pack_unit: str | None) -> tuple[float, str] | None:
    """(price per unit, unit) of one variant: from its pack quantity, else from a quantity-like option value."""
    if variant.unit_quantity and pack_unit:
        unit, scale = _PACK_UNITS.get(pack_unit.lower(), (pack_unit, 1.0))
        return variant.price / (variant.unit_quantity * scale), unit
    for value in (variant.options or {}).values():
        match = _QUANTITY.match(str(value))
        if match and float(match.group(1)) > 0:
            unit, scale = _UNIT_SCALE[match.group(2).lower()]
            return variant.price / (float(match.group(1)) * scale), unit
    return None


def _describe(session: Session, product_id: str, language: str) -> Compared:
    product = load_product(session, product_id)
    zh = language == "zh"
    content = product.content
    category = session.get(Category, product.category_id) if product.category_id else None
    live = [v for v in product.variants if v.available]
    prices = [v.price for v in (live or product.variants)]
    options: dict[str, set[str]] = {}
    for variant in live or product.variants:
        for name, value in (variant.options or {}).items():
            options.setdefault(name, set()).add(str(value))
    # A price per unit means something for what is used up (a 2L kettle is not "per litre").
    sold_by_quantity = bool(product.unit) or product.consumable
    unit_prices = [u for u in (_unit_price(v, product.unit) for v in live) if u] if sold_by_quantity else []
    per_unit = min(unit_prices) if unit_prices and len({u[1] for u in unit_prices}) == 1 else None
    features = list((content.features_zh or content.features) if zh else content.features) if content else []
    parts = [product.name, product.name_zh or ""]
    if content:
        parts += [
            content.description,
            content.description_zh,
            content.suits,
            content.suits_zh,
            content.usage,
            content.usage_zh,
            *content.features,
            *content.features_zh,
            *(content.keywords or []),
        ]
    parts += [value for values in options.values() for value in values]
    return Compared(
        product_id=product.id,
        title=(product.name_zh or product.name) if zh else product.name,
        category_id=product.category_id,
        category=((category.name_zh or category.name) if zh else category.name) if category else "-",
        price_min=min(prices) if prices else None,
        price_max=max(prices) if prices else None,
        available=len(live),
        variants=len(product.variants),
        options=options,
        per_unit=per_unit,
        text=" ".join(p for p in parts if p).lower(),
        features=features[:3],
        name_en=product.name,
        name_zh=product.name_zh or "",
    )


def need_terms(need: str) -> list[str]:
    """The words of a stated need worth looking for in product texts (English words, Chinese segments)."""
    terms: list[str] = [w for w in re.findall(r"[a-z][a-z-]{2,}", need.lower()) if w not in _STOP]
    chinese = "".join(re.findall(r"[\u4e00-\u9fff]+", need))
    if chinese:
        import jieba

        terms += [
            w
            for w in jieba.lcut(chinese)
            if len(w) >= 2
            and w not in {"比较", "对比", "哪个", "需要", "想要", "适合", "一个", "用来", "帮我"}
        ]
    return list(dict.fromkeys(terms))


def _stem(term: str) -> str:
    """A crude English stem, enough for 'making' to meet 'make' and 'kettles' to meet 'kettle'."""
    if term.endswith("ing") and len(term) > 5:
        return term[:-3]
    if term.endswith("s") and len(term) > 4:
        return term[:-1]
    return term


def _stem_hit(term: str, text: str) -> bool:
    return _hit_count(term, text) > 0


def _hit_count(term: str, text: str) -> int:
    if re.search(r"[\u4e00-\u9fff]", term):
        return text.count(term)
    return len(re.findall(rf"\b{re.escape(_stem(term))}", text))


def _range(item: Compared) -> str:
    if item.price_min is None:
        return "-"
    if item.price_min == item.price_max:
        return money(item.price_min)
    return f"{money(item.price_min)} - {money(item.price_max)}"


def compare_products(
    session: Session,
    product_ids: list[str],
    *,
    need: str = "",
    language: str = "en",
    shopper_id: str | None = None,
) -> dict[str, Any]:
    """The comparison table, pros and cons for the need, and a verdict with reasons. Changes nothing."""
    product_ids = list(dict.fromkeys(product_ids))
    if not 2 <= len(product_ids) <= MAX_COMPARED:
        raise InvalidInput(f"compare 2 to {MAX_COMPARED} different products, got {len(product_ids)}")
    zh = language == "zh"
    items = [_describe(session, pid, language) for pid in product_ids]
    same_category = len({i.category_id for i in items}) == 1
    rows: list[dict[str, Any]] = [
        {
            "attribute": "类目" if zh else "category",
            "values": [i.category for i in items],
            "kind": "shared" if same_category else "differs",
        },
        {"attribute": "价格" if zh else "price", "values": [_range(i) for i in items], "kind": "differs"},
    ]
    units = {i.per_unit[1] for i in items if i.per_unit}
    if any(i.per_unit for i in items):
        rows.append(
            {
                "attribute": "单价" if zh else "price per unit",
                "values": [f"{money(i.per_unit[0])}/{i.per_unit[1]}" if i.per_unit else "-" for i in items],
                "kind": "differs" if len(units) == 1 else "not comparable",
            }
        )
    rows.append(
        {
            "attribute": "有货款式" if zh else "available variants",
            "values": [f"{i.available}/{i.variants}" for i in items],
            "kind": "differs",
        }
    )
    names: list[str] = []
    for item in items:
        names.extend(n for n in item.options if n not in names)
    for name in names:
        values = [item.options.get(name) for item in items]
        if all(values):
            kind = "shared" if all(v == values[0] for v in values) else "differs"
            common = set.intersection(*values)
            if kind == "differs" and common:
                kind = (
                    f"shares {', '.join(sorted(common))}" if not zh else f"共有 {'、'.join(sorted(common))}"
                )
        else:
            kind = "only some"
        shown = [sorted(value_label(name, x, language) for x in v) if v else [] for v in values]
        rows.append(
            {
                "attribute": option_label(name, language),
                "values": [("、" if zh else ", ").join(v) if v else "-" for v in shown],
                "kind": kind,
            }
        )
    if any(i.features for i in items):
        taken = {row["attribute"] for row in rows}
        label = "特点" if zh else "features"
        rows.append(
            {
                # A product option may itself be called "features"; one table must not show two such rows.
                "attribute": label if label not in taken else ("商品亮点" if zh else "highlights"),
                "values": ["; ".join(i.features) for i in items],
                "kind": "differs",
            }
        )

    names = " ".join(
        f"{i.title} {i.name_en} {i.name_zh} {' '.join(ZH_PRODUCT_NAMES.get(i.name_en, []))} "
        f"{' '.join(EN_SYNONYMS.get(i.name_en, []))}"
        for i in items
    ).lower()
    # Words that name the compared products are not a need ("烧水壶" in "电热水壶和烧水壶哪个好").
    terms = [t for t in need_terms(need) if t.lower() not in names]
    budget = bool(_BUDGET_NEED.search(need))
    prefs = preferences(session, shopper_id)
    liked = {v.lower() for values in prefs.likes.values() for v in values}
    avoided = {v.lower() for values in prefs.avoids.values() for v in values}
    cheapest = min((i.price_min for i in items if i.price_min is not None), default=None)
    comparable_units = len(units) == 1 and all(i.per_unit for i in items)
    best_unit = min((i.per_unit[0] for i in items if i.per_unit), default=None) if comparable_units else None
    pros: dict[str, list[str]] = {}
    cons: dict[str, list[str]] = {}
    scores: dict[str, float] = {}
    for item in items:
        p: list[str] = []
        c: list[str] = []
        score = 0.0
        hits = [t for t in terms if _stem_hit(t, item.text)]
        if hits:
            # How much a product's own texts talk about the need, not just whether a word appears once.
            score += sum(min(3, _hit_count(t, item.text)) for t in hits)
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
                f"有您喜欢的：{'、'.join(value_label(None, v, language) for v in shown)}" if zh else f"Comes in what you like: {', '.join(shown)}"
            )
        if values and values <= avoided | {"-"}:
            score -= 1.0
            c.append("只有您不喜欢的款式" if zh else "Only in options you avoid")
        pros[item.product_id], cons[item.product_id], scores[item.product_id] = p, c, score
    rows.append(
        {
            "attribute": "优点" if zh else "pros",
            "values": ["; ".join(pros[i.product_id]) or "-" for i in items],
            "kind": "for your need",
        }
    )
    rows.append(
        {
            "attribute": "缺点" if zh else "cons",
            "values": ["; ".join(cons[i.product_id]) or "-" for i in items],
            "kind": "for your need",
        }
    )
    winner = max(items, key=lambda i: (scores[i.product_id], -(i.price_min or 0.0)))
    reasons = list(pros[winner.product_id]) or (
        ["价格与有货情况最好"] if zh else ["Best on price and availability"]
    )
    if not same_category:
        reasons.append(
            "两者属于不同品类，用途不同：请按您的实际需要选择"
            if zh
            else "They are different kinds of product, so choose by what you will use it for"
        )
    if not terms:
        reasons.append(
            "告诉我您的用途，我可以比较得更准确"
            if zh
            else "Tell me what you need it for and I can weigh them against that"
        )
    return {
        "product_ids": [i.product_id for i in items],
        "columns": [i.title for i in items],
        "rows": rows,
        "same_category": same_category,
        "need": need,
        "need_terms": terms,
        "pros": pros,
        "cons": cons,
        "scores": scores,
        "verdict": {"product_id": winner.product_id, "title": winner.title, "reasons": reasons},
    }


def verdict_text(result: dict[str, Any], language: str) -> str:
    verdict = result["verdict"]
    if language == "zh":
        return f"建议选择{verdict['title']}：" + "；".join(verdict["reasons"]) + "。"
    return f"My pick: {verdict['title']}. " + "; ".join(verdict["reasons"]) + "."


def recent_products(session: Session, shopper_id: str, source: str, limit: int = 2) -> list[str]:
    """The products in the shopper's cart, or the most recently viewed ones ('history')."""
    if source == "cart":
        rows = session.scalars(
            select(Variant.product_id)
            .join(CartLine, CartLine.variant_id == Variant.id)
            .join(Cart, Cart.id == CartLine.cart_id)
            .where(Cart.shopper_id == shopper_id)
            .order_by(CartLine.id.desc())
        )
    else:
        rows = session.scalars(
            select(BrowsingEvent.product_id)
            .where(BrowsingEvent.shopper_id == shopper_id, BrowsingEvent.product_id.is_not(None))
            .order_by(BrowsingEvent.created_at.desc(), BrowsingEvent.id.desc())
            .limit(50)
        )
    return list(dict.fromkeys(rows))[:limit]
