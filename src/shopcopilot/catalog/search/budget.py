"""Price phrases in English and Chinese: "under $200", "200元以内", "between 50 and 80", "50到80元", "around $100"."""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUM = r"(\d+(?:,\d{3})*(?:\.\d+)?)(?![\d.]|,\d)\s*(k|千)?"
# A number followed by one of these is a spec ("5000mAh", "6 to 8 cups"), not a price.
_NOT_PRICE = (
    r"(?!\s*(?:mah|gb|tb|ml|l\b|mm|cm|ft|inch|in\b|lbs?|kg|g\b|w\b|mp|hours?|cups?|x\b|%|bar|degrees?|pieces?"
    r"|寸|英寸|毫升|升|磅|公斤|码|号|小时|杯|片|件|个))"
)
_PRE = r"(?:\$|us\$|usd\s*|￥|¥|rmb\s*)?"
_POST = r"(?:\s*(?:dollars?|bucks|usd|元|块钱?|美元|美金|刀|rmb))?"
_AMOUNT = _PRE + _NUM + _NOT_PRICE + _POST
_CURRENCY = re.compile(r"[$￥¥]|dollar|bucks|usd|rmb|元|块|美元|美金|刀", re.I)
_PRICE_CONTEXT = re.compile(r"price|priced|budget|cost|价格|价位|预算|价钱", re.I)

_RANGE_WORDS = re.compile(rf"(?:between|from)\s+{_AMOUNT}\s*(?:and|to|-|–)\s*{_AMOUNT}", re.I)
_RANGE = re.compile(rf"{_AMOUNT}\s*(?:-|–|~|to|到|至)\s*{_AMOUNT}(?:\s*(?:之间|以内|范围))?", re.I)
_AROUND_PRE = re.compile(rf"(?:around|about|approximately|roughly|大约|大概|差不多)\s*{_AMOUNT}", re.I)
_AROUND_POST = re.compile(rf"{_AMOUNT}\s*(?:左右|上下)", re.I)
_MAX_PRE = re.compile(
    r"(?:under|below|less than|cheaper than|up to|at most|no more than|not more than|maximum|max|within"
    rf"|budget of|budget is|budget|<=?|不超过|不高于|低于|少于|不到|最多|最高|预算)\s*{_AMOUNT}",
    re.I,
)
_MAX_POST = re.compile(
    rf"{_AMOUNT}\s*(?:以内|以下|之内|之下|内|or less|or under|or below|and under|and below|max)", re.I
)
_MIN_PRE = re.compile(
    rf"(?:over|above|more than|at least|minimum|min|starting at|>=?|超过|高于|不低于|至少|起码)\s*{_AMOUNT}",
    re.I,
)
_MIN_POST = re.compile(rf"{_AMOUNT}\s*(?:以上|之上|起|or more|and up|and above|\+)", re.I)


@dataclass
class Budget:
    price_min: float | None = None
    price_max: float | None = None
    remainder: str = ""


def _value(number: str, thousands: str | None) -> float:
    value = float(number.replace(",", ""))
    return value * 1000 if thousands else value


def parse_budget(text: str) -> Budget:
    """Find price bounds; `remainder` is the text with the price phrases cut out."""
    budget = Budget()
    spans: list[tuple[int, int]] = []

    def take(match: re.Match) -> None:
        spans.append(match.span())

    for match in _RANGE_WORDS.finditer(text):
        low, high = sorted((_value(match[1], match[2]), _value(match[3], match[4])))
        budget.price_min, budget.price_max = low, high
        take(match)
    if budget.price_max is None:
        for match in _RANGE.finditer(text):
            # "5-25 lbs" or "6 to 8" alone is not a price: ask for a currency or a price word.
            if not (_CURRENCY.search(match[0]) or _PRICE_CONTEXT.search(text)):
                continue
            low, high = sorted((_value(match[1], match[2]), _value(match[3], match[4])))
            budget.price_min, budget.price_max = low, high
            take(match)
            break
    if budget.price_max is None:
        for pattern in (_AROUND_PRE, _AROUND_POST):
            match = pattern.search(text)
            if match:
                centre = _value(match[1], match[2])
                budget.price_min, budget.price_max = round(centre * 0.8, 2), round(centre * 1.2, 2)
                take(match)
                break
    if budget.price_max is None:
        for pattern in (_MAX_PRE, _MAX_POST):
            match = pattern.search(text)
            if match:
                budget.price_max = _value(match[1], match[2])
                take(match)
                break
    if budget.price_min is None:
        for pattern in (_MIN_PRE, _MIN_POST):
            match = pattern.search(text)
            if match and not any(start <= match.start() < end for start, end in spans):
                budget.price_min = _value(match[1], match[2])
                take(match)
                break
    remainder = text
    for start, end in sorted(spans, reverse=True):
        remainder = remainder[:start] + " " + remainder[end:]
    budget.remainder = re.sub(r"\s+", " ", remainder).strip()
    return budget
