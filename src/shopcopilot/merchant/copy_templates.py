"""Listing facts, and the copy written from them without a model: in English, or in Chinese when the product's name
is Chinese. The copy states only the facts it is given.

Grammar the English template keeps, because product names are not ordinary nouns: a name that looks plural
("Headphones", "Jeans", "Running Shoes") takes "These" and plural verbs, "Water Bottle" or "T-Shirt" or "Set of 3
Bowls" takes "This"; a sentence needs a verb, so with no fact to state about the product the copy does not open with a
bare "This ..." but with what there is (colours, sizes) or the name alone. Titles capitalise lower-case words only,
so "iPhone" and "LED" keep their spelling. The Chinese template uses the measure word 款, which fits any product
(这款耳机, not 这个耳机 or 这副耳机), and counts only when there is more than one of a thing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from shopcopilot.merchant.attributes import MATERIALS
from shopcopilot.merchant.colours import NAMED_COLOURS

_HAN = re.compile(r"[\u4e00-\u9fff]")
_SMALL_WORDS = frozenset({"a", "an", "and", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with"})
_HEAD_ENDS_BEFORE = re.compile(r"\s+(?:of|with|for|in|by|from|without)\s+", re.I)  # "Set of 3 Bowls": the head is Set
# names that are plural whatever their ending, and singular names that end in -s
PLURAL_NOUNS = frozenset(
    {"clothes", "earbuds", "glasses", "goggles", "jeans", "leggings", "pants", "pliers", "scissors", "shorts"}
    | {"sunglasses", "tights", "tongs", "trousers", "headphones", "earphones", "binoculars", "pajamas", "pyjamas"}
)
SINGULAR_S_NOUNS = frozenset(
    {"atlas", "bias", "canvas", "chassis", "gas", "lens", "news", "series", "species", "bus", "plus", "mattress"}
)
SPEC_NAMES_ZH = {
    "power": "功率",
    "voltage": "电压",
    "weight": "重量",
    "pieces": "件数",
    "dimensions": "尺寸",
    "length": "长度",
}
_COLOUR_ZH = {name: name_zh for name, name_zh, _ in NAMED_COLOURS}


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

    @property
    def language(self) -> str:
        """'zh' when the product's name is Chinese, else 'en': the copy is written in the name's language."""
        return copy_language(self.noun)


@dataclass
class Copy:
    title: str
    description: str
    selling_points: list[str]
    mode: str = "template"  # or "llm"
    fallback_reason: str | None = None


def copy_language(name: str) -> str:
    return "zh" if _HAN.search(name) else "en"


def is_plural(name: str) -> bool:
    """Whether a product name reads as plural in English: its head noun (the last word before 'of', 'with', ...)
    ends in -s and is not a singular -s word (lens, glass, bus), or is plural only (jeans, headphones)."""
    head_phrase = _HEAD_ENDS_BEFORE.split(name.strip(), maxsplit=1)[0]
    words = re.findall(r"[A-Za-z]+", head_phrase)
    if not words:
        return False
    head = words[-1].lower()
    if head in PLURAL_NOUNS:
        return True
    if head in SINGULAR_S_NOUNS or head.endswith(("ss", "us", "is")):
        return False
    return head.endswith("s") and len(head) > 2


def title_case(text: str) -> str:
    """Capitalise the lower-case words of a title ("t-shirt" -> "T-Shirt"); words with capitals keep them
    ("iPhone", "LED"), and small words other than the first stay lower case."""
    words = text.split()
    out = []
    for index, word in enumerate(words):
        if word.islower() and not (index and word in _SMALL_WORDS):
            word = "-".join(part[:1].upper() + part[1:] for part in word.split("-"))
        out.append(word)
    return " ".join(out)


def join_en(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def colour_zh(colour: str) -> str:
    return _COLOUR_ZH.get(colour.lower(), colour)


def material_zh(material: str) -> str:
    words = [w for w in MATERIALS.get(material.lower(), ()) if _HAN.search(w)]
    return max(words, key=len) if words else material


def _sentence_start(text: str) -> str:
    return text[:1].upper() + text[1:]


def _english(facts: ListingFacts) -> Copy:
    noun = facts.noun.strip() or "product"
    plural = is_plural(noun)

    def verb(singular: str, plural_form: str) -> str:
        return plural_form if plural else singular

    head = " ".join(p for p in (facts.brand, facts.model) if p)
    title = " ".join(
        p for p in (head, title_case(facts.material) if facts.material else None, title_case(noun), facts.capacity) if p
    )
    if facts.colours:
        title += f" - {' / '.join(title_case(c) for c in facts.colours[:3])}"

    subject = f"The {head} {noun}" if head else f"{verb('This', 'These')} {noun}"
    predicates = []
    if facts.material:
        predicates.append(f"{verb('is', 'are')} made of {facts.material}")
    if facts.capacity:
        predicates.append(f"{verb('holds', 'hold')} {facts.capacity}")
    # with nothing else to say, what it comes in makes the sentence (colours, else sizes)
    colours_told = not predicates and bool(facts.colours)
    sizes_told = not predicates and not facts.colours and bool(facts.sizes)
    if colours_told:
        predicates.append(f"{verb('comes', 'come')} in {join_en(facts.colours)}")
    if sizes_told:
        size_word = "sizes" if len(facts.sizes) > 1 else "size"
        predicates.append(f"{verb('comes', 'come')} in {size_word} {join_en(facts.sizes)}")
    sentences = [f"{subject} {join_en(predicates)}."] if predicates else []
    if facts.colours and not colours_told:
        sentences.append(f"Available in {join_en(facts.colours)}.")
    if facts.sizes and not sizes_told:
        sentences.append(f"Size{'s' if len(facts.sizes) > 1 else ''}: {', '.join(facts.sizes)}.")
    if facts.specs:
        sentences.append("Specifications: " + "; ".join(f"{k} {v}" for k, v in facts.specs.items()) + ".")
    if not sentences:  # nothing to say about it: its name, not a sentence without a verb
        sentences.append(_sentence_start(f"{head} {noun}" if head else noun) + ".")

    points = []
    if facts.material:
        points.append(f"{title_case(facts.material)} construction")
    if facts.capacity:
        points.append(f"{facts.capacity} capacity")
    if len(facts.colours) > 1:
        points.append(f"Choice of {len(facts.colours)} colours: {', '.join(facts.colours)}")
    elif facts.colours:
        points.append(f"{facts.colours[0].capitalize()} colour")
    if facts.sizes:
        points.append(f"Size{'s' if len(facts.sizes) > 1 else ''} {', '.join(facts.sizes)}")
    points += [f"{k.title()}: {v}" for k, v in facts.specs.items()]
    if facts.brand:
        points.append(f"Genuine {facts.brand}{' ' + facts.model if facts.model else ''}")
    return Copy(title=title, description=" ".join(sentences), selling_points=points)


def _chinese(facts: ListingFacts) -> Copy:
    noun = facts.noun.strip()
    head = " ".join(p for p in (facts.brand, facts.model) if p)
    name = f"{head} {noun}" if head else noun
    material = material_zh(facts.material) if facts.material else None
    colours = [colour_zh(c) for c in facts.colours]
    title = " ".join(p for p in (head, f"{material or ''}{noun}", facts.capacity) if p)
    if colours:
        title += f" - {' / '.join(colours[:3])}"

    clauses = []
    if material:
        clauses.append(f"采用{material}材质")
    if facts.capacity:
        clauses.append(f"容量{facts.capacity}")
    colours_told = not clauses and bool(colours)
    sizes_told = not clauses and not colours and bool(facts.sizes)
    if colours_told:
        clauses.append(f"有{'、'.join(colours)}可选")
    if sizes_told:
        clauses.append(f"有{'、'.join(facts.sizes)}尺码可选")
    sentences = [f"这款{' ' if head else ''}{name}{'，'.join(clauses)}。"] if clauses else []
    if colours and not colours_told:
        sentences.append(f"可选颜色：{'、'.join(colours)}。")
    if facts.sizes and not sizes_told:
        sentences.append(f"尺码：{'、'.join(facts.sizes)}。")
    if facts.specs:
        sentences.append("规格：" + "；".join(f"{SPEC_NAMES_ZH.get(k, k)} {v}" for k, v in facts.specs.items()) + "。")
    if not sentences:
        sentences.append(f"{name}。")

    points = []
    if material:
        points.append(f"{material}材质")
    if facts.capacity:
        points.append(f"容量{facts.capacity}")
    if len(colours) > 1:
        points.append(f"{len(colours)}种颜色可选：{'、'.join(colours)}")
    elif colours:
        points.append(f"{colours[0]}配色")
    if facts.sizes:
        points.append(f"尺码：{'、'.join(facts.sizes)}")
    points += [f"{SPEC_NAMES_ZH.get(k, k)}：{v}" for k, v in facts.specs.items()]
    if facts.brand:
        points.append(f"{facts.brand}{' ' + facts.model if facts.model else ''}正品")
    return Copy(title=title, description="".join(sentences), selling_points=points)


def template_copy(facts: ListingFacts) -> Copy:
    """Title, description and selling points from the facts alone, in the language of the product's name."""
    return _chinese(facts) if facts.language == "zh" else _english(facts)
