"""Listing copy (title, description, selling points) and ad lines, grounded in facts the store holds.

The template path states only the facts it is given. With an LLM, the model writes the prose from the same facts
and its text is kept only if it is well formed (a title, a description and a list of selling points, all text), every
number in it is a number of the facts (no invented capacity, price or size), every colour and material it names is
one of the facts', and it carries no instructions or links (a reply that tries to steer whoever reads it is not
listing copy). Otherwise the template copy is used and the reason is returned for the evidence trail.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session, selectinload

from shopcopilot.agent.guard import detect_injection
from shopcopilot.catalog.models import Product
from shopcopilot.errors import NotFound
from shopcopilot.merchant.attributes import MATERIALS
from shopcopilot.merchant.colours import NAMED_COLOURS

if TYPE_CHECKING:
    from shopcopilot.models.llm.base import LLM

_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_LINK_OR_MARKUP = re.compile(r"https?://|www\.|<\s*/?\s*[a-z][^>]*>", re.I)


@dataclass
class ListingFacts:
    noun: str  # what the thing is, e.g. "water bottle"
    brand: str | None = None
    model: str | None = None
    colours: list[str] = field(default_factory=list)
    material: str | None = None
    capacity: str | None = None
    sizes: list[str] = field(default_factory=list)
    specs: dict[str, str] = field(default_factory=dict)
    category: str | None = None

    def as_text(self) -> str:
        parts = [self.noun, self.brand, self.model, self.material, self.capacity, self.category]
        parts += self.colours + self.sizes + [f"{k} {v}" for k, v in self.specs.items()]
        return "; ".join(p for p in parts if p)


@dataclass
class Copy:
    title: str
    description: str
    selling_points: list[str]
    mode: str = "template"  # or "llm"
    fallback_reason: str | None = None


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def template_copy(facts: ListingFacts) -> Copy:
    noun = facts.noun.strip() or "product"
    head = " ".join(p for p in (facts.brand, facts.model) if p)
    title_parts = [head, facts.material.title() if facts.material else None, noun.title(), facts.capacity]
    title = " ".join(p for p in title_parts if p)
    if facts.colours:
        title += f" - {' / '.join(c.title() for c in facts.colours[:3])}"
    sentences = [f"{('The ' + head + ' ') if head else 'This '}{noun}"]
    details = []
    if facts.material:
        details.append(f"is made of {facts.material}")
    if facts.capacity:
        details.append(f"holds {facts.capacity}")
    if details:
        sentences[0] += " " + _join(details)
    sentences[0] += "."
    if facts.colours:
        sentences.append(f"Available in {_join(facts.colours)}.")
    if facts.sizes:
        sentences.append(f"Size: {', '.join(facts.sizes)}.")
    if facts.specs:
        sentences.append("Specifications: " + "; ".join(f"{k} {v}" for k, v in facts.specs.items()) + ".")
    points = []
    if facts.material:
        points.append(f"{facts.material.title()} construction")
    if facts.capacity:
        points.append(f"{facts.capacity} capacity")
    if facts.colours:
        points.append(
            f"Choice of {len(facts.colours)} colour{'s' if len(facts.colours) > 1 else ''}: {', '.join(facts.colours)}"
        )
    if facts.sizes:
        points.append(f"Size {', '.join(facts.sizes)}")
    points += [f"{k.title()}: {v}" for k, v in facts.specs.items()]
    if facts.brand:
        points.append(f"Genuine {facts.brand}{' ' + facts.model if facts.model else ''}")
    return Copy(title=title, description=" ".join(sentences), selling_points=points)


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
    ad_lines = [
        f"{product.name}: {copy.selling_points[0]}." if copy.selling_points else f"Meet the {product.name}."
    ]
    if facts.colours:
        ad_lines.append(f"{len(facts.colours)} colours to choose from: {', '.join(facts.colours[:4])}.")
    if prices:
        ad_lines.append(f"{product.name} from ${prices[0]:.2f}.")
    titles = [
        copy.title,
        f"{product.name}" + (f" in {', '.join(facts.colours[:2])}" if facts.colours else ""),
    ]
    return {
        "product_id": product.id,
        "titles": titles,
        "ad_lines": ad_lines,
        "description": copy.description,
        "selling_points": copy.selling_points,
        "mode": copy.mode,
        "grounding": facts.as_text() + (f"; prices from {prices[0]:.2f}" if prices else ""),
        "fallback_reason": copy.fallback_reason,
    }
