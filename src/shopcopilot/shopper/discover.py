"""Search-driven discovery: slots from the message (product, options, exclusions, price), carried across turns,
one clarifying question at a time when the request is under-specified, and product cards for the results."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy.orm import Session

from shopcopilot.agent.blocks import Block, ProductCardsBlock, QuestionBlock, TextBlock
from shopcopilot.agent.engine import Analysis, TurnContext
from shopcopilot.agent.memory import preferences
from shopcopilot.agent.state import DialogueState, price_direction, resolve_product_reference
from shopcopilot.shopper.answers import joined, option_label, product_label, say, value_label, values_label
from shopcopilot.shopper.cards import money
from shopcopilot.shopper.vocabulary import Vocabulary, vocabulary

MAX_CARDS = 3
CLARIFY_ABOVE = 6
"""Ask about an option only when more than this many variants still match."""
RELATED_SEARCH_LIMIT = 6
"""How many search hits to look through for other product types that answer the same request."""


_ANY = re.compile(r"^\s*(?:any|anything|any one|whatever|doesn't matter|does not matter|no preference|"
                  r"either|all|随便|都可以|都行|无所谓|没有要求)\s*[.!。！]*\s*$", re.I)
_NEGATION = re.compile(r"\b(?:not|no|without|except|anything but|other than|but not)\b|不要|不是|除了|别|不想要", re.I)
_NUM = r"(\d+(?:\.\d+)?)"
_PRICE_MAX = [
    re.compile(rf"(?:under|below|less than|cheaper than|up to|at most|max(?:imum)?|within)\s*\$?\s*{_NUM}", re.I),
    re.compile(rf"{_NUM}\s*(?:元|美元|块|刀)?\s*(?:以下|以内|之内)", re.I),
    re.compile(rf"(?:低于|不超过|少于|最多)\s*\$?{_NUM}", re.I),
]
_PRICE_MIN = [
    re.compile(rf"(?:over|above|more than|at least|min(?:imum)?)\s*\$?\s*{_NUM}", re.I),
    re.compile(rf"{_NUM}\s*(?:元|美元|块|刀)?\s*以上", re.I),
    re.compile(rf"(?:高于|超过|至少)\s*\$?{_NUM}", re.I),
]
_PRICE_BETWEEN = re.compile(rf"(?:between\s*\$?{_NUM}\s*(?:and|-|to)\s*\$?{_NUM})|\$?{_NUM}\s*(?:到|至|-)\s*\$?{_NUM}\s*(?:元|美元|块|刀|之间)",
                            re.I)


def parse_price(text: str) -> tuple[float | None, float | None]:
    match = _PRICE_BETWEEN.search(text)
    if match:
        numbers = [float(g) for g in match.groups() if g]
        return min(numbers), max(numbers)
    low = high = None
    for pattern in _PRICE_MAX:
        found = pattern.search(text)
        if found:
            high = float(found.group(1))
            break
    for pattern in _PRICE_MIN:
        found = pattern.search(text)
        if found:
            low = float(found.group(1))
            break
    return low, high


def split_negated(text: str) -> tuple[str, str]:
    """(affirmed part, negated part): the words after a negation cue up to the next clause break."""
    negated: list[str] = []
    affirmed = text
    for match in _NEGATION.finditer(text):
        tail = re.split(r"[,.;!?，。；！？]|\bbut\b|\band\b|但是|但", text[match.end():], maxsplit=1)[0]
        negated.append(tail)
        affirmed = affirmed.replace(match.group(0) + tail, " ")
    return affirmed, " ".join(negated)


def analyze(session: Session, text: str, state: DialogueState, resources: dict[str, Any]) -> Analysis:
    """The engine's analyzer: products and option values named in the message."""
    vocab = vocabulary(session, resources)
    products = vocab.match_products(text)
    context = products[0] if products else state.slots.get("product_id")
    return Analysis(product_ids=products, options=vocab.match_options(text, context))


def _update_slots(ctx: TurnContext, vocab: Vocabulary) -> dict[str, Any]:
    state, text = ctx.state, ctx.message
    slots = state.slots
    named = ctx.analysis.product_ids
    reference = resolve_product_reference(text, state)
    if named and named[0] != slots.get("product_id"):
        candidates = named[:MAX_CARDS] if len(named) > 1 else [named[0], *_related_types(ctx, vocab, named[0])]
        slots = {"product_id": named[0], "candidates": candidates[:MAX_CARDS],
                 "query": vocab.products[named[0]].name, "options": {}, "excluded": {}}
        state.asked = []
    elif reference and reference != slots.get("product_id"):
        slots = {**slots, "product_id": reference, "candidates": [reference], "options": {}, "excluded": {}}
    elif not slots.get("product_id") and not named and not state.awaiting:
        slots = {"query": text, "options": {}, "excluded": {}}
    slots.setdefault("options", {})
    slots.setdefault("excluded", {})
    product_id = slots.get("product_id")

    affirmed, negated = split_negated(text)
    answering = state.awaiting.split(":", 1)[1] if state.awaiting and state.awaiting.startswith("option:") else None
    if answering and _ANY.match(text):
        slots["options"].pop(answering, None)
    chosen = _chosen_value(text, answering, vocab.products.get(product_id or ""))
    if chosen:
        # A Chinese choice chip ("4杯") names the store's English value ("4 cups").
        slots["options"][answering] = [chosen]
        slots["excluded"].pop(answering, None)
    for name, values in vocab.match_options(affirmed, product_id).items():
        slots["options"][name] = values
        slots["excluded"].pop(name, None)
    for name, values in vocab.match_options(negated, product_id).items():
        slots["excluded"][name] = sorted(set(slots["excluded"].get(name, [])) | set(values))
        if set(slots["options"].get(name, [])) <= set(values):
            slots["options"].pop(name, None)
    low, high = parse_price(text)
    if low is not None or high is not None:
        slots["price_min"], slots["price_max"] = low, high
    state.slots = slots
    return slots


def _chosen_value(text: str, option: str | None, info: Any) -> str | None:
    if not option or info is None:
        return None
    said = text.strip().strip("。.!！ ")
    for value in info.options.get(option, []):
        if said in (value, value_label(option, value, "zh")):
            return value
    return None


def _related_types(ctx: TurnContext, vocab: Vocabulary, product_id: str) -> list[str]:
    """Other product types the hybrid search finds for the same request ("咖啡机": the coffee maker and the
    espresso machine): same category, found by words and vectors, and a kind of the same thing by name."""
    info = vocab.products[product_id]
    result = ctx.call("search_products", {"text": ctx.message, "limit": RELATED_SEARCH_LIMIT})
    related = []
    for hit in result["hits"]:
        other = vocab.products.get(hit["product_id"])
        if other is None or other.id == product_id or not hit.get("grounded", True):
            continue
        if other.category_id == info.category_id and _same_kind(info, other):
            related.append(other.id)
    return related


def _same_kind(a: Any, b: Any) -> bool:
    """One name contains the other's head ("意式咖啡机" has "咖啡机"; "Tea Kettle" and "Electric Kettle" end alike)."""
    if a.name_zh and b.name_zh and (a.name_zh in b.name_zh or b.name_zh in a.name_zh):
        return True
    head = lambda name: name.lower().split()[-1].rstrip("s") if name.split() else ""  # noqa: E731
    return head(a.name) == head(b.name)


def discover(ctx: TurnContext) -> list[Block]:
    state = ctx.state
    vocab = vocabulary(ctx.session, ctx.resources)
    was_awaiting = state.awaiting
    state.awaiting = None
    slots = _update_slots(ctx, vocab)
    prefs = preferences(ctx.session, state.authenticated_user_id if ctx.shopper_id else None)
    direction = price_direction(ctx.message)
    product_id = slots.get("product_id")

    # "便宜点的" moves from what was shown; "有没有便宜点的耳机" with no earphones shown yet is a new search.
    named_now = [pid for pid in ctx.analysis.product_ids if pid in vocab.products]
    if direction and state.focus and (not named_now or state.focus in named_now):
        return _move_price(ctx, direction, state.focus, slots, prefs)

    if product_id:
        candidates = [pid for pid in slots.get("candidates") or [product_id] if pid in vocab.products]
    else:
        if was_awaiting == "category" and _ANY.match(ctx.message):
            candidates = []
        else:
            result = ctx.call("search_products", {"text": slots.get("query") or ctx.message, "limit": MAX_CARDS,
                                                  "price_min": slots.get("price_min"),
                                                  "price_max": slots.get("price_max")})
            # Only what the search found by the query's words (or its product type) is shown as found.
            candidates = [hit["product_id"] for hit in result["hits"] if hit.get("grounded", True)]
        if not candidates:
            if "category" in state.asked:
                return [TextBlock(say(ctx.language, "nothing_found"))]
            state.asked.append("category")
            state.awaiting = "category"
            choices = sorted({info.name for info in vocab.products.values()})[:12]
            return [QuestionBlock(slot="category", text=say(ctx.language, "ask_category"), choices=choices)]

    lacking = _lacking_note(ctx, vocab, product_id)
    # One clarifying question, about the option that splits the remaining variants most, asked once per product.
    if len(candidates) == 1:
        question = _clarifying_question(ctx, vocab, candidates[0], slots, prefs)
        if question:
            return [*lacking, question]
    return [*lacking, *show_cards(ctx, candidates[:MAX_CARDS], slots, prefs)]


def _lacking_note(ctx: TurnContext, vocab: Vocabulary, product_id: str | None) -> list[Block]:
    """"白色运动鞋" when these sneakers come in no white: the shopper is told, not silently shown other colours."""
    if product_id not in vocab.products:
        return []
    info = vocab.products[product_id]
    has = {str(v).lower() for values in info.options.values() for v in values}
    lacking: dict[str, list[str]] = {}
    for name, values in vocab.match_options(split_negated(ctx.message)[0]).items():
        for value in values:
            if value.lower() not in has and all(value not in vs for vs in lacking.values()):
                lacking.setdefault(name, []).append(value)
    if not lacking:
        return []
    values = joined(values_label(lacking, ctx.language), ctx.language)
    return [TextBlock(say(ctx.language, "no_such_option", product=product_label(info.name, info.name_zh, ctx.language),
                          values=values))]


def _avoid_map(prefs, product_options: dict[str, list[str]]) -> dict[str, list[str]]:
    """Memory 'avoid' items mapped onto this product's option names (colour -> 'color', 'frame color', ...)."""
    avoid: dict[str, list[str]] = {}
    for attribute, values in prefs.avoids.items():
        for name, offered in product_options.items():
            lowered = name.lower()
            if attribute in lowered or (attribute == "color" and "colour" in lowered):
                hit = [value for value in offered if value.lower() in values]
                if hit:
                    avoid.setdefault(name, []).extend(hit)
    return avoid


def _clarifying_question(ctx: TurnContext, vocab: Vocabulary, product_id: str, slots, prefs) -> Block | None:
    info = vocab.products[product_id]
    if product_id in ctx.state.asked or len(slots["options"]) > 0:
        return None
    card = ctx.call("product_card", {"product_id": product_id, "options": slots["options"],
                                     "excluded": _merge(slots["excluded"], _avoid_map(prefs, info.options)),
                                     "price_min": slots.get("price_min"), "price_max": slots.get("price_max")})
    matching = [v for v in card["variants"] if v["matches"] and v["available"]]
    if len(matching) <= CLARIFY_ABOVE:
        return None
    spread = {name: sorted({str(v["options"].get(name)) for v in matching if name in v["options"]})
              for name in card["option_names"] if name not in slots["options"]}
    name, values = max(spread.items(), key=lambda item: (len(item[1]), item[0] == "color"))
    if len(values) < 2:
        return None
    ctx.state.asked.append(product_id)
    ctx.state.awaiting = f"option:{name}"
    ctx.state.focus = product_id
    ctx.state.results = [product_id]
    # The chips read in the shopper's language; `_chosen_value` maps a Chinese chip back to the store's value.
    return QuestionBlock(slot=f"option:{name}",
                         text=say(ctx.language, "ask_option", option=option_label(name, ctx.language),
                                  product=card["title"]),
                         choices=[value_label(name, value, ctx.language) for value in values])


def _merge(a: dict[str, list[str]], b: dict[str, list[str]]) -> dict[str, list[str]]:
    merged = {name: list(values) for name, values in a.items()}
    for name, values in b.items():
        merged[name] = sorted(set(merged.get(name, [])) | set(values))
    return merged


def _reason(ctx: TurnContext, slots, avoided: dict[str, list[str]], liked: list[str]) -> str:
    parts: list[str] = []
    wanted = values_label(slots["options"], ctx.language)
    if wanted:
        parts.append(say(ctx.language, "reason_options", values=joined(wanted, ctx.language)))
    elif slots.get("query"):
        parts.append(say(ctx.language, "reason_search", query=_query_label(ctx, slots)))
    avoided_values = sorted(set(values_label(avoided, ctx.language)))
    if avoided_values:
        parts.append(say(ctx.language, "reason_avoid", values=joined(avoided_values, ctx.language)))
    if liked and not wanted:
        parts.append(say(ctx.language, "reason_like",
                         values=joined([value_label(None, v, ctx.language) for v in liked], ctx.language)))
    return " ".join(parts)


def show_cards(ctx: TurnContext, product_ids: list[str], slots, prefs, intro: str | None = None) -> list[Block]:
    vocab = vocabulary(ctx.session, ctx.resources)
    cards: list[dict[str, Any]] = []
    lines: list[str] = []
    for product_id in product_ids:
        info = vocab.products[product_id]
        avoided = _avoid_map(prefs, info.options)
        liked = sorted({value for name, values in info.options.items() for value in values
                        for attribute, likes in prefs.likes.items()
                        if attribute in name.lower() and value.lower() in likes[:2]})
        args = {"product_id": product_id, "options": slots["options"],
                "excluded": _merge(slots["excluded"], avoided),
                "price_min": slots.get("price_min"), "price_max": slots.get("price_max"),
                "reason": _reason(ctx, slots, avoided, liked)}
        card = ctx.call("product_card", args)
        if card["match_price_min"] is None:
            constraints = joined(values_label(slots["options"], ctx.language)
                                 + [f"≤ {money(slots['price_max'])}" if slots.get("price_max") else ""]
                                 + [f"≥ {money(slots['price_min'])}" if slots.get("price_min") else ""],
                                 ctx.language).strip(", 、") or "-"
            if len(product_ids) > 1:
                continue  # another result fits; do not show one that does not
            lines.append(say(ctx.language, "no_match_product", product=card["title"], constraints=constraints))
        else:
            key = "found_product_one_price" if card["match_price_min"] == card["match_price_max"] else "found_product"
            lines.append(say(ctx.language, key, product=card["title"],
                             low=money(card["match_price_min"]), high=money(card["match_price_max"])))
        cards.append(card)
    if not cards:
        return [TextBlock(say(ctx.language, "nothing_found"))]
    ctx.state.results = [card["product_id"] for card in cards]
    ctx.state.focus = cards[0]["product_id"]
    head = intro or say(ctx.language, "found", query=_query_label(ctx, slots) or cards[0]["title"])
    return [TextBlock("\n".join([head, *lines])), ProductCardsBlock(cards=cards)]


def _query_label(ctx: TurnContext, slots: dict[str, Any]) -> str:
    """The search as the shopper should read it: a product's own name in the answer's language, else their words."""
    query = slots.get("query") or ""
    info = vocabulary(ctx.session, ctx.resources).products.get(slots.get("product_id") or "")
    if info is not None and query == info.name:
        return product_label(info.name, info.name_zh, ctx.language)
    return query


def _move_price(ctx: TurnContext, direction: str, reference: str, slots, prefs) -> list[Block]:
    """'a cheaper one': variants (of the same product) priced below the cheapest one that matched so far."""
    # The anchor is the price the shopper saw: shown cards leave out the colours/materials memory avoids.
    excluded = _merge(slots["excluded"], _avoid_map(prefs, vocabulary(ctx.session, ctx.resources)
                                                    .products[reference].options))
    card = ctx.call("product_card", {"product_id": reference, "options": slots["options"],
                                     "excluded": excluded, "price_min": slots.get("price_min"),
                                     "price_max": slots.get("price_max")})
    # The new bounds go into a copy: when nothing is cheaper, the next "便宜点的" must start from the same price.
    if direction == "cheaper":
        anchor = card["match_price_min"] if card["match_price_min"] is not None else card["price_min"]
        bounds = {"price_min": None, "price_max": round(anchor - 0.01, 2)}
    else:
        anchor = card["match_price_max"] if card["match_price_max"] is not None else card["price_max"]
        bounds = {"price_min": round(anchor + 0.01, 2), "price_max": None}
    # A cheaper one may be another colour or size: relax the option choices, keep the exclusions.
    relaxed = {**slots, **bounds, "options": {}, "product_id": reference, "candidates": [reference]}
    probe = ctx.call("product_card", {"product_id": reference, "excluded": excluded,
                                      "price_min": relaxed.get("price_min"),
                                      "price_max": relaxed.get("price_max")})
    if probe["match_price_min"] is None:
        key = "cheaper_none" if direction == "cheaper" else "pricier_none"
        return [TextBlock(say(ctx.language, key, price=money(anchor)))]
    ctx.state.slots = relaxed
    return show_cards(ctx, [reference], relaxed, prefs)
