"""Which turns belong to the shopper skills (compare, coupon fill, plans, posts, 'add all to cart').

`SkillCuePlanner` wraps whichever planner the assistant uses (rules or LLM): when a message clearly asks for one
of these skills it plans that skill, otherwise it asks the wrapped planner, and maps the router's `coupon_fill`,
`plan` and `write_post` intents (which the rule planner sends 'elsewhere') to the skills.
"""

from __future__ import annotations

import re

from shopcopilot.agent.planner import (
    ORDER_SLOTS,
    Plan,
    PlanInput,
    Planner,
    RulePlanner,
    answers_open_question,
)
from shopcopilot.agent.state import ordinal_reference
from shopcopilot.shopper import planners

SKILL_INTENTS = {
    "compare": "compare",
    "coupon_fill": "coupon_fill",
    "plan": "plan",
    "write_post": "write_post",
    "add_all": "add_all",
}
STEPS = {
    "compare": ["compare_products"],
    "coupon_fill": ["fill_coupons", "product_card"],
    "plan": ["plan_shopping"],
    "write_post": ["draft_post"],
    "add_all": ["add_items_to_cart"],
}

_ADD_ALL = re.compile(
    r"\badd\s+(?:them\s+)?all\b|\badd\s+everything\b|\badd\s+(?:them|these|those)\b|"
    r"\ball\s+(?:of\s+them\s+)?(?:in)?to\s+(?:my\s+)?cart\b|全部加入|都加入|全加|一键加购|都加购|全部加购",
    re.I,
)
_POST = re.compile(
    r"\bwrite\b.*\b(?:post|review|note)\b|\bshare my (?:shopping )?experience\b|晒单|种草|"
    r"写.{0,8}(?:帖子|笔记|分享|文案|评价|心得)",
    re.I,
)
_COUPON = re.compile(
    r"\bcoupons?\b|\bvouchers?\b|\bunlock\b.*\b(?:discount|saving|deal)|凑单|满减|优惠券|用券|券", re.I
)
_CHOOSE = re.compile(
    r"\bhelp me (?:choose|decide|pick)\b|\bwhich (?:one )?(?:is better|should i (?:buy|get|choose))\b|"
    r"帮我选|选哪个|哪个好|哪个更|怎么选",
    re.I,
)
_PLAN_WORDS = re.compile(
    r"\bplan\b|\bplanner\b|\bprepare\b|\bchecklist\b|\bshopping list\b|\bwhat do i need\b|"
    r"\bhow (?:do i|to|can i) (?:make|cook|deal with|get rid of)\b|\bingredients?\b|\brecipe\b|"
    r"准备|清单|怎么做|需要什么|需要买|食材|计划|筹备|攻略",
    re.I,
)


def skill_intent(request: PlanInput) -> str | None:
    """The skill a message clearly asks for, or None. Open order flows and confirmations are never taken over."""
    text, state = request.message, request.state
    if state.pending:
        return None
    if state.awaiting in ORDER_SLOTS and answers_open_question(request):
        return None  # an answer to the order service's open question; anything else may start a skill
    # An open cart or search question yields only to an explicit request for one of these skills.
    answering = state.awaiting == "cart" or (state.awaiting or "").startswith("option:")
    if state.awaiting == "skill:plan":
        choices = state.slots.get("plan_choices") or []
        if set(planners.match_scenarios(text, planners.load_templates())) & set(choices) or _choice_index(
            text
        ):
            return "plan"
    if state.slots.get("basket") and _ADD_ALL.search(text):
        return "add_all"
    if _POST.search(text):
        return "write_post"
    if _COUPON.search(text):
        return "coupon_fill"
    if _CHOOSE.search(text):
        return "compare"
    if planners.match_scenarios(text, planners.load_templates()) and (
        _PLAN_WORDS.search(text) or not (request.mentions_product or answering)
    ):
        return "plan"
    return None


def _choice_index(text: str) -> int | None:
    return ordinal_reference(text)


class SkillCuePlanner:
    """Plans the shopper skills on their cues, else defers to the wrapped planner."""

    def __init__(self, inner: Planner) -> None:
        self.inner = inner
        self.name = getattr(inner, "name", "rules")

    def plan(self, request: PlanInput) -> Plan:
        intent = skill_intent(request)
        if intent:
            return Plan(
                intent=intent,
                confidence=0.95,
                skill=SKILL_INTENTS[intent],
                steps=list(STEPS[intent]),
                source="rules",
            )
        plan = self.inner.plan(request)
        if plan.intent in SKILL_INTENTS and plan.skill in ("elsewhere", plan.intent):
            plan.skill = SKILL_INTENTS[plan.intent]
            plan.steps = list(STEPS[plan.intent])
        return plan


def with_skill_cues(planner: Planner | None) -> Planner:
    """The assistant's planner (the rule planner when None) with the shopper skills' cues in front."""
    if isinstance(planner, SkillCuePlanner):
        return planner
    return SkillCuePlanner(planner if planner is not None else RulePlanner())
