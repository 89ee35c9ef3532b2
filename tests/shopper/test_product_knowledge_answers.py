"""Questions about a product on screen (who/when it suits, how to use and care for it, what stands out) are answered
from that product's knowledge, in the shopper's language, and do not start a new search or a shopping plan."""

from __future__ import annotations

from shopcopilot.catalog.content import product_knowledge


def _knowledge(name: str) -> dict:
    return product_knowledge()[name]


def _text(turn) -> str:
    return "\n".join(block["text"] for block in turn["blocks"] if block["type"] == "text")


def test_questions_about_the_boots_on_screen_use_their_knowledge(assistant) -> None:
    boots = _knowledge("Hiking Boots")
    assistant.turn("kb-en", "show me hiking boots")
    winter = assistant.turn("kb-en", "is it good for winter?").to_dict()
    assert winter["trace"]["intent"] == "product_question"
    assert boots["suits"] in _text(winter)
    # The advice names the waterproof versions: what those cost here, from the store's variants.
    assert "Waterproof versions of Hiking Boots: $" in _text(winter)
    care = assistant.turn("kb-en", "how do I clean it?").to_dict()
    assert care["trace"]["intent"] == "product_question" and boots["usage"] in _text(care)
    special = assistant.turn("kb-en", "what's special about it?").to_dict()
    assert boots["features"][0] in _text(special)


def test_chinese_questions_about_the_product_on_screen(assistant) -> None:
    boots = _knowledge("Hiking Boots")
    assistant.turn("kb-zh", "我想看看登山靴")
    seniors = assistant.turn("kb-zh", "这个适合老人吗").to_dict()
    assert seniors["trace"]["intent"] == "product_question"  # not the senior shopping plan
    assert seniors["language"] == "zh" and boots["suits_zh"] in _text(seniors)
    care = assistant.turn("kb-zh", "怎么保养").to_dict()
    assert care["trace"]["intent"] == "product_question" and boots["usage_zh"] in _text(care)


def test_a_plan_for_seniors_is_still_a_plan_without_a_product_in_view(assistant) -> None:
    turn = assistant.turn("kb-plan", "帮老人准备一些日常用品").to_dict()
    assert turn["trace"]["intent"] == "plan"


def test_small_talk_with_a_product_on_screen_is_not_about_the_product(assistant) -> None:
    assistant.turn("kb-weather", "我想看看登山靴")
    turn = assistant.turn("kb-weather", "今天天气怎么样").to_dict()
    assert turn["trace"]["intent"] == "out_of_scope"
