"""Reading order-service details out of a message: order id, identity (email or name + zip), cancel reason,
payment method, which items, which new options, and an address."""

from __future__ import annotations

import re
from typing import Any

from shopcopilot.catalog.models import Variant
from shopcopilot.shopper.vocabulary import Vocabulary

_ORDER_ID = re.compile(r"#?\b(W\d{7})\b", re.I)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_ZIP = re.compile(r"(?<!\d)(\d{5})(?!\d)")
_ITEM_ID = re.compile(r"(?<!\d)(\d{10})(?!\d)")
_NAME_PATTERNS = [
    re.compile(r"\b(?i:my name is|i am|i'm|im|this is|name:?)\s+([A-Za-z][a-zA-Z'-]+)\s+([A-Za-z][a-zA-Z'-]+)"),
    re.compile(r"(?:我叫|我是|名字是|姓名[:：]?)\s*([A-Za-z][a-zA-Z'-]+)\s+([A-Za-z][a-zA-Z'-]+)"),
    re.compile(r"\b([A-Z][a-z-]+)\s+([A-Z][a-z-]+)\b"),
]
_NOT_NAMES = {"I", "Hi", "Hello", "My", "The", "Please", "Order", "Zip", "Water", "Thanks", "Yes", "No"}


def order_id(text: str) -> str | None:
    match = _ORDER_ID.search(text)
    return f"#{match.group(1).upper()}" if match else None


def email(text: str) -> str | None:
    match = _EMAIL.search(text)
    return match.group(0).lower() if match else None


def name_and_zip(text: str) -> tuple[str, str, str] | None:
    zip_match = _ZIP.search(text)
    if not zip_match:
        return None
    for pattern in _NAME_PATTERNS:
        for match in pattern.finditer(text):
            first, last = match.group(1), match.group(2)
            if first in _NOT_NAMES or last in _NOT_NAMES:
                continue
            return first.capitalize(), last.capitalize(), zip_match.group(1)
    return None


def cancel_reason(text: str) -> str | None:
    lowered = text.lower()
    if re.search(r"mistake|by accident|wrong(?:ly)? ordered|买错|下错|误操作|错了", lowered):
        return "ordered by mistake"
    if re.search(r"no longer need|don't need|do not need|not needed|changed my mind|不需要|不想要|用不上|不要了", lowered):
        return "no longer needed"
    return None


def payment_method(text: str, user: dict[str, Any], order: dict[str, Any] | None) -> str | None:
    methods: dict[str, dict[str, Any]] = user.get("payment_methods", {})
    lowered = text.lower()
    for method_id in methods:
        if method_id.lower() in lowered:
            return method_id
    if order and re.search(r"original|same (?:card|method|payment)|原支付|原路|原来的|原付款", lowered):
        payments = [p for p in order.get("payment_history", []) if p.get("transaction_type") == "payment"]
        if payments:
            return payments[0]["payment_method_id"]
    wanted = None
    if re.search(r"gift ?card|礼品卡", lowered):
        wanted = "gift_card"
    elif re.search(r"paypal|贝宝", lowered):
        wanted = "paypal"
    elif re.search(r"credit ?card|visa|mastercard|信用卡", lowered):
        wanted = "credit_card"
    if wanted is None:
        return None
    candidates = [m for m in methods.values() if m.get("source") == wanted]
    four = re.search(r"(?<!\d)(\d{4})(?!\d)", text)
    if four:
        candidates = [m for m in candidates if m.get("last_four") == four.group(1)] or candidates
    return candidates[0]["id"] if len(candidates) == 1 else None


_ALL = re.compile(r"\b(?:all|everything|every item|the whole order|both)\b|全部|所有|都退|整单|两个都", re.I)
_TARGET_SPLIT = re.compile(
    r"\b(?:for|into)\b|\b(?:to|with)\s+(?:a|an|the|one)\b|换成|换为|改成|改为|换个|换一个|换", re.I)


def split_target(text: str) -> tuple[str, str]:
    """("exchange my red water bottle", "a blue one"): which item, then what it should become (split at the
    last "for"/"into"/"to a"/"换成", so "I want to exchange ..." is not split at "to")."""
    matches = list(_TARGET_SPLIT.finditer(text))
    if not matches:
        return text, ""
    last = matches[-1]
    return text[: last.start()], text[last.end():]


def order_items(text: str, order: dict[str, Any], vocab: Vocabulary) -> list[str]:
    """Item ids of the order the message names: by item id, by product name (narrowed by options), or all."""
    items = order.get("items", [])
    ids = [m for m in _ITEM_ID.findall(text) if any(item["item_id"] == m for item in items)]
    if ids:
        return ids
    if _ALL.search(text):
        return [item["item_id"] for item in items]
    chosen: list[str] = []
    for product_id in vocab.match_products(text):
        matching = [item for item in items if item["product_id"] == product_id]
        mentioned = vocab.match_options(text, product_id)
        narrowed = [item for item in matching
                    if all(item["options"].get(name) in values for name, values in mentioned.items()
                           if name in item["options"])]
        for item in narrowed or matching:
            if item["item_id"] not in chosen:
                chosen.append(item["item_id"])
    return chosen


def replacement_variant(
    session, item: dict[str, Any], target_text: str, vocab: Vocabulary
) -> tuple[str | None, dict[str, list[str]]]:
    """The available variant of the same product closest to the item with the options the target text names.

    Returns (variant id or None, the options named). None with options named means no such variant exists.
    """
    for candidate in _ITEM_ID.findall(target_text):
        variant = session.get(Variant, candidate)
        if variant is not None and variant.product_id == item["product_id"]:
            return candidate, {}
    wanted = vocab.match_options(target_text, item["product_id"])
    if not wanted:
        return None, {}
    best: tuple[int, str] | None = None
    variants = session.query(Variant).filter(Variant.product_id == item["product_id"]).all()
    for variant in variants:
        options = variant.options or {}
        if not variant.available or variant.id == item["item_id"]:
            continue
        if any(name in options and options[name] not in values for name, values in wanted.items()):
            continue
        same = sum(1 for name, value in item["options"].items() if options.get(name) == value and name not in wanted)
        if best is None or same > best[0]:
            best = (same, variant.id)
    return (best[1] if best else None), wanted


_ADDRESS = re.compile(
    r"(?P<address1>\d+[^,，]+)[,，]\s*(?:(?P<address2>(?:apt|suite|unit|#|floor|room)[^,，]*)[,，]\s*)?"
    r"(?P<city>[A-Za-z .'-]+)[,，]\s*(?P<state>[A-Z]{2})[,，]?\s*(?P<zip>\d{5})"
    r"(?:[,，]\s*(?P<country>[A-Za-z ]+))?",
    re.I,
)


def address(text: str) -> dict[str, str] | None:
    """'123 Main St, Apt 4, Austin, TX 78701[, USA]' -> the address fields the order operations take."""
    match = _ADDRESS.search(text)
    if not match:
        return None
    parts = {key: (value or "").strip() for key, value in match.groupdict().items()}
    return {
        "address1": parts["address1"],
        "address2": parts["address2"],
        "city": parts["city"],
        "state": parts["state"].upper(),
        "country": parts["country"] or "USA",
        "zip": parts["zip"],
    }
