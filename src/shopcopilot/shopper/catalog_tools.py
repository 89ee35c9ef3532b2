"""Catalog, cart and memory tools for the assistant's registry (typed, JSON-schema arguments)."""

from __future__ import annotations

import re
from typing import Any

from shopcopilot.agent import memory as memory_store
from shopcopilot.agent.tools import Tool, ToolContext, ToolRegistry
from shopcopilot.errors import Forbidden
from shopcopilot.shopper.cards import build_card
from shopcopilot.shopper.vocabulary import vocabulary

_OPTION_MAP = {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}}


def _search_engine(ctx: ToolContext) -> Any | None:
    engine = ctx.resources.get("search_engine")
    if engine is not None:
        return engine
    try:
        from shopcopilot.catalog.search import SearchEngine
    except ImportError:
        return None
    database = ctx.resources.get("database")
    if database is None:
        return None
    engine = ctx.resources["search_engine"] = SearchEngine(database)
    return engine


def _fallback_search(ctx: ToolContext, text: str, limit: int) -> list[dict[str, Any]]:
    """Keyword overlap with product names and option values (used when no search engine is installed)."""
    vocab = vocabulary(ctx.session, ctx.resources)
    named = vocab.match_products(text)
    words = set(re.findall(r"[a-z0-9]+", text.lower()))
    scored: list[tuple[float, str]] = []
    for pid, info in vocab.products.items():
        score = 10.0 if pid in named else 0.0
        name_words = set(re.findall(r"[a-z0-9]+", info.name.lower()))
        score += 2.0 * len(words & name_words)
        values = {v.lower() for vals in info.options.values() for v in vals}
        score += 0.5 * len(words & values)
        if score > 0:
            scored.append((score, pid))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [
        {"product_id": pid, "name": vocab.products[pid].name, "score": score, "grounded": True,
         "price_min": vocab.products[pid].price_min, "price_max": vocab.products[pid].price_max}
        for score, pid in scored[:limit]
    ]


def search_products(ctx: ToolContext, args: dict[str, Any]) -> dict[str, Any]:
    text, limit = args["text"], int(args.get("limit", 5))
    engine = _search_engine(ctx)
    if engine is None:
        return {"engine": "keywords", "hits": _fallback_search(ctx, text, limit)}
    kwargs: dict[str, Any] = {"limit": limit}
    filters = _filters(args)
    if filters is not None:
        kwargs["filters"] = filters
    try:
        result = engine.search(text, **kwargs)
    except Exception as exc:  # an index being built or locked must not stop discovery: keywords still work
        return {"engine": f"keywords (search engine unavailable: {type(exc).__name__})",
                "hits": _fallback_search(ctx, text, limit)}
    hits = [
        {"product_id": hit.product_id, "name": hit.name, "score": round(float(hit.score), 4),
         "price_min": hit.price_min, "price_max": hit.price_max, "grounded": _grounded(float(hit.score))}
        for hit in result.hits
    ]
    if not hits:
        return {"engine": "keywords (hybrid index empty)", "hits": _fallback_search(ctx, text, limit)}
    return {"engine": "hybrid", "hits": hits}


# The hybrid search fuses ranks, 1/(60 + rank) per retriever (and adds 1.0 for the asked-for product type). A product
# only one retriever found scores at most 1/61; since nearest vectors exist for any text at all, only a product the
# query's words (or its type) also found is evidence that the store has what was asked for.
_ONE_RETRIEVER = 1.0 / 61


def _grounded(score: float) -> bool:
    return score > _ONE_RETRIEVER + 1e-6


def _filters(args: dict[str, Any]) -> Any | None:
    wanted = {key: args[key] for key in ("price_min", "price_max") if args.get(key) is not None}
    if not wanted:
        return None
    try:
        from shopcopilot.catalog.search import SearchFilters
    except ImportError:
        return None
    fields = getattr(SearchFilters, "__dataclass_fields__", None) or getattr(SearchFilters, "model_fields", {})
    usable = {key: value for key, value in wanted.items() if key in fields}
    return SearchFilters(**usable) if usable else None


def product_card(ctx: ToolContext, args: dict[str, Any]) -> dict[str, Any]:
    return build_card(
        ctx.session,
        args["product_id"],
        language=ctx.language,
        reason=args.get("reason", ""),
        wanted=args.get("options") or {},
        excluded=args.get("excluded") or {},
        price_min=args.get("price_min"),
        price_max=args.get("price_max"),
    )


def _shopper(ctx: ToolContext) -> str:
    if not ctx.shopper_id:
        raise Forbidden("sign in to use a cart: the cart belongs to a shopper account", code="sign_in_required")
    return ctx.shopper_id


def add_to_cart(ctx: ToolContext, args: dict[str, Any]) -> dict[str, Any]:
    from shopcopilot.commerce.carts import add_line, cart_view

    shopper_id = _shopper(ctx)
    add_line(ctx.session, shopper_id, args["variant_id"], int(args.get("quantity", 1)))
    return cart_view(ctx.session, shopper_id)


def view_cart(ctx: ToolContext, _args: dict[str, Any]) -> dict[str, Any]:
    from shopcopilot.commerce.carts import cart_view

    return cart_view(ctx.session, _shopper(ctx))


def remember_tool(ctx: ToolContext, args: dict[str, Any]) -> dict[str, Any]:
    shopper_id = _shopper_for_memory(ctx)
    item = memory_store.add_memory(ctx.session, shopper_id, attribute=args["attribute"], value=args["value"],
                                   polarity=args["polarity"], note=args.get("note", ""))
    return {"id": item.id, "attribute": item.attribute, "value": item.value, "polarity": item.polarity}


def list_memory_tool(ctx: ToolContext, _args: dict[str, Any]) -> list[dict[str, Any]]:
    shopper_id = _shopper_for_memory(ctx)
    return [
        {"id": m.id, "attribute": m.attribute, "value": m.value, "polarity": m.polarity, "source": m.source,
         "note": m.note}
        for m in memory_store.list_memory(ctx.session, shopper_id)
    ]


def _shopper_for_memory(ctx: ToolContext) -> str:
    if not ctx.shopper_id:
        raise Forbidden("sign in so that I can remember preferences for you", code="sign_in_required")
    return ctx.shopper_id


def record_search_choice(ctx: ToolContext, args: dict[str, Any]) -> dict[str, Any]:
    """A signed-in shopper put a product found by a search in the cart: the ranker learns from it."""
    from shopcopilot.catalog.search.interactions import record_interaction

    row = record_interaction(ctx.session, query=args["query"], product_id=args["product_id"], kind="add_to_cart",
                             chooser=_shopper(ctx))
    return {"id": row.id, "terms": row.terms}


def register_catalog_tools(registry: ToolRegistry) -> None:
    registry.register(Tool(
        name="record_search_choice",
        description="Note that the shopper chose this product from the results of this search (ranker feedback).",
        parameters={"type": "object", "properties": {
            "query": {"type": "string", "minLength": 1, "maxLength": 500}, "product_id": {"type": "string"},
        }, "required": ["query", "product_id"], "additionalProperties": False},
        function=record_search_choice,
        summarize=lambda r: f"noted for {', '.join(r['terms']) or 'no terms'}",
    ))
    registry.register(Tool(
        name="search_products",
        description="Search the store's products by free text (English or Chinese) with optional price bounds.",
        parameters={"type": "object", "properties": {
            "text": {"type": "string"}, "limit": {"type": "integer"},
            "price_min": {"type": ["number", "null"]}, "price_max": {"type": ["number", "null"]},
        }, "required": ["text"], "additionalProperties": False},
        function=search_products,
        summarize=lambda r: f"{len(r['hits'])} products ({r['engine']}): "
        + ", ".join(h["name"] for h in r["hits"][:5]),
    ))
    registry.register(Tool(
        name="product_card",
        description="A product's card: price range, features, who it suits, and every variant's options, "
        "price and availability; variants matching `options`/`excluded`/price bounds are flagged.",
        parameters={"type": "object", "properties": {
            "product_id": {"type": "string"}, "reason": {"type": "string"},
            "options": _OPTION_MAP, "excluded": _OPTION_MAP,
            "price_min": {"type": ["number", "null"]}, "price_max": {"type": ["number", "null"]},
        }, "required": ["product_id"], "additionalProperties": False},
        function=product_card,
        summarize=lambda c: f"{c['name']}: {c['price_range']}, {len(c['variants'])} variants, "
        f"{len(c['add_to_cart']['variant_ids'])} matching and available",
    ))
    registry.register(Tool(
        name="add_to_cart",
        description="Add a variant (SKU) to the signed-in shopper's cart.",
        parameters={"type": "object", "properties": {
            "variant_id": {"type": "string"}, "quantity": {"type": "integer"},
        }, "required": ["variant_id"], "additionalProperties": False},
        function=add_to_cart,
        summarize=lambda v: f"cart has {v['item_count']} items, subtotal {v['subtotal']}",
    ))
    registry.register(Tool(
        name="view_cart", description="The signed-in shopper's cart.",
        parameters={"type": "object", "properties": {}, "additionalProperties": False},
        function=view_cart,
        summarize=lambda v: f"cart has {v['item_count']} items, subtotal {v['subtotal']}",
    ))
    registry.register(Tool(
        name="remember",
        description="Remember a preference the shopper stated (like/avoid a colour, material, category...).",
        parameters={"type": "object", "properties": {
            "attribute": {"type": "string", "enum": list(memory_store.ATTRIBUTES)},
            "value": {"type": "string"}, "polarity": {"type": "string", "enum": list(memory_store.POLARITIES)},
            "note": {"type": "string"},
        }, "required": ["attribute", "value", "polarity"], "additionalProperties": False},
        function=remember_tool,
        summarize=lambda m: f"remembered #{m['id']}: {m['polarity']} {m['attribute']}={m['value']}",
    ))
    registry.register(Tool(
        name="list_memory", description="What the assistant remembers about the signed-in shopper.",
        parameters={"type": "object", "properties": {}, "additionalProperties": False},
        function=list_memory_tool,
        summarize=lambda items: f"{len(items)} memory items",
    ))
