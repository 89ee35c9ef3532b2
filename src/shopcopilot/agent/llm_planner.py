"""LLM mode: the model plans the turn over the same typed tool registry and writes the prose from the results;
the rule planner and its skills stay the safety net.

Per turn: the rules classify the message first. Turns the dialogue state owns (a pending confirmation, an open
question, authentication) and turns that write (cart, remember) stay on the skills path. Otherwise the model is
offered the registry's tools (native tool calls, or a JSON-schema "plan" object for providers without tool
support). Every proposal is reviewed before anything runs -- known tool, arguments valid against its schema,
ownership and authentication via the guard, policy (data-changing tools only through the skills' confirmation
flow) -- and one bad proposal sends the whole turn to the skills path. The valid calls run through the registry
(guarded and traced again), the model writes the answer from the results quoted as data, and the fact check keeps
only sentences the results support. The trace carries `llm_proposal`, `llm_rejected`, `llm_fallback` and
`fact_check` entries.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from shopcopilot.agent.blocks import Block, CitedAnswerBlock, ProductCardsBlock, TextBlock
from shopcopilot.agent.fact_check import check_facts, store_terms
from shopcopilot.agent.guard import check_tool_call
from shopcopilot.agent.planner import Plan, PlanInput, Planner, RulePlanner
from shopcopilot.agent.prompts import follow_up_messages, planning_messages, writing_messages
from shopcopilot.agent.tools import ToolRegistry, validate_arguments
from shopcopilot.catalog.models import Product
from shopcopilot.errors import ShopcopilotError
from shopcopilot.models.llm.base import LLM, LLMError, LLMResponse, ToolCall

if TYPE_CHECKING:
    from shopcopilot.agent.engine import Skill, TurnContext

# Skills the model never drives: the dialogue state's own steps, and the ones that write the shopper's data.
# ("elsewhere" is the rules' answer for skills this assistant lacks; a fallback planner that knows the shopper
# skills -- see `shopper.skill_cues` -- names them instead, so the model may still plan those turns.)
RULES_ONLY_SKILLS = {"confirm", "decline", "authenticate", "cart", "remember", "elsewhere", "add_all"}
# Intents that change an order: whatever the model proposes, the change runs only through the confirmation flow.
ORDER_CHANGE_INTENTS = {"order_cancel", "order_modify", "order_return", "order_exchange", "address_change"}
# Intents the model may answer without consulting a tool; every other answer must rest on tool results.
NO_DATA_INTENTS = {"greeting", "out_of_scope"}
# Tools that change data even though they are not marked consequential: the skills run them on request.
WRITE_TOOLS = {"add_to_cart", "add_items_to_cart", "remember", "draft_post"}
_POLICY_QUESTION = re.compile(r"\bpolic(?:y|ies)\b|\bhow (?:long|many days)\b|政策|规定|多久|几天", re.I)

MODES = ("tools", "plan")


class _Fallback(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class LLMPlan(Plan):
    """A plan the model carries out; `fallback` is what the rules would have done (run if the model fails)."""

    fallback: Plan | None = None


def plan_schema(tool_names: list[str], max_calls: int) -> dict[str, Any]:
    """The JSON-schema plan for providers without native tool calls (llama.cpp grammars, json_schema APIs)."""
    return {
        "type": "object",
        "properties": {
            "tool_calls": {
                "type": "array",
                "maxItems": max_calls,
                "items": {
                    "type": "object",
                    "properties": {"name": {"type": "string", "enum": tool_names}, "arguments": {"type": "object"}},
                    "required": ["name", "arguments"],
                },
            }
        },
        "required": ["tool_calls"],
    }


def parse_plan(response: LLMResponse) -> list[ToolCall]:
    payload = response.json()
    raw = payload.get("tool_calls") if isinstance(payload, dict) else None
    if not isinstance(raw, list):
        raise LLMError("the model's plan has no tool_calls list", code="llm_bad_output")
    calls = []
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise LLMError(f"a planned call has no tool name: {str(item)[:120]}", code="llm_bad_output")
        arguments = item.get("arguments")
        calls.append(ToolCall(item["name"], arguments if isinstance(arguments, dict) else {"_invalid": arguments}))
    return calls


class LLMPlanner:
    """`LLMPlanner(llm)`; `build_assistant` adds its skill (`as_skill`) under the name "llm"."""

    def __init__(
        self,
        llm: LLM,
        fallback: Planner | None = None,
        *,
        mode: str = "tools",
        max_calls: int = 3,
        max_rounds: int = 2,
        plan_tokens: int = 256,
        answer_tokens: int = 200,
        tool_names: list[str] | None = None,
    ) -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
        self.llm = llm
        self.fallback = fallback or RulePlanner()
        self.mode = mode
        self.max_calls = max_calls
        self.max_rounds = max_rounds
        self.plan_tokens = plan_tokens
        self.answer_tokens = answer_tokens
        self.tool_names = tool_names
        self.name = f"llm({llm.name})"

    # -- Planner protocol --------------------------------------------------------------------------------------------
    def plan(self, request: PlanInput) -> Plan:
        rules = self.fallback.plan(request)
        if rules.source == "state" or rules.skill in RULES_ONLY_SKILLS:
            return rules
        return LLMPlan(intent=rules.intent, confidence=rules.confidence, skill="llm",
                       steps=["llm: propose tool calls", "review", "run", "write", "fact check"], source="llm",
                       fallback=rules)

    def as_skill(self, skills: dict[str, Skill]) -> Skill:
        def llm_skill(ctx: TurnContext) -> list[Block]:
            return self.respond(ctx, skills)

        return llm_skill

    # -- one turn ----------------------------------------------------------------------------------------------------
    def respond(self, ctx: TurnContext, skills: dict[str, Skill]) -> list[Block]:
        plan = ctx.plan
        fallback = plan.fallback if isinstance(plan, LLMPlan) and plan.fallback else self.fallback.plan(
            PlanInput(ctx.message, ctx.state))
        try:
            return self._llm_turn(ctx, fallback)
        except _Fallback as exc:
            reason = exc.reason
        except LLMError as exc:
            reason = f"model error: {exc.code}: {exc.message}"
        ctx.trace.flags.append(f"llm_fallback:{reason}")
        ctx.plan = fallback
        ctx.trace.plan = list(fallback.steps)
        skill = skills.get(fallback.skill) or skills["out_of_scope"]
        return skill(ctx)

    def _llm_turn(self, ctx: TurnContext, rules: Plan) -> list[Block]:
        registry = ctx.registry
        intent = rules.intent
        if intent in ORDER_CHANGE_INTENTS and _POLICY_QUESTION.search(ctx.message):
            intent = "policy_question"  # "what is your return policy?" asks about the policy, not an order
        specs = self._specs(registry)
        json_plan = self.mode == "plan"
        messages = planning_messages(
            ctx.message, specs=specs, consequential={s["name"] for s in specs if registry.get(s["name"]).consequential},
            context=self._context(ctx), max_calls=self.max_calls, json_plan=json_plan,
        )
        results: list[tuple[str, dict[str, Any], Any]] = []
        prose: str | None = None
        for _round in range(1 if json_plan else self.max_rounds):
            calls, text = self._propose(ctx, messages, specs, json_plan)
            if not calls:
                prose = text
                break
            self._review(ctx, calls, intent)
            if intent in ORDER_CHANGE_INTENTS:
                raise _Fallback("order changes run only through the store's confirmation flow")
            results.extend(self._run(ctx, calls))
            messages = follow_up_messages(messages, _describe(calls), results, language=ctx.language)
        if not results and intent not in NO_DATA_INTENTS:
            raise _Fallback("the model consulted no tool for a question about the store's data")
        if intent in ORDER_CHANGE_INTENTS:
            raise _Fallback("order changes run only through the store's confirmation flow")
        if not (prose or "").strip():
            prose = self._write(ctx, results)
        check = check_facts(prose or "", [result for _name, _args, result in results],
                            terms=store_terms(ctx.session), shopper_message=ctx.message)
        ctx.trace.flags.append(f"fact_check:{check.summary()}")
        if not check.grounded:
            raise _Fallback("fact check: no sentence of the model's answer is supported by the tool results")
        ctx.trace.plan = ["llm", *[name for name, _args, _result in results]]
        return self._blocks(ctx, check.text, results)

    # -- steps -------------------------------------------------------------------------------------------------------
    def _specs(self, registry: ToolRegistry) -> list[dict[str, Any]]:
        specs = registry.specs()
        if self.tool_names is not None:
            specs = [spec for spec in specs if spec["name"] in self.tool_names]
        return specs

    def _propose(
        self, ctx: TurnContext, messages: list[dict[str, Any]], specs: list[dict[str, Any]], json_plan: bool
    ) -> tuple[list[ToolCall], str]:
        if json_plan:
            names = [spec["name"] for spec in specs]
            response = self.llm.chat(messages, json_schema=plan_schema(names, self.max_calls),
                                     max_tokens=self.plan_tokens)
            self._note_attempts(ctx, response)
            calls = parse_plan(response)
            text = ""
        else:
            response = self.llm.chat(messages, tools=specs, tool_choice="auto", max_tokens=self.plan_tokens)
            self._note_attempts(ctx, response)
            calls, text = list(response.tool_calls), response.text
        for call in calls:
            ctx.trace.flags.append(f"llm_proposal:{call.name} {_compact(call.arguments)}")
        return calls, text

    def _review(self, ctx: TurnContext, calls: list[ToolCall], intent: str) -> None:
        """Check every proposal before any runs; record each rejection; one rejection means the skills path."""
        rejected: list[str] = []
        if len(calls) > self.max_calls:
            rejected.append(f"*: policy: {len(calls)} calls proposed, at most {self.max_calls} per turn")
        tool_ctx = ctx.tool_context()
        for call in calls:
            reason = review_call(ctx.registry, call, tool_ctx, offered=self.tool_names)
            if reason:
                rejected.append(f"{call.name}: {reason}")
        for entry in rejected:
            ctx.trace.flags.append(f"llm_rejected:{entry}")
        if rejected:
            raise _Fallback(f"{len(rejected)} proposed call(s) rejected: {rejected[0]}")

    def _run(self, ctx: TurnContext, calls: list[ToolCall]) -> list[tuple[str, dict[str, Any], Any]]:
        ran = []
        for call in calls:
            try:
                # Through the registry, so the schema and the guard are checked again and the call is traced.
                result = ctx.call(call.name, dict(call.arguments))
            except ShopcopilotError as exc:
                raise _Fallback(f"tool {call.name} failed: {exc.code}: {exc.message}") from exc
            ran.append((call.name, dict(call.arguments), result))
        return ran

    def _write(self, ctx: TurnContext, results: list[tuple[str, dict[str, Any], Any]]) -> str:
        response = self.llm.chat(writing_messages(ctx.message, results, language=ctx.language),
                                 max_tokens=self.answer_tokens)
        self._note_attempts(ctx, response)
        if response.tool_calls:
            for call in response.tool_calls:
                ctx.trace.flags.append(f"llm_proposal:{call.name} {_compact(call.arguments)}")
                ctx.trace.flags.append(f"llm_rejected:{call.name}: policy: no tool runs while the answer is written")
            raise _Fallback("the model proposed tool calls while writing the answer")
        if not response.text.strip():
            raise _Fallback("the model wrote no answer")
        return response.text

    def _blocks(self, ctx: TurnContext, text: str, results: list[tuple[str, dict[str, Any], Any]]) -> list[Block]:
        citations = [citation for name, _args, result in results if name == "store_knowledge" and isinstance(result, dict)
                     for citation in result.get("citations", [])]
        # An answer resting on the store's documents carries the passages it drew from.
        blocks: list[Block] = [CitedAnswerBlock(text, citations) if citations else TextBlock(text)]
        cards = [result for name, _args, result in results
                 if name == "product_card" and isinstance(result, dict) and "product_id" in result]
        if cards:
            blocks.append(ProductCardsBlock(cards))
            ctx.state.results = [card["product_id"] for card in cards]
            ctx.state.focus = cards[0]["product_id"]
        return blocks

    def _context(self, ctx: TurnContext) -> dict[str, Any]:
        state = ctx.state
        shown = list(state.results[:5])
        names = dict(ctx.session.execute(select(Product.id, Product.name).where(Product.id.in_(shown))).all()) \
            if shown else {}
        return {
            "language": ctx.language,
            "signed_in": bool(ctx.shopper_id),
            "authenticated_user_id": state.authenticated_user_id,
            "products_shown": [{"product_id": pid, "name": names.get(pid, "")} for pid in shown],
            "product_in_focus": state.focus,
            "awaiting_confirmation_of": (state.pending or {}).get("tool"),
        }

    @staticmethod
    def _note_attempts(ctx: TurnContext, response: LLMResponse) -> None:
        for attempt in response.failed_attempts:
            ctx.trace.flags.append(f"llm_model_failed:{attempt[:200]}")


def review_call(registry: ToolRegistry, call: ToolCall, tool_ctx: Any, *, offered: list[str] | None = None) -> str | None:
    """Why a proposed call may not run (None when it may): unknown tool, invalid arguments, the guard's ownership /
    authentication / confirmation rules, or policy (data-changing tools run only from the skills path)."""
    if call.name not in registry or (offered is not None and call.name not in offered):
        return f"unknown_tool: no tool named {call.name!r} is offered"
    tool = registry.get(call.name)
    try:
        validate_arguments(tool.parameters, call.arguments)
    except ShopcopilotError as exc:
        return f"invalid_arguments: {exc.message}"
    try:
        check_tool_call(tool, call.arguments, tool_ctx, confirmed=False)
    except ShopcopilotError as exc:
        return f"{exc.code}: {exc.message}"
    if call.name in WRITE_TOOLS:
        return f"policy: {call.name} changes the shopper's data; only the shopper's own request runs it"
    return None


def _describe(calls: list[ToolCall]) -> str:
    return "Tool calls made: " + "; ".join(f"{call.name}({_compact(call.arguments)})" for call in calls)


def _compact(value: Any, limit: int = 300) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def default_mode(llm: LLM) -> str:
    """Native tool calls unless configured otherwise; embedded llama.cpp only honours forced tools, so it plans
    with the JSON schema. SHOPCOPILOT_LLM_PLANNING=tools|plan overrides."""
    configured = os.environ.get("SHOPCOPILOT_LLM_PLANNING", "").strip().lower()
    if configured in MODES:
        return configured
    return "plan" if llm.name.startswith("embedded:") else "tools"


def llm_planner_from_settings() -> LLMPlanner | None:
    """An LLMPlanner when SHOPCOPILOT_LLM_URL configures a model; None (the rules only) otherwise."""
    from shopcopilot.models.llm.factory import llm_from_settings

    llm = llm_from_settings()
    if llm is None:
        return None
    return LLMPlanner(llm, mode=default_mode(llm))
