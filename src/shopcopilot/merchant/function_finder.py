"""Function finder: a merchant's request (English or Chinese) -> the backend operation and its arguments.

Rules first: each operation has trigger words, and arguments are pulled out by extractors (percent, amounts,
variant ids, product and category names from the store's vocabulary, order statuses). When no rule fires, the
request's e5 embedding is compared with example requests per operation; above `EMBED_THRESHOLD` that operation is
chosen and the same extractors fill its arguments. Nothing found means "not an operation" (a question for the
knowledge bases).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from shopcopilot.config import PACKAGE_DATA
from shopcopilot.merchant.category_mapper import packaged_categories

EMBED_THRESHOLD = 0.9
_NUM = r"(\d+(?:\.\d+)?)"
_VARIANT_ID = re.compile(r"(?<![\d#])(\d{8,12})(?!\d)")
_PRODUCT_ID_HINT = re.compile(r"\bproduct\s+([A-Za-z0-9_-]{3,64})", re.I)

STATUS_WORDS: list[tuple[str, tuple[str, ...]]] = [
    ("exchange requested", ("exchange", "换货")),
    ("return requested", ("return", "退货")),
    ("pending", ("pending", "not shipped", "待处理", "未发货")),
    ("delivered", ("delivered", "已签收", "已送达")),
    ("cancelled", ("cancelled", "canceled", "已取消")),
    ("processed", ("processed", "shipped", "已处理", "已发货")),
]
EXAMPLES: dict[str, list[str]] = {
    "change_prices": [
        "raise all hiking boots by 5%",
        "lower the price of the kettles by 10 percent",
        "所有登山靴涨价5%",
        "把电水壶降价10%",
    ],
    "create_coupon": [
        "make a spend-200-save-20 coupon for kitchen items",
        "create a 10% off coupon",
        "做一张满200减20的厨房优惠券",
    ],
    "list_orders": ["which orders wait for an exchange?", "show me the pending orders", "哪些订单在等换货？"],
    "set_availability": [
        "mark variant 1234567890 out of stock",
        "stop selling the red t-shirt",
        "把这个规格下架",
    ],
    "set_stock": ["set the stock of variant 1234567890 to 25", "库存改为25"],
    "edit_title": ["rename product 123 to Trail Boots", "change the title of the backpack"],
}


@dataclass
class FoundOperation:
    operation: str | None  # None: not an operation
    arguments: dict[str, Any] = field(default_factory=dict)
    method: str = "none"  # "rules", "embedding" or "none"
    confidence: float = 0.0
    missing: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "operation": self.operation,
            "arguments": self.arguments,
            "method": self.method,
            "confidence": round(self.confidence, 3),
            "missing": self.missing,
        }


_QUESTION = re.compile(
    r"^(what|how|can|could|may|should|is|are|why|when|do|does|where|who|am i|if)\b|[吗么呢]\s*[？?]?$|如何|怎么|什么|是否|能不能|可以吗",
    re.I,
)


def is_question(text: str) -> bool:
    return bool(_QUESTION.search(text.strip()))


@lru_cache(maxsize=1)
def default_product_names() -> list[tuple[str, str]]:
    """(English name, a Chinese name for it): the product's own Chinese name and the words shoppers and merchants use
    for it ("背包" for 双肩背包), one pair each."""
    data = json.loads((PACKAGE_DATA / "product_knowledge.json").read_text(encoding="utf-8"))
    return [
        (name, zh)
        for name, entry in data.items()
        for zh in dict.fromkeys([entry.get("name_zh") or "", *entry.get("keywords_zh", [])])
    ]


def _singular(word: str) -> str:
    for suffix, repl in (("ies", "y"), ("shes", "sh"), ("ches", "ch"), ("sses", "ss"), ("s", "")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            return word[: -len(suffix)] + repl
    return word


def _norm(text: str) -> str:
    return " ".join(_singular(w) for w in re.findall(r"[a-z0-9]+", text.lower()))


class FunctionFinder:
    def __init__(
        self,
        product_names: list[tuple[str, str]] | None = None,
        categories: list[dict] | None = None,
        embedder: Any | None = None,
    ) -> None:
        self.products = product_names if product_names is not None else default_product_names()
        self.categories = categories if categories is not None else packaged_categories()
        self.embedder = embedder
        self._examples: tuple[list[str], np.ndarray] | None = None

    # -- argument extractors ------------------------------------------------------------------------------------------
    def product_in(self, text: str) -> str | None:
        normalised = f" {_norm(text)} "
        for name, _ in sorted(self.products, key=lambda p: -len(p[0])):
            if f" {_norm(name)} " in normalised:
                return name
        chinese = self.chinese_matches(text)
        if chinese:
            return chinese[0] if len(chinese) == 1 else None  # "耳机" names two products: ask, do not guess
        heads: dict[str, set[str]] = {}
        for name, _ in self.products:
            heads.setdefault(_norm(name).split()[-1], set()).add(name)
        for head, names in heads.items():
            if len(names) == 1 and f" {head} " in normalised:
                return next(iter(names))
        return None

    def chinese_matches(self, text: str) -> list[str]:
        """The products the longest Chinese name found in `text` stands for (several when it is shared)."""
        found = [(len(zh), name) for name, zh in self.products if zh and zh in text]
        if not found:
            return []
        longest = max(length for length, _ in found)
        return sorted({name for length, name in found if length == longest})

    def chinese_name(self, name: str) -> str:
        """A product's own Chinese name (the first listed for it), else its English name."""
        return next((zh for english, zh in self.products if english == name and zh), name)

    def category_in(self, text: str) -> str | None:
        lowered = text.lower()
        normalised = f" {_norm(text)} "
        for category in self.categories:
            if f" {_norm(category['id'].replace('-', ' '))} " in normalised:
                return category["id"]
        for category in self.categories:
            if category.get("name_zh") and category["name_zh"][:2] in text:
                return category["id"]
            first = _norm(category["name"]).split()[0]
            if f" {first} " in normalised and first not in ("home", "travel"):
                return category["id"]
        return None if "category" not in lowered else None

    def scope_in(self, text: str) -> dict:
        ids = _VARIANT_ID.findall(text)
        if ids:
            return {"variant_ids": ids}
        scope: dict[str, Any] = {}
        product = self.product_in(text)
        if product:
            scope["product"] = product
        else:
            category = self.category_in(text)
            if category:
                scope["category"] = category
        size = re.search(r"\bsize\s+([A-Z0-9]{1,4})\b", text, re.I)
        if size:
            scope["options"] = {"size": size.group(1).upper()}
        return scope

    @staticmethod
    def percent_in(text: str) -> float | None:
        match = re.search(_NUM + r"\s*(?:%|percent|per cent)", text, re.I) or re.search(
            r"百分之" + _NUM, text
        )
        if match:
            return float(match.group(1))
        zhe = re.search(r"(\d(?:\.\d)?)\s*折", text)
        if zhe:
            return round(100 - float(zhe.group(1)) * 10, 2)
        return None

    # -- operations ---------------------------------------------------------------------------------------------------
    def _price(self, text: str) -> FoundOperation | None:
        lowered = text.lower()
        up = re.search(r"\b(raise|increase|mark up|markup|put up|up)\b|涨价|提价|上调|提高|调高", lowered)
        down = re.search(
            r"\b(lower|reduce|cut|decrease|drop|discount|mark down|markdown)\b|\d\s*%\s*off|降价|下调|降低|调低|打.{0,3}折|便宜",
            lowered,
        )
        price_word = re.search(r"\bprices?\b|价格|价", lowered)
        percent = self.percent_in(text)
        fixed = (
            re.search(r"(?:\bto|改为|改成|调到|设为|定价)\s*\$?\s*" + _NUM, text, re.I)
            if price_word
            else None
        )
        if not (up or down or (price_word and (percent is not None or fixed))):
            return None
        if "coupon" in lowered or "优惠券" in text or "满" in text and "减" in text:
            return None
        args: dict[str, Any] = {"scope": self.scope_in(text)}
        if percent is not None and not fixed:
            sign = -1 if down and not up else 1
            if re.search(r"打.{0,3}折|% off|percent off", lowered):
                sign = -1
            args["percent"] = sign * percent
        elif fixed:
            args["price"] = float(fixed.group(1))
        else:
            return FoundOperation("change_prices", args, "rules", 0.6, missing=["percent or price"])
        missing = [] if args["scope"] else ["scope"]
        return FoundOperation("change_prices", args, "rules", 0.95, missing)

    def _coupon(self, text: str) -> FoundOperation | None:
        lowered = text.lower()
        if not re.search(r"coupon|voucher|优惠券|满\s*\d+\s*减|代金券|折扣券", lowered):
            return None
        args: dict[str, Any] = {}
        spend = (
            re.search(r"spend[\s-]*\$?" + _NUM + r"[\s,-]*(?:and\s+)?(?:get|save)[\s-]*\$?" + _NUM, lowered)
            or re.search(r"满\s*" + _NUM + r"\s*减\s*" + _NUM, text)
            or re.search(r"\$?" + _NUM + r"\s*off\s*(?:orders?\s+)?(?:over|above|of)\s*\$?" + _NUM, lowered)
        )
        percent = self.percent_in(text)
        if spend:
            a, b = float(spend.group(1)), float(spend.group(2))
            if "off" in spend.group(0):
                a, b = b, a
            args.update(kind="spend_save", threshold=a, amount=b)
        elif percent is not None:
            args.update(kind="percent", percent=percent)
            over = re.search(r"(?:over|above|满)\s*\$?" + _NUM, lowered)
            if over:
                args["threshold"] = float(over.group(1))
        category = self.category_in(text)
        if category:
            args["category"] = category
        days = re.search(_NUM + r"\s*(days?|天|weeks?|周)", lowered)
        if days:
            unit = days.group(2)
            args["days"] = int(float(days.group(1)) * (7 if unit.startswith(("week", "周")) else 1))
        missing = [] if "kind" in args else ["kind and amounts"]
        return FoundOperation("create_coupon", args, "rules", 0.95 if not missing else 0.6, missing)

    def _orders(self, text: str) -> FoundOperation | None:
        lowered = text.lower()
        if not re.search(r"\borders?\b|订单", lowered):
            return None
        if re.search(r"\b(cancel|refund)\b", lowered) and not re.search(r"cancelled|canceled", lowered):
            return None
        for status, words in STATUS_WORDS:
            if any(word in lowered for word in words):
                return FoundOperation("list_orders", {"status": status}, "rules", 0.95)
        if re.search(r"\b(which|what|list|show|how many)\b|哪些|查看|列出|多少", lowered):
            return FoundOperation("list_orders", {}, "rules", 0.7)
        return None

    def _availability(self, text: str) -> FoundOperation | None:
        lowered = text.lower()
        off = re.search(
            r"out of stock|unavailable|not available|stop selling|sold out|discontinue|下架|缺货|停售|不可售|售罄",
            lowered,
        )
        on = re.search(
            r"back in stock|available again|mark .*available|resume selling|restock(?:ed)? and available|上架|恢复销售|重新上架|可售",
            lowered,
        )
        if not (off or on):
            return None
        args = {"scope": self.scope_in(text), "available": not bool(off)}
        return FoundOperation("set_availability", args, "rules", 0.95, [] if args["scope"] else ["scope"])

    def _stock(self, text: str) -> FoundOperation | None:
        lowered = text.lower()
        if not re.search(r"\bstock\b|inventory|库存", lowered):
            return None
        number = re.search(
            r"(?:to|=|为|成|at)\s*(\d+)\s*(?:units?|pcs|件|个)?\s*$", text.strip(), re.I
        ) or re.search(r"(\d+)\s*(?:units?|pcs|件|个)", text, re.I)
        scope = self.scope_in(text.replace(number.group(0), " ") if number else text)
        if not number:
            return FoundOperation("set_stock", {"scope": scope}, "rules", 0.6, ["stock"])
        return FoundOperation(
            "set_stock",
            {"scope": scope, "stock": int(number.group(1))},
            "rules",
            0.95,
            [] if scope else ["scope"],
        )

    def _title(self, text: str) -> FoundOperation | None:
        match = re.search(
            r"(?:rename|retitle|change the (?:title|name) of)\s+(?:product\s+)?(.+?)\s+to\s+[\"“']?(.+?)[\"”']?\s*$",
            text.strip(),
            re.I,
        ) or re.search(
            r"把(?:商品)?\s*(.+?)\s*的?(?:标题|名称|名字)改为\s*[\"“']?(.+?)[\"”']?\s*$", text.strip()
        )
        if not match:
            return None
        target, new = match.group(1).strip(), match.group(2).strip()
        args: dict[str, Any] = {"product": self.product_in(target) or target, "name": new}
        pid = _PRODUCT_ID_HINT.search(f"product {target}")
        if re.fullmatch(r"[A-Za-z0-9_-]{3,64}", target) and pid:
            args = {"product_id": target, "name": new}
        return FoundOperation("edit_title", args, "rules", 0.9)

    # -- the finder ---------------------------------------------------------------------------------------------------
    def find(self, request: str) -> FoundOperation:
        text = request.strip()
        if not text:
            return FoundOperation(None)
        # A question about a change ("can I raise a price...?") is for the knowledge bases; only the order list is
        # asked as a question ("which orders wait for an exchange?").
        rules = (
            (self._orders,)
            if is_question(text)
            else (self._title, self._coupon, self._orders, self._availability, self._stock, self._price)
        )
        for rule in rules:
            found = rule(text)
            if found is not None:
                return found
        return self._by_embedding(text)

    def _by_embedding(self, text: str) -> FoundOperation:
        if self.embedder is None:
            return FoundOperation(None)
        if self._examples is None:
            names = [name for name, examples in EXAMPLES.items() for _ in examples]
            vectors = np.stack(
                [self.embedder.embed_query(e) for examples in EXAMPLES.values() for e in examples]
            )
            self._examples = (names, vectors)
        names, vectors = self._examples
        sims = vectors @ self.embedder.embed_query(text)
        best = int(np.argmax(sims))
        if float(sims[best]) < EMBED_THRESHOLD:
            return FoundOperation(None, confidence=float(sims[best]))
        name = names[best]
        args: dict[str, Any] = {}
        if name in ("change_prices", "set_availability", "set_stock"):
            args["scope"] = self.scope_in(text)
        return FoundOperation(name, args, "embedding", float(sims[best]), missing=["arguments"])


def arguments_match(expected: dict, found: dict) -> bool:
    """Every expected argument is found with the same value (numbers compared as floats, strings case-blind)."""
    for key, value in expected.items():
        got = found.get(key)
        if isinstance(value, dict):
            if not isinstance(got, dict) or not arguments_match(value, got):
                return False
        elif isinstance(value, bool) or isinstance(got, bool):
            if value is not got:
                return False
        elif isinstance(value, int | float):
            if not isinstance(got, int | float) or abs(float(got) - float(value)) > 1e-6:
                return False
        elif isinstance(value, list):
            if [str(v).lower() for v in value] != [str(v).lower() for v in got or []]:
                return False
        elif str(value).lower() != str(got or "").lower():
            return False
    return True


def evaluate(finder: FunctionFinder, cases: list[dict]) -> dict:
    """Accuracy of operation + arguments over labelled cases ({"request", "operation", "arguments"})."""
    results = []
    for case in cases:
        found = finder.find(case["request"])
        ok = found.operation == case.get("operation") and arguments_match(
            case.get("arguments") or {}, found.arguments
        )
        results.append(
            {
                "request": case["request"],
                "expected": case.get("operation"),
                "found": found.to_dict(),
                "ok": ok,
            }
        )
    correct = sum(r["ok"] for r in results)
    return {
        "total": len(results),
        "correct": correct,
        "accuracy": correct / len(results) if results else 0.0,
        "results": results,
    }
