"""Fact check of a model's prose against the tool results of the turn.

A sentence survives only if every price, number, option value and spec word it states is found in what the tools
returned. Prices and numbers are compared as numbers ($1,299.00 == 1299); option values and spec words are the
store's own option values (and their Chinese names), so "available in red" is caught when no result says red.
The shopper's own numbers and words may be restated, but only where a sentence is plainly restating them
("under $50", "we don't have it in red"): that is not a claim about the store.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shopcopilot.catalog.models import Variant
from shopcopilot.config import PACKAGE_DATA

_PRICE = re.compile(
    r"(?:US\$|\$|¥|￥|USD\s?)\s?(\d[\d,]*(?:\.\d+)?)|(\d[\d,]*(?:\.\d+)?)\s?(?:dollars?\b|usd\b|美元|元|块钱|块)",
    re.I,
)
_NUMBER = re.compile(r"(?<![\w.#])\d[\d,]*(?:\.\d+)?")
_ANY_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_LIST_MARKER = re.compile(r"^\s*\d{1,2}[.)、]\s+", re.M)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[。！？；])|\n+")
_NEGATION = re.compile(r"\b(?:not|no|don't|doesn't|isn't|aren't|unavailable|out of stock|none)\b|没有|不|无", re.I)
_RESTATES_BOUND = re.compile(
    r"\b(?:under|below|over|above|within|budget|less than|more than|up to|at most|at least)\b|以下|以内|以上|低于|高于|预算",
    re.I,
)

# Option values that are also everyday words: seeing them in prose is not a claim about a product's options.
_GENERIC_WORDS = {
    "yes", "no", "none", "high", "low", "full", "half", "light", "dark", "fresh", "basic", "standard", "custom",
    "portable", "large", "small", "medium", "men", "women", "art", "plain", "battery", "camera", "laptop", "manual",
    "automatic", "digital", "electric", "professional", "beginner", "intermediate", "expert", "road", "mountain",
    "timer", "adjustable", "natural", "fixed", "unisex", "graphic", "animals", "fantasy", "landscape", "gas",
}
_TOLERANCE = 0.005


@dataclass(frozen=True)
class RemovedSentence:
    sentence: str
    reasons: list[str]


@dataclass
class FactCheck:
    text: str
    kept: list[str] = field(default_factory=list)
    removed: list[RemovedSentence] = field(default_factory=list)
    claims: int = 0

    @property
    def grounded(self) -> bool:
        """Something usable is left (at least one sentence survived)."""
        return bool(self.kept)

    def summary(self) -> str:
        text = f"{self.claims} claims, {len(self.kept)} sentences kept, {len(self.removed)} removed"
        if self.removed:
            text += " (" + "; ".join(", ".join(r.reasons) for r in self.removed)[:300] + ")"
        return text


@dataclass(frozen=True)
class Evidence:
    text: str
    numbers: tuple[float, ...]


def evidence_from(results: Iterable[Any]) -> Evidence:
    """Everything the tools returned, as one lowercase text and the set of numbers in it (list sizes included,
    so "I found 3 products" is supported by a list of three)."""
    values = list(results)
    text = json.dumps(values, ensure_ascii=False, default=str).lower()
    numbers = {float(n) for n in _ANY_NUMBER.findall(re.sub(r"(?<=\d),(?=\d{3})", "", text))}
    numbers.update(float(size) for size in _list_sizes(values))
    return Evidence(text=text, numbers=tuple(sorted(numbers)))


def _list_sizes(value: Any) -> Iterable[int]:
    if isinstance(value, list | tuple):
        yield len(value)
        for item in value:
            yield from _list_sizes(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _list_sizes(item)


def _as_number(raw: str) -> float:
    return float(raw.replace(",", ""))


def _has(numbers: Iterable[float], value: float) -> bool:
    return any(abs(number - value) <= _TOLERANCE for number in numbers)


def split_sentences(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCE_END.split(text) if part and part.strip()]


def check_facts(
    prose: str,
    results: Iterable[Any],
    *,
    terms: Mapping[str, frozenset[str]] | None = None,
    shopper_message: str = "",
) -> FactCheck:
    """Keep the sentences of `prose` whose facts are all in `results`; report the removed ones with reasons.

    `terms` maps a word as it may appear in prose (lowercase) to the forms that count as evidence for it
    (`store_terms` builds it from the catalog)."""
    evidence = evidence_from(results)
    shopper = shopper_message.lower()
    shopper_numbers = [_as_number(n) for n in _ANY_NUMBER.findall(shopper.replace(",", ""))]
    check = FactCheck(text="")
    for sentence in split_sentences(prose):
        reasons, claims = _unsupported(sentence, evidence, terms or {}, shopper, shopper_numbers)
        check.claims += claims
        if reasons:
            check.removed.append(RemovedSentence(sentence, reasons))
        else:
            check.kept.append(sentence)
    joiner = "" if re.search(r"[\u4e00-\u9fff]", prose) else " "
    check.text = joiner.join(check.kept)
    return check


def _unsupported(
    sentence: str,
    evidence: Evidence,
    terms: Mapping[str, frozenset[str]],
    shopper: str,
    shopper_numbers: list[float],
) -> tuple[list[str], int]:
    reasons: list[str] = []
    claims = 0
    body = _LIST_MARKER.sub("", sentence)
    restating_bound = bool(_RESTATES_BOUND.search(body))
    negated = bool(_NEGATION.search(body))
    price_spans: list[tuple[int, int]] = []
    for match in _PRICE.finditer(body):
        claims += 1
        price_spans.append(match.span())
        value = _as_number(match.group(1) or match.group(2))
        if _has(evidence.numbers, value):
            continue
        if restating_bound and _has(shopper_numbers, value):
            continue
        reasons.append(f"price {match.group(0).strip()} not in the tool results")
    for match in _NUMBER.finditer(body):
        if any(start <= match.start() < end for start, end in price_spans):
            continue
        claims += 1
        value = _as_number(match.group(0))
        if _has(evidence.numbers, value) or _has(shopper_numbers, value):
            continue
        reasons.append(f"number {match.group(0)} not in the tool results")
    lowered = body.lower()
    for term, forms in terms.items():
        if not _mentions(lowered, term):
            continue
        claims += 1
        if any(_mentions(evidence.text, form) for form in forms):
            continue
        if negated and any(_mentions(shopper, form) for form in forms | {term}):
            continue
        reasons.append(f"'{term}' not in the tool results")
    return reasons, claims


def _mentions(text: str, term: str) -> bool:
    if re.search(r"[\u4e00-\u9fff]", term):
        return term in text
    return re.search(rf"(?<![\w-]){re.escape(term)}(?![\w-])", text) is not None


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, Any]:
    path = PACKAGE_DATA / "option_lexicon.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def terms_for_values(values: Iterable[str]) -> dict[str, frozenset[str]]:
    """Prose term -> evidence forms, for the given option values and their Chinese names from the lexicon."""
    lexicon = _lexicon()
    translations: dict[str, str] = lexicon.get("values", {})
    terms: dict[str, set[str]] = {}
    for raw in values:
        value = str(raw).strip().lower()
        if len(value) < 3 or value in _GENERIC_WORDS or not re.search(r"[a-z]", value):
            continue  # numbers are checked as numbers; 'S'/'M'/'L' and everyday words would flag innocent prose
        terms.setdefault(value, set()).add(value)
        zh = translations.get(str(raw)) or translations.get(value)
        if zh:
            terms.setdefault(zh, set()).update({value, zh})
    for zh, english in lexicon.get("synonyms_zh", {}).items():
        if str(english).lower() in terms and len(zh) >= 2:
            terms.setdefault(zh, set()).update({str(english).lower(), zh})
    return {term: frozenset(forms) for term, forms in terms.items()}


def store_terms(session: Session) -> dict[str, frozenset[str]]:
    """The option values the store sells (and their Chinese names): the words that make an option claim."""
    values: set[str] = set()
    for options in session.scalars(select(Variant.options)):
        values.update(str(value) for value in (options or {}).values())
    return terms_for_values(values)
