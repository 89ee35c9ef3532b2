"""LLM mode with function-backed models over the real shopper assistant and a real SQLite store: a valid proposal
runs and is traced; invalid schema, another shopper's order, an unconfirmed cancel and an unknown tool are each
rejected with the reason in the trace and fall back to the skills path; facts the results do not hold are removed."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from mini_store import build_mini_store
from shopcopilot.agent.blocks import ConfirmationBlock, ProductCardsBlock, block_texts
from shopcopilot.agent.llm_planner import LLMPlanner, plan_schema
from shopcopilot.agent.trace import Trace
from shopcopilot.commerce.models import Order, OrderEvent
from shopcopilot.models.llm import CallInfo, FunctionLLM, LLMError, ToolCall
from shopcopilot.shopper.assistant import build_assistant
from shopcopilot.storage.db import Database


@pytest.fixture
def store(empty_db: Database) -> Database:
    build_mini_store(empty_db)
    return empty_db


def _has_results(messages: list[dict]) -> bool:
    return any("Tool results" in (m.get("content") or "") for m in messages)


def scripted(first: ToolCall | list[ToolCall] | str, answer: str = "") -> Callable[[list[dict], CallInfo], object]:
    """Planning call -> `first`; once the tool results are in the messages -> the prose `answer`."""

    def reply(messages: list[dict], info: CallInfo) -> object:
        return answer if _has_results(messages) else first

    return reply


def flags(trace: Trace, prefix: str) -> list[str]:
    return [flag for flag in trace.flags if flag.startswith(prefix)]


def order_state(database: Database, order_id: str) -> tuple[str, int]:
    with database.session() as session:
        status = session.get(Order, order_id).status
        events = session.scalar(select(func.count()).select_from(OrderEvent).where(OrderEvent.order_id == order_id))
    return status, events


def test_a_valid_proposal_runs_is_traced_and_answers_from_the_results(store: Database) -> None:
    llm = FunctionLLM(scripted(ToolCall("product_card", {"product_id": "p1"}),
                               "The Headphones start at $95.00 and come in blue or black."))
    assistant = build_assistant(store, planner=LLMPlanner(llm))
    turn = assistant.turn("v1", "tell me about the headphones", shopper_id="alice_1")
    assert turn.trace.planner.startswith("llm(")
    assert flags(turn.trace, "llm_proposal:product_card")
    assert not flags(turn.trace, "llm_fallback") and not flags(turn.trace, "llm_rejected")
    assert [(c.name, c.ok) for c in turn.trace.tool_calls] == [("product_card", True)]
    assert block_texts(turn.blocks) == "The Headphones start at $95.00 and come in blue or black."
    assert any(isinstance(b, ProductCardsBlock) and b.cards[0]["product_id"] == "p1" for b in turn.blocks)
    assert flags(turn.trace, "fact_check:")[0].startswith("fact_check:")
    # The model saw the result quoted as data, and the tools were offered as native tools.
    planning, info = llm.calls[0]
    assert "product_card" in info.tool_names and "cancel_pending_order" in info.tool_names
    assert '<data source="tool:product_card">' in llm.calls[1][0][-1]["content"]


@pytest.mark.parametrize(
    ("message", "proposal", "reason"),
    [
        ("tell me about the headphones", ToolCall("product_card", {"product_id": 5}), "invalid_arguments"),
        ("tell me about the headphones", ToolCall("product_card", {"id": "p1"}), "invalid_arguments"),
        ("where is order #W2000001?", ToolCall("get_order_details", {"order_id": "#W2000001"}), "not_your_record"),
        ("where is my order #W1000001?",
         ToolCall("cancel_pending_order", {"order_id": "#W1000001", "reason": "no longer needed"}),
         "confirmation_required"),
        ("tell me about the headphones", ToolCall("drop_all_orders", {}), "unknown_tool"),
        ("tell me about the headphones", ToolCall("add_to_cart", {"variant_id": "v1", "quantity": 3}), "policy"),
    ],
)
def test_bad_proposals_are_rejected_with_the_reason_and_fall_back(
    store: Database, message: str, proposal: ToolCall, reason: str
) -> None:
    llm = FunctionLLM(scripted(proposal, "This must never be shown."))
    assistant = build_assistant(store, planner=LLMPlanner(llm))
    turn = assistant.turn("r1", message, shopper_id="alice_1")
    rejected = flags(turn.trace, "llm_rejected:")
    assert rejected and rejected[0].startswith(f"llm_rejected:{proposal.name}: {reason}")
    assert flags(turn.trace, "llm_fallback:")
    assert "This must never be shown." not in block_texts(turn.blocks)
    assert len(llm.calls) == 1  # nothing ran, nothing was written by the model
    # The skills path answered; the rejected call never succeeded (the rules may try a read and be refused too).
    assert not any(c.name == proposal.name and c.arguments == proposal.arguments and c.ok
                   for c in turn.trace.tool_calls)
    assert order_state(store, "#W1000001") == ("pending", 0)
    assert order_state(store, "#W2000001") == ("pending", 0)
    with store.session() as session:
        from shopcopilot.commerce.models import CartLine

        assert session.scalar(select(func.count()).select_from(CartLine)) == 0


def test_a_hallucinated_price_is_removed_by_the_fact_check(store: Database) -> None:
    llm = FunctionLLM(scripted(ToolCall("product_card", {"product_id": "p1"}),
                               "The Headphones cost $100.00 in black. Today they are on sale for $79.99."))
    turn = build_assistant(store, planner=LLMPlanner(llm)).turn("f1", "how much are the headphones?")
    text = block_texts(turn.blocks)
    assert "$100.00" in text and "79.99" not in text
    assert "1 removed" in flags(turn.trace, "fact_check:")[0] and "$79.99" in flags(turn.trace, "fact_check:")[0]
    assert not flags(turn.trace, "llm_fallback")


def test_an_answer_with_no_supported_sentence_falls_back_to_the_skills_path(store: Database) -> None:
    llm = FunctionLLM(scripted(ToolCall("product_card", {"product_id": "p1"}), "They cost $12.34 in red."))
    turn = build_assistant(store, planner=LLMPlanner(llm)).turn("f2", "how much are the headphones?")
    assert flags(turn.trace, "llm_fallback:fact check")
    assert "12.34" not in block_texts(turn.blocks)


def test_a_model_error_falls_back(store: Database) -> None:
    def broken(messages: list[dict], info: CallInfo) -> str:
        raise LLMError("server on fire")

    turn = build_assistant(store, planner=LLMPlanner(FunctionLLM(broken))).turn("e1", "show me headphones")
    assert flags(turn.trace, "llm_fallback:model error")
    assert turn.blocks  # the skills path still answered


def test_json_plan_mode_for_providers_without_tool_calls(store: Database) -> None:
    def reply(messages: list[dict], info: CallInfo) -> object:
        if info.json_schema is not None:
            assert info.json_schema == plan_schema([t for t in info.json_schema["properties"]["tool_calls"]["items"]
                                                    ["properties"]["name"]["enum"]], 3)
            assert not info.tools
            return {"tool_calls": [{"name": "product_card", "arguments": {"product_id": "p3"}}]}
        return "The Charger costs $30.00."

    turn = build_assistant(store, planner=LLMPlanner(FunctionLLM(reply), mode="plan")).turn("j1", "tell me about the charger")
    assert [c.name for c in turn.trace.tool_calls] == ["product_card"]
    assert block_texts(turn.blocks) == "The Charger costs $30.00."


def test_a_plan_that_breaks_the_schema_falls_back(store: Database) -> None:
    llm = FunctionLLM(lambda messages, info: "not json at all" if info.json_schema else "x")
    turn = build_assistant(store, planner=LLMPlanner(llm, mode="plan")).turn("j2", "tell me about the charger")
    assert flags(turn.trace, "llm_fallback:model error: llm_bad_output")


def test_an_answer_without_any_tool_is_refused_for_store_questions(store: Database) -> None:
    llm = FunctionLLM(lambda messages, info: "The Headphones are $5.")
    turn = build_assistant(store, planner=LLMPlanner(llm)).turn("n1", "how much are the headphones?")
    assert flags(turn.trace, "llm_fallback:the model consulted no tool")
    greeting = build_assistant(store, planner=LLMPlanner(FunctionLLM(lambda m, i: "Hello! How can I help?")))
    hello = greeting.turn("n2", "hello")
    assert block_texts(hello.blocks) == "Hello! How can I help?" and not flags(hello.trace, "llm_fallback")


def test_confirmation_stays_with_the_skills_and_only_a_yes_changes_the_order(store: Database) -> None:
    proposal = ToolCall("cancel_pending_order", {"order_id": "#W1000001", "reason": "no longer needed"})
    llm = FunctionLLM(scripted(proposal, "Cancelled."))
    assistant = build_assistant(store, planner=LLMPlanner(llm))
    first = assistant.turn("c1", "please cancel order #W1000001 because I no longer need it", shopper_id="alice_1")
    assert flags(first.trace, "llm_rejected:cancel_pending_order: confirmation_required")
    assert order_state(store, "#W1000001") == ("pending", 0)
    assert any(isinstance(b, ConfirmationBlock) for b in first.blocks)  # the skills' confirmation flow took over
    calls_before = len(llm.calls)
    second = assistant.turn("c1", "yes", shopper_id="alice_1")
    assert second.trace.intent == "confirm" and len(llm.calls) == calls_before  # the model was not asked
    assert order_state(store, "#W1000001")[0] == "cancelled"
