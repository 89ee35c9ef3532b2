"""Dialogue state: slots that carry across turns, what was shown, what is pending, and reference resolution
("the second one", "a cheaper one", "that one", "第二个", "便宜一点的")."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class DialogueState:
    language: str = "en"
    slots: dict[str, Any] = field(default_factory=dict)
    """Discovery slots: product_id, query, options {name: [values]}, excluded {name: [values]}, price_min/max."""
    results: list[str] = field(default_factory=list)
    """Product ids of the cards last shown, in order (ordinals refer to these)."""
    focus: str | None = None
    """The product being talked about."""
    authenticated_user_id: str | None = None
    awaiting: str | None = None
    """The slot the last question asked for (auth, order_id, reason, items, payment_method, new_items, option:<name>, category)."""
    asked: list[str] = field(default_factory=list)
    """Clarifying questions already asked for the current product search (never ask the same twice)."""
    flow: dict[str, Any] | None = None
    """An order-service request being collected: {intent, order_id, item_ids, reason, payment_method_id, ...}."""
    pending: dict[str, Any] | None = None
    """A consequential action waiting for an explicit yes: {tool, arguments, details}."""
    resume_intent: str | None = None
    """What the shopper asked for before authentication was needed."""
    resume_message: str | None = None
    turn: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> DialogueState:
        if not data:
            return cls()
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        return cls(**known)


_ORDINALS_EN = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
    "fifth": 5, "5th": 5, "last": -1,
}
_ORDINAL_EN = re.compile(
    r"\b(?:the\s+)?(first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|last)\b(?:\s+(?:one|option|product|item))?",
    re.I,
)
_NUMBER_REF_EN = re.compile(r"\b(?:number|no\.?|#)\s*([1-5])\b(?!\d)", re.I)
_ZH_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "1": 1, "2": 2, "3": 3, "4": 4, "5": 5}
_ORDINAL_ZH = re.compile(r"第\s*([一二两三四五1-5])\s*(?:个|款|件|种|项)?")
_LAST_ZH = re.compile(r"最后一(?:个|款|件)")
_THAT_ONE = re.compile(r"\b(?:that|this|the same)\s+(?:one|product|item)\b|\bit\b|那个|这个|那款|这款|它", re.I)
_CHEAPER = re.compile(r"\bcheaper\b|\bless expensive\b|\blower price\b|便宜|实惠|价格低", re.I)
_PRICIER = re.compile(r"\b(?:more expensive|pricier|higher[- ]end|premium)\b|贵一点|更贵|高端", re.I)


def ordinal_reference(text: str) -> int | None:
    """1-based position referred to ("the second one" -> 2, "第三个" -> 3, "the last one" -> -1)."""
    match = _ORDINAL_ZH.search(text)
    if match:
        return _ZH_DIGITS[match.group(1)]
    if _LAST_ZH.search(text):
        return -1
    match = _ORDINAL_EN.search(text)
    if match:
        return _ORDINALS_EN[match.group(1).lower()]
    match = _NUMBER_REF_EN.search(text)
    if match:
        return int(match.group(1))
    return None


def resolve_product_reference(text: str, state: DialogueState) -> str | None:
    """The product a message points at: an ordinal over the last results, or 'that one' for the focus."""
    position = ordinal_reference(text)
    if position is not None and state.results:
        index = len(state.results) - 1 if position == -1 else position - 1
        if 0 <= index < len(state.results):
            return state.results[index]
        return None
    if _THAT_ONE.search(text) and state.focus:
        return state.focus
    return None


def price_direction(text: str) -> str | None:
    """'cheaper' or 'pricier' when the shopper asks to move along the price axis."""
    if _CHEAPER.search(text):
        return "cheaper"
    if _PRICIER.search(text):
        return "pricier"
    return None
