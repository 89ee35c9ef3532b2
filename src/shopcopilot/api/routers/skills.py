"""Shopper skills over HTTP: compare products, fill coupon gaps, scenario plans, and shopping-experience posts.

The same domain functions answer the chat and the CLI; these routes only validate and call them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path
from pydantic import Field

from shopcopilot.api.deps import OptionalShopperDep, SessionDep, ShopperDep
from shopcopilot.api.schemas import ERROR_RESPONSES, Id, RequestBody
from shopcopilot.shopper import compare, coupon_fill, planners, soul_writer

router = APIRouter(prefix="/v1", tags=["skills"], responses=ERROR_RESPONSES)

Language = Literal["en", "zh"]
Tone = Literal["warm", "enthusiastic", "practical", "playful"]


class CompareIn(RequestBody):
    product_ids: list[Id] = Field(min_length=2, max_length=compare.MAX_COMPARED)
    need: str = Field(default="", max_length=500, description="what the shopper needs it for")
    language: Language = "en"


class FillIn(RequestBody):
    max_added: float | None = Field(
        default=None, ge=0, le=100_000, description="spend at most this much more"
    )
    spend_weight: float = Field(default=coupon_fill.DEFAULT_SPEND_WEIGHT, ge=0, le=10)
    preference_weight: float = Field(default=coupon_fill.DEFAULT_PREFERENCE_WEIGHT, ge=0, lt=1)
    at: datetime | None = Field(
        default=None, description="check coupon validity at this moment (default: now)"
    )
    language: Language = "en"


class PlanIn(RequestBody):
    scenario: str = Field(min_length=1, max_length=64, description="a plan id from GET /v1/plans")
    budget: float | None = Field(default=None, gt=0, le=planners.MAX_BUDGET)
    language: Language = "en"


class PostIn(RequestBody):
    order_id: Id | None = None
    product_id: Id | None = None
    language: Language = "en"
    tone: Tone = "warm"


class PostEdit(RequestBody):
    title: str | None = Field(default=None, min_length=1, max_length=soul_writer.MAX_TITLE)
    body: str | None = Field(default=None, min_length=1, max_length=soul_writer.MAX_BODY)
    hashtags: list[Annotated[str, Field(max_length=50)]] | None = Field(
        default=None, max_length=soul_writer.MAX_HASHTAGS
    )


@router.post("/compare", summary="Compare 2-4 products for a need: table, pros and cons, verdict")
def compare_products(body: CompareIn, session: SessionDep, shopper_id: OptionalShopperDep) -> dict[str, Any]:
    return compare.compare_products(
        session, body.product_ids, need=body.need, language=body.language, shopper_id=shopper_id
    )


@router.post(
    "/coupons/fill", summary="The additions that unlock the best coupon saving for the caller's cart"
)
def fill_coupons(body: FillIn, session: SessionDep, shopper_id: ShopperDep) -> dict[str, Any]:
    at = body.at.astimezone(UTC).replace(tzinfo=None) if body.at and body.at.tzinfo else body.at
    return coupon_fill.fill_plan(
        session,
        shopper_id,
        now=at,
        language=body.language,
        max_added=body.max_added,
        spend_weight=body.spend_weight,
        preference_weight=body.preference_weight,
    )


@router.get("/plans", summary="The scenarios a plan can be made for")
def list_plans() -> list[dict[str, Any]]:
    return [
        {
            "id": t["id"],
            "kind": t.get("kind", ""),
            "title": t["title"],
            "default_budget": t["default_budget"],
            "large_text": bool(t.get("senior")),
        }
        for t in planners.load_templates().values()
    ]


@router.post("/plans", summary="A scenario plan: steps with matching products within a budget")
def make_plan(body: PlanIn, session: SessionDep, shopper_id: OptionalShopperDep) -> dict[str, Any]:
    plan = planners.build_plan(
        session, body.scenario, budget=body.budget, language=body.language, shopper_id=shopper_id
    )
    return plan | {"block": planners.plan_block(plan, body.language).to_dict()}


@router.post(
    "/posts", status_code=201, summary="Draft a shopping-experience post about an order or a product"
)
def draft_post(body: PostIn, session: SessionDep, shopper_id: ShopperDep) -> dict[str, Any]:
    return soul_writer.draft_post(
        session,
        shopper_id,
        order_id=body.order_id,
        product_id=body.product_id,
        language=body.language,
        tone=body.tone,
    )


@router.put("/posts/{post_id}", summary="Edit and save one of the caller's posts")
def save_post(
    body: PostEdit, session: SessionDep, shopper_id: ShopperDep, post_id: Annotated[int, Path(ge=1)]
) -> dict[str, Any]:
    return soul_writer.save_post(
        session, shopper_id, post_id, title=body.title, body=body.body, hashtags=body.hashtags
    )


@router.get("/posts", summary="The caller's posts, newest first")
def list_posts(session: SessionDep, shopper_id: ShopperDep) -> list[dict[str, Any]]:
    return soul_writer.list_posts(session, shopper_id)
