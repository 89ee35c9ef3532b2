"""Listing copy (title, description, selling points) and ad lines, grounded in facts the store holds.

The template path (copy_templates) states only the facts it is given, in the language of the product's name. With an
LLM, the model writes the prose from the same facts and its text is kept only if it is well formed (a title, a
description and a list of selling points, all text), every number in it is a number of the facts (no invented
capacity, price or size), every colour and material it names is one of the facts', and it carries no instructions or
links (a reply that tries to steer whoever reads it is not listing copy). Otherwise the template copy is used and the
reason is returned for the evidence trail.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session, selectinload

from shopcopilot.agent.guard import detect_injection
from shopcopilot.catalog.models import Product
from shopcopilot.errors import NotFound
from shopcopilot.merchant.attributes import MATERIALS
from shopcopilot.merchant.colours import NAMED_COLOURS
from shopcopilot.merchant.copy_templates import Copy, ListingFacts, colour_zh, copy_language, template_copy

if TYPE_CHECKING:
    from shopcopilot.models.llm.base import LLM

_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_LINK_OR_MARKUP = re.compile(r"https?://|www\.|<\s*/?\s*[a-z][^>]*>", re.I)

__all__ = ["COPY_SCHEMA", "Copy", "ListingFacts", "product_copy", "template_copy", "write_copy"]


COPY_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "title": {"type": "string"},
        "description": {"type": "string"},
        "selling_points": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["title", "description", "selling_points"],
}


def _numbers(text: str) -> set[float]:
    return {float(n.replace(",", ".")) for n in _NUMBER.findall(text)}


def _mentions(text: str, term: str) -> bool:
    if re.search(r"[\u4e00-\u9fff]", term):
        return term in text
    return re.search(rf"(?<![\w-]){re.escape(term)}(?![\w-])", text) is not None


def _claim_terms() -> dict[str, frozenset[str]]:
    """A colour or material word as copy may write it -> the words that, in the facts, support it."""
    terms: dict[str, frozenset[str]] = {}
    for name, name_zh, _ in NAMED_COLOURS:
        terms[name] = terms[name_zh] = frozenset({name, name_zh})
    for name, words in MATERIALS.items():
        # one-character Chinese words (棉, 木, 铝) are parts of too many other words to count as a claim
        forms = frozenset({name, *words})
        for word in (name, *words):
            if len(word) > 1:
                terms[word] = forms
    return terms


_CLAIM_TERMS = _claim_terms()


def check_grounded(texts: list[str], facts_text: str) -> str | None:
    """None when every number, colour and material in `texts` is in the facts, else the reason.

    Numbers are compared as numbers and whole (a '5-year warranty' is not grounded by '750ml')."""
    facts = facts_text.lower()
    known = _numbers(facts)
    invented = sorted(
        {n for text in texts for n in _NUMBER.findall(text) if float(n.replace(",", ".")) not in known}
    )
    if invented:
        return f"states numbers not in the product data: {', '.join(invented)}"
    lowered = " ".join(texts).lower()
    unsupported = sorted(
        {
            term
            for term, forms in _CLAIM_TERMS.items()
            if _mentions(lowered, term) and not any(_mentions(facts, form) for form in forms)
        }
    )
    if unsupported:
        return f"names colours or materials not in the product data: {', '.join(unsupported)}"
    return None


def check_safe(texts: list[str]) -> str | None:
    """None for plain copy; the reason when it carries instructions to its reader, links or markup."""
    if any(detect_injection(text) for text in texts):
        return "contains instructions, not listing copy"
    if any(_LINK_OR_MARKUP.search(text) for text in texts):
        return "contains a link or markup"
    return None


def _copy_fields(payload: Any) -> tuple[str, str, list[str]] | None:
    """(title, description, selling points) from the model's JSON, or None when it is not that shape."""
    if not isinstance(payload, dict):
        return None
    title, description, points = payload.get("title"), payload.get("description"), payload.get("selling_points")
    if not all(isinstance(text, str) and text.strip() for text in (title, description)):
        return None
    if points is None:
        points = []
    if not isinstance(points, list) or not all(isinstance(p, str) for p in points):
        return None
    return title.strip(), description.strip(), [p.strip() for p in points if p.strip()]


def write_copy(facts: ListingFacts, llm: LLM | None = None) -> Copy:
    template = template_copy(facts)
    if llm is None:
        return template
    from shopcopilot.models.llm.base import LLMError

    messages = [
        {
            "role": "system",
            "content": "Write e-commerce listing copy using ONLY the given facts; add no numbers, claims or specs. "
            'Return JSON {"title": ..., "description": ..., "selling_points": [...]}.',
        },
        {"role": "user", "content": f"Facts: {facts.as_text()}"},
    ]
    try:
        payload = llm.chat(messages, json_schema=COPY_SCHEMA, max_tokens=300).json()
    except LLMError as exc:
        template.fallback_reason = f"the model call failed: {exc.message}"
        return template
    fields = _copy_fields(payload)
    if fields is None:
        template.fallback_reason = "the model did not return a title, a description and a list of selling points"
        return template
    title, description, points = fields
    texts = [title, description, *points]
    # the template states how many colours there are, so the model may too
    grounding = facts.as_text() + (f"; {len(facts.colours)} colours" if facts.colours else "")
    reason = check_safe(texts) or check_grounded(texts, grounding)
    if reason:
        template.fallback_reason = f"the model's copy {reason}"
        return template
    return Copy(title, description, points or template.selling_points, mode="llm")


# -- copy for a product already in the store --------------------------------------------------------------------------
def product_facts(product: Product) -> ListingFacts:
    options: dict[str, list[str]] = {}
    for variant in product.variants:
        for key, value in (variant.options or {}).items():
            values = options.setdefault(str(key).lower(), [])
            if str(value) not in values:
                values.append(str(value))
    colours = options.pop("color", []) or options.pop("colour", [])
    material = (options.pop("material", []) or [None])[0]
    capacity_values = options.pop("capacity", [])
    sizes = options.pop("size", [])
    specs = {key: " / ".join(values[:4]) for key, values in options.items()}
    return ListingFacts(
        noun=product.name,
        colours=colours,
        material=material,
        capacity=" / ".join(capacity_values[:4]) or None,
        sizes=sizes,
        specs=specs,
    )


def product_copy(session: Session, merchant_id: str, product_id: str, llm: LLM | None = None) -> dict:
    """Titles and ad lines for one of the merchant's products (404 for another store's product)."""
    product = session.get(Product, product_id, options=[selectinload(Product.variants)])
    if product is None or product.merchant_id != merchant_id:
        raise NotFound(f"no product {product_id!r} in your store", code="product_not_found")
    facts = product_facts(product)
    copy = write_copy(facts, llm)
    prices = sorted(v.price for v in product.variants if v.available) or sorted(
        v.price for v in product.variants
    )
    ad_lines, titles = _ad_lines(product.name, copy, facts.colours, prices[0] if prices else None)
    return {
        "product_id": product.id,
        "titles": [copy.title, *titles],
        "ad_lines": ad_lines,
        "description": copy.description,
        "selling_points": copy.selling_points,
        "mode": copy.mode,
        "grounding": facts.as_text() + (f"; prices from {prices[0]:.2f}" if prices else ""),
        "fallback_reason": copy.fallback_reason,
    }


def _ad_lines(name: str, copy: Copy, colours: list[str], from_price: float | None) -> tuple[list[str], list[str]]:
    """(ad lines, a second title) in the language of the product's name; a colour count only when there is a choice."""
    if copy_language(name) == "zh":
        shown = [colour_zh(c) for c in colours]
        lines = [f"{name}：{copy.selling_points[0].rstrip('。.!！')}。" if copy.selling_points else f"来看看这款{name}。"]
        if len(shown) > 1:
            lines.append(f"{len(shown)}种颜色可选：{'、'.join(shown[:4])}。")
        if from_price is not None:
            lines.append(f"{name} ${from_price:.2f} 起。")
        return lines, [name + (f"（{'、'.join(shown[:2])}）" if shown else "")]
    lines = [f"{name}: {copy.selling_points[0].rstrip('.!')}." if copy.selling_points else f"Meet the {name}."]
    if len(colours) > 1:
        lines.append(f"{len(colours)} colours to choose from: {', '.join(colours[:4])}.")
    if from_price is not None:
        lines.append(f"{name} from ${from_price:.2f}.")
    return lines, [name + (f" in {', '.join(colours[:2])}" if colours else "")]
