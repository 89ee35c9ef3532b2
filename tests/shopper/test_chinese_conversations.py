"""A Chinese-speaking shopper's conversations through `shopcopilot chat --script` over the real retail store:
remembered preferences read in Chinese, "谢谢" is answered as thanks, "这两个哪个好" compares only what was shown,
"有没有便宜点的耳机" with nothing shown yet is a search, and "便宜点/贵一点" answers match what the shopper saw."""

from __future__ import annotations

import re

from scripted import blocks_of, run_script, text_of, tools_of

from shopcopilot.catalog.content import translate_option_value
from shopcopilot.commerce.models import BrowsingEvent
from shopcopilot.shopper.vocabulary import build_vocabulary

SHOPPER = "noah_brown_6181"
LATIN = re.compile(r"[A-Za-z]")


def _product_id(chat_db, name: str) -> str:
    with chat_db.session() as session:
        return next(info.id for info in build_vocabulary(session).products.values() if info.name == name)


def test_stated_preferences_and_the_memory_list_read_in_chinese(chat_db, tmp_path, capsys, monkeypatch) -> None:
    dislike, allergy, like, listing = run_script(chat_db, tmp_path, capsys, monkeypatch, [
        "我不喜欢黑色", "我对羊毛过敏", "我喜欢木质的", "我的偏好有哪些",
    ], shopper=SHOPPER, session="zh-memory")
    assert [a["trace"]["intent"] for a in (dislike, allergy, like)] == ["remember"] * 3

    assert "黑色" in text_of(dislike) and not LATIN.search(text_of(dislike))
    # An allergy is said back as an allergy, with the material in Chinese (not "您不要wool").
    assert "羊毛过敏" in text_of(allergy) and not LATIN.search(text_of(allergy))
    # Wood as a material is 木质, not the colour 木纹色.
    assert "木质" in text_of(like) and "木纹色" not in text_of(like)

    assert listing["trace"]["intent"] == "memory"
    lines = text_of(listing).splitlines()[1:]
    assert len(lines) >= 3
    for line in lines:  # "- #3 不要 颜色：黑色（您告诉我的）": no "avoid color: black (explicit)", no category ids
        assert not LATIN.search(line), line
    assert any("不要 颜色：黑色" in line for line in lines)
    assert any("不要 材质：羊毛" in line for line in lines)


def test_thanks_is_answered_as_thanks_not_with_a_greeting(chat_db, tmp_path, capsys, monkeypatch) -> None:
    (thanks,) = run_script(chat_db, tmp_path, capsys, monkeypatch, ["谢谢"], shopper=SHOPPER, session="zh-thanks")
    assert "不客气" in text_of(thanks)
    assert "您好" not in text_of(thanks)


def test_these_two_never_compares_products_the_conversation_did_not_show(chat_db, tmp_path, capsys,
                                                                         monkeypatch) -> None:
    kettle, lamp = _product_id(chat_db, "Electric Kettle"), _product_id(chat_db, "Desk Lamp")
    with chat_db.session() as session:  # products viewed long before this conversation
        session.add_all([BrowsingEvent(shopper_id=SHOPPER, kind="view", product_id=pid) for pid in (kettle, lamp)])
    shown, which = run_script(chat_db, tmp_path, capsys, monkeypatch, ["运动鞋", "这两个哪个好"],
                              shopper=SHOPPER, session="zh-these-two")
    assert which["trace"]["intent"] == "compare"
    assert "compare_products" not in tools_of(which), "compared products the shopper never saw here"
    assert not blocks_of(which, "comparison")
    assert "两款" in text_of(which)


def test_a_cheaper_named_product_with_nothing_shown_is_a_search(chat_db, tmp_path, capsys, monkeypatch) -> None:
    (first,) = run_script(chat_db, tmp_path, capsys, monkeypatch, ["有没有便宜点的耳机"],
                          shopper=SHOPPER, session="zh-cheaper-first")
    # Before: "这些选项里没有比 $344.55 更便宜的了" although no option had been shown.
    assert "更便宜的了" not in text_of(first)
    assert "search_products" in tools_of(first)
    assert blocks_of(first, "product_cards") or blocks_of(first, "question")


def test_pricier_at_the_top_says_nothing_pricier(chat_db, tmp_path, capsys, monkeypatch) -> None:
    answers = run_script(chat_db, tmp_path, capsys, monkeypatch, ["电热水壶", "最贵的是多少", "贵一点的", "贵一点的"],
                         shopper=SHOPPER, session="zh-pricier")
    last = answers[-1]
    assert not blocks_of(last, "product_cards"), "nothing can be pricier than the top of the range twice over"
    assert "更贵" in text_of(last)
    assert "更便宜" not in text_of(last)


def test_cheaper_names_the_price_the_shopper_saw_when_memory_avoids_a_colour(chat_db, tmp_path, capsys,
                                                                            monkeypatch) -> None:
    answers = run_script(chat_db, tmp_path, capsys, monkeypatch, ["我不喜欢黑色", "头戴式耳机", "便宜点的", "便宜点的"],
                         shopper=SHOPPER, session="zh-cheaper-avoid")
    shown = [card for answer in answers for block in blocks_of(answer, "product_cards") for card in block["cards"]]
    assert shown, "headphones were shown"
    lowest_seen = min(card["match_price_min"] for card in shown if card["match_price_min"] is not None)
    said = [text_of(answer) for answer in answers[2:] if "更便宜的了" in text_of(answer)]
    assert said, "the second 'cheaper' reaches the bottom of what may be shown"
    # The bottom is the cheapest non-black option shown, not a black one the shopper asked not to see.
    assert f"${lowest_seen:,.2f}" in said[-1]


def test_lexicon_tells_wool_and_wood_as_materials() -> None:
    assert translate_option_value("material", "wool") == "羊毛"
    assert translate_option_value("material", "wood") == "木质"
    assert translate_option_value("color", "wood") == "木纹色"
