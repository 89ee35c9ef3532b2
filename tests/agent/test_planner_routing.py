"""The rule planner's routing between the dialogue state and new requests: store-policy questions are not order
requests, an open order question yields to a message that clearly starts something else (and keeps its answers),
and a bare yes/no with nothing pending is neither a consent nor a search."""

from __future__ import annotations

import pytest

from shopcopilot.agent.blocks import CitedAnswerBlock, TextBlock, block_texts, blocks_to_dicts
from shopcopilot.agent.planner import (
    PlanInput,
    RulePlanner,
    answers_open_question,
    is_policy_question,
    rule_intent,
)
from shopcopilot.agent.state import DialogueState


@pytest.mark.parametrize(
    "text",
    ["what is your return policy?", "how long does a refund take?", "退货政策是什么", "取消订单多久退款",
     "do you accept returns after 30 days?", "退款几天到账",
     # rules asked about in general: an item described, shipping costs and places, how many times
     "can I return an opened item?", "can I exchange sale items?", "who pays for return shipping?",
     "do you ship internationally?", "can I change the shipping address after ordering?", "运费谁出",
     "换货可以换几次", "拆封了还能退吗", "下单后还能改地址吗"],
)
def test_policy_questions(text: str) -> None:
    assert is_policy_question(text)
    assert rule_intent(text) == "policy_question"


@pytest.mark.parametrize(
    ("text", "intent"),
    [("I want to return my kettle", "order_return"), ("我想退掉电热水壶", "order_return"),
     ("can I return my kettle?", "order_return"), ("can I cancel my order?", "order_cancel"),
     ("cancel order #W1234567", "order_cancel"), ("取消订单 #W1234567", "order_cancel"),
     ("how long until order #W1234567 arrives", "order_status")],
)
def test_order_requests_stay_order_requests(text: str, intent: str) -> None:
    assert not is_policy_question(text)
    assert rule_intent(text) == intent


def _collecting(slot: str = "order_id", intent: str = "order_return") -> DialogueState:
    return DialogueState(flow={"intent": intent, "order_id": None}, awaiting=slot,
                         authenticated_user_id="alice_1")


@pytest.mark.parametrize(
    ("slot", "text", "mentions_product"),
    [("order_id", "#W1234567", False), ("order_id", "the first one", False), ("order_id", "第一个", False),
     ("order_id", "the kettle one", True), ("reason", "I ordered it by mistake", False),
     ("reason", "不需要了", False), ("payment_method", "to my gift card", False),
     ("payment_method", "退回原支付方式", False), ("items", "all of them", False), ("auth", "a@b.co", False)],
)
def test_answers_to_the_open_question_continue_the_flow(slot: str, text: str, mentions_product: bool) -> None:
    request = PlanInput(text, _collecting(slot), mentions_product=mentions_product)
    assert answers_open_question(request)
    plan = RulePlanner().plan(request)
    assert plan.skill == ("authenticate" if slot == "auth" else "order")
    assert plan.intent == ("authenticate" if slot == "auth" else "order_return")


@pytest.mark.parametrize(
    ("text", "intent"),
    [("what is your return policy?", "policy_question"), ("退货政策是什么", "policy_question"),
     ("add the headphones to my cart", "cart"), ("加入购物车", "cart")],
)
def test_another_request_leaves_the_open_question(text: str, intent: str) -> None:
    request = PlanInput(text, _collecting())
    assert not answers_open_question(request)
    plan = RulePlanner().plan(request)
    assert plan.intent == intent and plan.skill != "order"


@pytest.mark.parametrize("text", ["yes", "是的", "no", "不用了"])
def test_a_bare_yes_or_no_with_nothing_pending(text: str) -> None:
    plan = RulePlanner().plan(PlanInput(text, DialogueState()))
    assert (plan.intent, plan.skill) == ("acknowledge", "acknowledge")
    pending = DialogueState(pending={"tool": "cancel_pending_order", "arguments": {}, "details": []})
    assert RulePlanner().plan(PlanInput(text, pending)).skill in ("confirm", "decline")


def test_cited_answer_block_carries_text_and_citations() -> None:
    citation = {"kb": "store_policy", "chunk_id": "policy#returns-1", "title": "Returns", "quote": "Within 30 days."}
    blocks = [CitedAnswerBlock("Within 30 days. [1]", [citation]), TextBlock("Anything else?")]
    assert blocks_to_dicts(blocks)[0] == {"type": "cited_answer", "text": "Within 30 days. [1]",
                                          "citations": [citation]}
    assert block_texts(blocks) == "Within 30 days. [1]\nAnything else?"
