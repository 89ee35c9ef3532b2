"""Scenario planners: a wedding, a trip (camping, beach, business), a guide for older family members, a daily
problem (mould, a cold, moving house) or a dish (tomato and egg stir-fry, dumplings, hot pot...) becomes a plan of
steps, each with the store's matching products, within a budget allocated across the steps.

Plans are data: one JSON template per scenario in `shopcopilot/data/plans/` (aliases that name it in English and
Chinese, a default budget, steps with their budget share, and per step the items it needs as name terms, tags and
categories). A new scenario is a new file. The catalog decides what is available: an item nothing in the store
matches is reported as missing, never filled with something unrelated.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from shopcopilot.agent.blocks import PlanBlock
from shopcopilot.agent.memory import preferences
from shopcopilot.catalog.models import Product
from shopcopilot.errors import InvalidInput, NotFound
from shopcopilot.shopper.cards import money

PLANS_DIR = Path(__file__).resolve().parents[1] / "data" / "plans"
MAX_BUDGET = 100_000.0


@dataclass
class ShoppingPlanBlock(PlanBlock):
    """A plan block with its products: `sections` hold per step the items (or why there is none), `actions` one
    'add all to cart'. `large_text` asks the face to render bigger type (the senior guide)."""

    type: ClassVar[str] = "plan"
    scenario: str = ""
    budget: float = 0.0
    total: float = 0.0
    large_text: bool = False
    sections: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    actions: list[dict[str, Any]] = field(default_factory=list)


def _validate(template: dict[str, Any], source: str) -> dict[str, Any]:
    for key in ("id", "title", "aliases", "steps", "default_budget"):
        if key not in template:
            raise InvalidInput(f"plan template {source} lacks {key!r}")
    if not template["steps"]:
        raise InvalidInput(f"plan template {source} has no steps")
    for step in template["steps"]:
        if float(step.get("share", 0)) <= 0 or not step.get("items"):
            raise InvalidInput(f"plan template {source}: every step needs a positive share and items")
        for item in step["items"]:
            if not (item.get("names") or item.get("tags")):
                raise InvalidInput(f"plan template {source}: item {item.get('need')} names no product terms")
    return template


def load_templates(directory: Path | None = None) -> dict[str, dict[str, Any]]:
    """All plan templates of a directory (default: the shipped ones), by id."""
    return dict(_load(str(directory or PLANS_DIR)))


@lru_cache(maxsize=8)
def _load(directory: str) -> tuple[tuple[str, dict[str, Any]], ...]:
    templates: dict[str, dict[str, Any]] = {}
    for path in sorted(Path(directory).glob("*.json")):
        template = _validate(json.loads(path.read_text(encoding="utf-8")), path.name)
        templates[template["id"]] = template
    return tuple(templates.items())


def _alias_pattern(alias: str) -> str:
    """An English alias as a pattern in which up to three words may stand between its words ("my 80 year old
    grandma" names "my grandma")."""
    words = [re.escape(word) for word in alias.split()]
    return r"\b" + r"(?:\W+\w+){0,3}?\W+".join(words) + r"\b"


def match_scenarios(text: str, templates: dict[str, dict[str, Any]]) -> list[str]:
    """The scenarios whose aliases the text names; the longest alias wins, ties all come back (ask which). Who it
    is for does not outrank what it is: "hot pot with my grandmother" is the hot-pot plan, not the seniors' guide
    (a scenario of kind "senior" counts only when nothing else is named)."""
    lowered = text.lower()
    longest: dict[str, int] = {}
    for scenario_id, template in templates.items():
        for alias in [*template["aliases"].get("en", []), *template["aliases"].get("zh", [])]:
            a = alias.lower()
            hit = a in lowered if re.search(r"[\u4e00-\u9fff]", a) else re.search(_alias_pattern(a), lowered)
            if hit:
                longest[scenario_id] = max(longest.get(scenario_id, 0), len(a))
    what = {s: n for s, n in longest.items() if templates[s].get("kind") != "senior"}
    found = what or longest
    if not found:
        return []
    best = max(found.values())
    return [scenario_id for scenario_id, length in found.items() if length == best]


_BUDGET = [
    re.compile(
        r"(?:budget|under|within|up to|at most|max(?:imum)?|spend)\D{0,12}?\$?\s*(\d+(?:\.\d+)?)", re.I
    ),
    re.compile(r"\$\s*(\d+(?:\.\d+)?)"),
    re.compile(r"(?:预算|不超过|以内|最多)\D{0,6}?(\d+(?:\.\d+)?)"),
    re.compile(r"(\d+(?:\.\d+)?)\s*(?:元|块|美元|刀|dollars?)\s*(?:以内|之内|预算)?", re.I),
]


def parse_budget(text: str) -> float | None:
    for pattern in _BUDGET:
        match = pattern.search(text)
        if match:
            return float(match.group(1))
    return None


@dataclass
class _Offer:
    product_id: str
    name: str
    name_zh: str
    category_id: str | None
    keywords: set[str]
    variants: list[tuple[float, str, dict[str, Any]]]
    """(price, variant id, options) of the available variants, cheapest first."""


def _catalog(session: Session, avoided: set[str]) -> list[_Offer]:
    offers: list[_Offer] = []
    products = session.scalars(
        select(Product)
        .options(selectinload(Product.variants), selectinload(Product.content))
        .order_by(Product.id)
    )
    for product in products:
        variants = sorted(
            (round(float(v.price), 2), v.id, dict(v.options or {}))
            for v in product.variants
            if v.available
            and v.price > 0
            and not ({str(x).lower() for x in (v.options or {}).values()} & avoided)
        )
        if not variants:
            continue
        keywords = {str(k).lower() for k in (product.content.keywords if product.content else []) or []}
        offers.append(
            _Offer(product.id, product.name, product.name_zh or "", product.category_id, keywords, variants)
        )
    return offers


def _term_hit(term: str, offer: _Offer) -> bool:
    term = term.lower()
    if re.search(r"[\u4e00-\u9fff]", term):
        return term in offer.name_zh
    return bool(re.search(rf"\b{re.escape(term)}", offer.name.lower()))


def matching_offers(item: dict[str, Any], offers: list[_Offer]) -> list[_Offer]:
    """Products that fit a plan item: in its categories (if any), named by a term, or tagged; best first."""
    categories = set(item.get("categories", []))
    tags = {t.lower() for t in item.get("tags", [])}
    ranked: list[tuple[int, float, str, _Offer]] = []
    for offer in offers:
        if categories and offer.category_id not in categories:
            continue
        named = any(_term_hit(term, offer) for term in item.get("names", []))
        tagged = bool(tags & offer.keywords)
        if named or tagged:
            ranked.append((0 if named else 1, offer.variants[0][0], offer.product_id, offer))
    ranked.sort(key=lambda row: row[:3])
    return [row[3] for row in ranked]


def build_plan(
    session: Session,
    scenario: str,
    *,
    budget: float | None = None,
    language: str = "en",
    shopper_id: str | None = None,
    templates: dict[str, dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A plan for a scenario: per step its items with the cheapest fitting product within the step's budget.

    The budget is split by the steps' shares; what a step leaves unspent carries to the next, so the total never
    exceeds the budget. Nothing is upsold: one product per item, its cheapest available variant.
    """
    templates = templates if templates is not None else load_templates()
    template = templates.get(scenario)
    if template is None:
        raise NotFound(
            f"no plan {scenario!r}; choose one of {', '.join(sorted(templates))}", code="plan_not_found"
        )
    budget = float(template["default_budget"] if budget is None else budget)
    if not 0 < budget <= MAX_BUDGET:
        raise InvalidInput(f"budget must be more than 0 and at most {MAX_BUDGET:,.0f}")
    zh = language == "zh"
    prefs = preferences(session, shopper_id)
    avoided = {v.lower() for values in prefs.avoids.values() for v in values}
    offers = _catalog(session, avoided)
    shares = [float(step["share"]) for step in template["steps"]]
    carry = 0.0
    total = 0.0
    sections: list[dict[str, Any]] = []
    picks: list[dict[str, Any]] = []
    missing: list[str] = []
    used: set[str] = set()
    for step, share in zip(template["steps"], shares, strict=True):
        allowance = round(budget * share / sum(shares) + carry, 2)
        spent = 0.0
        items: list[dict[str, Any]] = []
        for item in step["items"]:
            need = item["need"]["zh" if zh else "en"]
            quantity = int(item.get("quantity", 1))
            # One product answers one need: a "Wok Spatula" is not also the wok.
            matches = [o for o in matching_offers(item, offers) if o.product_id not in used]
            entry: dict[str, Any] = {"need": need, "quantity": quantity}
            fitting = [
                (o, o.variants[0]) for o in matches if o.variants[0][0] * quantity <= allowance - spent + 1e-9
            ]
            if fitting:
                offer, (price, variant_id, options) = fitting[0]
                spent = round(spent + price * quantity, 2)
                entry |= {
                    "status": "ok",
                    "product_id": offer.product_id,
                    "variant_id": variant_id,
                    "name": (offer.name_zh or offer.name) if zh else offer.name,
                    "options": options,
                    "price": price,
                    "alternatives": len(matches) - 1,
                }
                picks.append({"variant_id": variant_id, "quantity": quantity, "product_id": offer.product_id})
                used.add(offer.product_id)
            elif matches:
                cheapest = min(o.variants[0][0] for o in matches)
                entry |= {"status": "over_budget", "cheapest_price": cheapest}
            else:
                entry |= {"status": "missing"}
                missing.append(need)
            items.append(entry)
        total = round(total + spent, 2)
        carry = round(allowance - spent, 2)
        note = step.get("note", {}).get("zh" if zh else "en", "")
        sections.append(
            {
                "title": step["title"]["zh" if zh else "en"],
                "budget": allowance,
                "spent": spent,
                "note": note,
                "items": items,
            }
        )
    return {
        "scenario": template["id"],
        "kind": template.get("kind", ""),
        "title": template["title"]["zh" if zh else "en"],
        "budget": budget,
        "total": total,
        "large_text": bool(template.get("senior")),
        "sections": sections,
        "missing": missing,
        "add_all": picks,
    }


def _item_line(item: dict[str, Any], zh: bool, senior: bool) -> str:
    count = f" ×{item['quantity']}" if item["quantity"] > 1 else ""
    if item["status"] == "ok":
        return f"{item['name']}{count} {money(item['price'])}"
    if item["status"] == "over_budget":
        return (
            f"{item['need']}：最便宜的 {money(item['cheapest_price'])}，超出这一步的预算"
            if zh
            else f"{item['need']}: the cheapest is {money(item['cheapest_price'])}, over this step's budget"
        )
    if senior:
        return f"{item['need']}：本店暂时没有" if zh else f"{item['need']}: not sold here yet"
    return (
        f"{item['need']}：店内没有匹配的商品" if zh else f"{item['need']}: no matching product in the store"
    )


def plan_block(plan: dict[str, Any], language: str) -> ShoppingPlanBlock:
    zh = language == "zh"
    senior = plan["large_text"]
    steps = []
    notes = []
    for index, section in enumerate(plan["sections"], start=1):
        lines = (
            "；".join(_item_line(i, zh, senior) for i in section["items"])
            if zh
            else "; ".join(_item_line(i, zh, senior) for i in section["items"])
        )
        steps.append(f"{section['title']}：{lines}" if zh else f"{section['title']}: {lines}")
        if section["note"]:
            notes.append(f"{index}. {section['note']}")
    count = sum(p["quantity"] for p in plan["add_all"])
    actions = (
        [
            {
                "type": "add_all_to_cart",
                "tool": "add_plan_to_cart",
                "label": "全部加入购物车" if zh else "Add all to cart",
                "items": [
                    {"variant_id": p["variant_id"], "quantity": p["quantity"]} for p in plan["add_all"]
                ],
            }
        ]
        if count
        else []
    )
    title = (
        f"{plan['title']}（预算 {money(plan['budget'])}，合计 {money(plan['total'])}）"
        if zh
        else f"{plan['title']} (budget {money(plan['budget'])}, total {money(plan['total'])})"
    )
    return ShoppingPlanBlock(
        title=title,
        steps=steps,
        scenario=plan["scenario"],
        budget=plan["budget"],
        total=plan["total"],
        large_text=senior,
        sections=plan["sections"],
        notes=notes,
        actions=actions,
    )


def plan_summary(plan: dict[str, Any], language: str) -> str:
    zh = language == "zh"
    found = sum(1 for s in plan["sections"] for i in s["items"] if i["status"] == "ok")
    wanted = sum(len(s["items"]) for s in plan["sections"])
    if zh:
        text = f"为您准备了“{plan['title']}”：{wanted} 项中有 {found} 项在店内找到，合计 {money(plan['total'])}。"
        if plan["missing"]:
            text += f"店里没有：{'、'.join(plan['missing'])}。"
        return text + ("说“全部加入购物车”即可一键加购。" if plan["add_all"] else "")
    if plan["large_text"]:
        text = f"Here is a simple list: {found} of {wanted} things are in the store, {money(plan['total'])} in all."
    else:
        text = (
            f"Your {plan['title'].lower()} plan: {found} of {wanted} items found in the store, "
            f"{money(plan['total'])} of your {money(plan['budget'])} budget."
        )
    if plan["missing"]:
        text += f" Not sold here: {', '.join(plan['missing'])}."
    return text + (' Say "add all to cart" to add everything.' if plan["add_all"] else "")
