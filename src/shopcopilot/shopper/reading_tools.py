"""Read-only tools the assistant adds for open questions: a product's reviews and the store's knowledge bases
(policy, platform rules, product knowledge). Both return text written by others -- shoppers, merchants, documents --
which the LLM mode quotes as data and never follows as instructions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from shopcopilot.agent.tools import Tool, ToolContext, ToolRegistry
from shopcopilot.catalog.models import Product, Review
from shopcopilot.errors import NotFound

MAX_REVIEWS = 5


def product_reviews(ctx: ToolContext, args: dict[str, Any]) -> dict[str, Any]:
    product_id = args["product_id"]
    if ctx.session.get(Product, product_id) is None:
        raise NotFound(f"product {product_id} not found")
    limit = max(1, min(int(args.get("limit", MAX_REVIEWS)), 20))
    rows = ctx.session.scalars(
        select(Review).where(Review.product_id == product_id).order_by(Review.created_at.desc(), Review.id.desc())
        .limit(limit)
    ).all()
    return {"product_id": product_id, "reviews": [{"rating": r.rating, "text": r.text} for r in rows]}


def store_knowledge(ctx: ToolContext, args: dict[str, Any]) -> dict[str, Any]:
    from shopcopilot.knowledge.answer import answer_question

    service = ctx.resources.get("knowledge_service")
    if service is None:
        from shopcopilot.knowledge.registry import default_service

        service = ctx.resources["knowledge_service"] = default_service()
    answer = answer_question(args["question"], lang=ctx.language, service=service)
    return {
        "answer": answer.text,
        "found": answer.found,
        "citations": [{"kb": c.kb, "chunk_id": c.chunk_id, "title": c.title, "quote": c.quote}
                      for c in answer.citations],
    }


def knowledge_available() -> bool:
    try:
        from shopcopilot.knowledge.answer import answer_question  # noqa: F401
    except ImportError:
        return False
    return True


def register_reading_tools(registry: ToolRegistry) -> None:
    registry.register(Tool(
        name="product_reviews",
        description="The latest shopper reviews of a product (rating 1-5 and text).",
        parameters={"type": "object", "properties": {
            "product_id": {"type": "string"}, "limit": {"type": "integer"},
        }, "required": ["product_id"], "additionalProperties": False},
        function=product_reviews,
        summarize=lambda r: f"{len(r['reviews'])} reviews of {r['product_id']}",
    ))
    if knowledge_available():
        registry.register(Tool(
            name="store_knowledge",
            description="Answer a question about the store's policies (returns, cancellations, refunds, shipping, "
            "payment) or platform rules from the store's documents, with citations.",
            parameters={"type": "object", "properties": {"question": {"type": "string"}},
                        "required": ["question"], "additionalProperties": False},
            function=store_knowledge,
            summarize=lambda r: f"{len(r['citations'])} cited passages",
        ))
