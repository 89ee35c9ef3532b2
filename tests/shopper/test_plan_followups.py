"""After a plan: a budget alone re-plans the same scenario; aliases tolerate words in between; a scenario the
store has no plan for is said plainly."""

from __future__ import annotations

from shopcopilot.shopper.planners import match_scenarios

SHOPPER = "james_li_5688"


def _plan(turn: dict) -> dict | None:
    return next((block for block in turn["blocks"] if block["type"] == "plan"), None)


def test_a_budget_alone_replans_the_same_scenario(assistant) -> None:
    first = assistant.turn("plan-1", "我下个月结婚，帮我准备一下", shopper_id=SHOPPER).to_dict()
    assert first["trace"]["intent"] == "plan" and "婚礼" in _plan(first)["title"]
    again = assistant.turn("plan-1", "预算5000元", shopper_id=SHOPPER).to_dict()
    assert again["trace"]["intent"] == "plan"
    assert "婚礼" in _plan(again)["title"] and "$5,000.00" in _plan(again)["title"]
    english = assistant.turn("plan-1", "make it $150", shopper_id=SHOPPER).to_dict()
    assert english["trace"]["intent"] == "plan" and "$150.00" in _plan(english)["title"]


def test_a_budget_without_a_plan_before_is_not_a_plan(assistant) -> None:
    turn = assistant.turn("plan-2", "预算5000元", shopper_id=SHOPPER).to_dict()
    assert turn["trace"]["intent"] != "plan"


def test_words_may_stand_between_an_aliass_words() -> None:
    templates = {
        "senior": {"aliases": {"en": ["my grandma"], "zh": []}},
        "trip": {"aliases": {"en": ["beach trip"], "zh": []}},
    }
    assert match_scenarios("shopping for my 80 year old grandma", templates) == ["senior"]
    assert match_scenarios("a beach weekend trip", templates) == ["trip"]
    assert match_scenarios("my friend's cat likes her grandma", templates) == []  # too far apart


def test_no_ready_plan_is_said_plainly_with_the_plans_on_offer(assistant) -> None:
    turn = assistant.turn("plan-3", "plan my kid's space-themed birthday party on mars", shopper_id=SHOPPER)
    question = next(block for block in turn.to_dict()["blocks"] if block["type"] == "question")
    assert question["text"].startswith("I have no ready plan for that yet")
    assert len(question["choices"]) >= 10


def test_what_the_plan_is_for_outranks_who_it_is_for() -> None:
    from shopcopilot.shopper.planners import load_templates

    templates = dict(load_templates())
    assert match_scenarios("hot pot with my grandmother", templates) == ["dish_hot_pot"]
    assert match_scenarios("camping with grandpa", templates) == ["trip_camping"]
    assert match_scenarios("帮奶奶准备火锅", templates) == ["dish_hot_pot"]
    assert match_scenarios("shopping for my 80 year old grandma", templates) == ["senior"]
