"""The assistant engine: one turn = load the conversation, detect the language, plan, run a skill (whose tool
calls go through the typed registry and the guard), save the state, and answer with blocks and a trace.

The engine knows skills only by name: the composition root (`shopcopilot.shopper.assistant.build_assistant`)
hands it the shopper skills, so the engine does not import the layer above it.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from shopcopilot.agent.blocks import Block, TextBlock, blocks_to_dicts
from shopcopilot.agent.guard import detect_injection
from shopcopilot.agent.language import detect_language
from shopcopilot.agent.models import ChatSession, ChatTurn
from shopcopilot.agent.planner import FLOW_SKILLS, ORDER_SLOTS, Plan, PlanInput, Planner, RulePlanner
from shopcopilot.agent.state import DialogueState
from shopcopilot.agent.tools import ToolContext, ToolRegistry
from shopcopilot.agent.trace import Trace
from shopcopilot.errors import Forbidden, InvalidInput, ShopcopilotError
from shopcopilot.storage.db import Database

MAX_MESSAGE_CHARS = 2000
_SESSION_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,100}$")


@dataclass
class Analysis:
    """What the message names from the store (filled by the shopper layer's analyzer)."""

    product_ids: list[str] = field(default_factory=list)
    options: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class TurnContext:
    """Everything a skill needs for one turn."""

    session: Session
    message: str
    language: str
    state: DialogueState
    shopper_id: str | None
    plan: Plan
    trace: Trace
    registry: ToolRegistry
    analysis: Analysis
    resources: dict[str, Any]

    def tool_context(self) -> ToolContext:
        return ToolContext(
            session=self.session,
            shopper_id=self.shopper_id,
            authenticated_user_id=self.state.authenticated_user_id,
            language=self.language,
            resources=self.resources,
            actor=f"assistant:{self.state.authenticated_user_id or 'guest'}",
        )

    def call(self, name: str, arguments: dict[str, Any], *, confirmed: bool = False) -> Any:
        return self.registry.call(name, arguments, self.tool_context(), self.trace, confirmed=confirmed)

    @property
    def zh(self) -> bool:
        return self.language == "zh"


Skill = Callable[[TurnContext], list[Block]]
Analyzer = Callable[[Session, str, DialogueState, dict[str, Any]], Analysis]


@dataclass
class Turn:
    session_id: str
    blocks: list[Block]
    trace: Trace
    language: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "session_id": self.session_id,
            "language": self.language,
            "blocks": blocks_to_dicts(self.blocks),
            "trace": self.trace.to_dict(),
        }


class Assistant:
    def __init__(
        self,
        database: Database,
        *,
        registry: ToolRegistry,
        skills: dict[str, Skill],
        planner: Planner | None = None,
        analyzer: Analyzer | None = None,
        resources: dict[str, Any] | None = None,
        on_new_conversation: Callable[[Session, str], None] | None = None,
    ) -> None:
        self.database = database
        self.registry = registry
        self.skills = skills
        self.planner = planner or RulePlanner()
        self.analyzer = analyzer
        self.resources = resources if resources is not None else {}
        self.on_new_conversation = on_new_conversation

    def turn(self, session_id: str, message: str, shopper_id: str | None = None) -> Turn:
        started = time.perf_counter()
        message = (message or "").strip()
        if not message:
            raise InvalidInput("message is empty: say what you are looking for or what you need help with")
        if len(message) > MAX_MESSAGE_CHARS:
            raise InvalidInput(f"message is longer than {MAX_MESSAGE_CHARS} characters; please shorten it")
        if not _SESSION_ID.match(session_id or ""):
            raise InvalidInput("session_id must be 1-100 letters, digits or _.:-")
        with self.database.session() as session:
            conversation = session.get(ChatSession, session_id)
            if conversation is not None and conversation.shopper_id != shopper_id:
                # One shopper per conversation: a session id is not a key to someone else's conversation.
                raise Forbidden("this conversation belongs to another shopper; start a new session id")
        if conversation is None and shopper_id and self.on_new_conversation:
            # In its own short transaction, so the turn below holds no write lock while its tools run.
            with self.database.session() as session:
                self.on_new_conversation(session, shopper_id)
        with self.database.session() as session:
            conversation = session.get(ChatSession, session_id)
            if conversation is None:
                conversation = ChatSession(id=session_id, shopper_id=shopper_id, state={}, turns=0)
            elif conversation.shopper_id != shopper_id:
                # One shopper per conversation: a session id is not a key to someone else's conversation.
                raise Forbidden("this conversation belongs to another shopper; start a new session id")
            state = DialogueState.from_dict(conversation.state)
            if shopper_id:
                state.authenticated_user_id = shopper_id
            language = detect_language(message, default=state.language)
            state.language = language
            trace = Trace(language=language, planner=self.planner.name)
            if detect_injection(message):
                trace.flags.append("injection_ignored")
            analysis = self.analyzer(session, message, state, self.resources) if self.analyzer else Analysis()
            plan = self.planner.plan(
                PlanInput(message, state, bool(analysis.product_ids), bool(analysis.options))
            )
            trace.intent, trace.confidence, trace.plan = plan.intent, round(plan.confidence, 3), list(plan.steps)
            trace.flags.append(f"plan_source:{plan.source}")
            _leave_order_flow(state, plan, trace)
            ctx = TurnContext(session, message, language, state, shopper_id, plan, trace, self.registry,
                              analysis, self.resources)
            blocks = self._run_skill(ctx)
            trace.slots = _slots_for_trace(state)
            state.turn += 1
            conversation.state = state.to_dict()
            conversation.turns = state.turn
            session.add(conversation)
            trace.ms = (time.perf_counter() - started) * 1000.0
            session.add(
                ChatTurn(session_id=session_id, position=state.turn, message=message,
                         blocks=blocks_to_dicts(blocks), trace=trace.to_dict())
            )
        return Turn(session_id=session_id, blocks=blocks, trace=trace, language=language)

    def _run_skill(self, ctx: TurnContext) -> list[Block]:
        skill = self.skills.get(ctx.plan.skill) or self.skills["out_of_scope"]
        try:
            return skill(ctx)
        except ShopcopilotError as exc:
            # A refused or failed tool call ends the skill; the shopper hears why, nothing was changed.
            ctx.trace.flags.append(f"error:{exc.code}")
            text = exc.message if not ctx.zh else f"抱歉，无法完成：{exc.message}"
            return [TextBlock(text)]


def _leave_order_flow(state: DialogueState, plan: Plan, trace: Trace) -> None:
    """A turn planned for something other than the order request being collected closes its open question and
    drops a confirmation the shopper did not give; the request's details stay, so "back to my return" resumes."""
    if plan.skill in FLOW_SKILLS:
        return
    if state.awaiting in ORDER_SLOTS:
        trace.flags.append(f"left_flow:{(state.flow or {}).get('intent') or state.awaiting}")
        state.awaiting = None
    if state.pending:
        trace.flags.append(f"pending_dropped:{state.pending.get('tool')}")
        state.pending = None


def _slots_for_trace(state: DialogueState) -> dict[str, Any]:
    slots = {key: value for key, value in state.slots.items() if value not in (None, [], {})}
    if state.flow:
        slots["order_request"] = {key: value for key, value in state.flow.items() if value not in (None, [], {})}
    if state.authenticated_user_id:
        slots["authenticated_user_id"] = state.authenticated_user_id
    if state.awaiting:
        slots["awaiting"] = state.awaiting
    if state.results:
        slots["shown"] = list(state.results)
    return slots
