"""The composition root of the shopper assistant: the tool registry, the skills by name, the analyzer and the
planner, handed to the engine. The API and the CLI build their assistant here."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from shopcopilot.agent.engine import Assistant, Skill
from shopcopilot.agent.llm_planner import LLMPlanner, llm_planner_from_settings
from shopcopilot.agent.memory import refresh_learned
from shopcopilot.agent.planner import Planner
from shopcopilot.agent.tools import ToolRegistry
from shopcopilot.shopper import (  # skills_chat: compare, coupon fill, plans, posts
    cart_chat,
    discover,
    order_service,
    policy_answers,
    product_answers,
    recommend,
    skills_chat,
    small_talk,
)
from shopcopilot.shopper.catalog_tools import register_catalog_tools
from shopcopilot.shopper.gifts import register_gift_tool
from shopcopilot.shopper.order_tools import register_order_tools
from shopcopilot.shopper.reading_tools import register_reading_tools
from shopcopilot.storage.db import Database


def build_registry() -> ToolRegistry:
    registry = ToolRegistry()
    register_catalog_tools(registry)
    recommend.register_recommend_tool(registry)
    register_gift_tool(registry)
    register_order_tools(registry)
    skills_chat.register_skill_tools(registry)
    register_reading_tools(registry)
    return registry


def skills() -> dict[str, Skill]:
    return {
        "discover": discover.discover,
        "recommend": recommend.recommend,
        "product_question": product_answers.product_question,
        "compare": product_answers.compare,
        "explain": product_answers.explain,
        "cart": cart_chat.cart,
        "order": order_service.order_service,
        "authenticate": order_service.authenticate,
        "confirm": order_service.confirm,
        "decline": order_service.decline,
        "remember": small_talk.remember,
        "memory": small_talk.memory,
        "greeting": small_talk.greeting,
        "out_of_scope": small_talk.out_of_scope,
        "elsewhere": small_talk.elsewhere,
        "policy": policy_answers.policy_question,
        "acknowledge": policy_answers.acknowledge,
        **skills_chat.skills(),  # compare (replacing the table above), coupon_fill, plan, write_post, add_all
    }


def _learn(session: Session, shopper_id: str) -> None:
    """A new conversation starts from fresh learned preferences (orders, cart and browsing may have changed)."""
    refresh_learned(session, shopper_id)


def build_assistant(
    database: Database, *, planner: Planner | None = None, search_engine: Any | None = None
) -> Assistant:
    resources: dict[str, Any] = {"database": database}
    if search_engine is not None:
        resources["search_engine"] = search_engine
    # With a model configured (SHOPCOPILOT_LLM_URL) the LLM plans; the rules stay its fallback.
    planner = planner or llm_planner_from_settings()
    by_name = skills()
    if isinstance(planner, LLMPlanner):
        # The model's fallback must know the shopper skills too: the bare rule planner sends the router's
        # write_post/plan/coupon_fill intents 'elsewhere' (rules-only), which would keep the model from every turn
        # the router guesses as one of them, however unsure ("what do reviewers say about ..." is a question).
        planner.fallback = skills_chat.with_skill_cues(planner.fallback)
        by_name["llm"] = planner.as_skill(by_name)
    return Assistant(
        database,
        registry=build_registry(),
        skills=by_name,
        planner=skills_chat.with_skill_cues(planner),  # the shopper skills' cues, then the planner
        analyzer=discover.analyze,
        resources=resources,
        on_new_conversation=_learn,
    )
