"""A value the shopper asked for that the product does not come in is said, not silently replaced."""

from __future__ import annotations

SHOPPER = "james_li_5688"


def _texts(turn) -> list[str]:
    return [block["text"] for block in turn.to_dict()["blocks"] if block["type"] in ("text", "question")]


def test_white_sneakers_that_do_not_exist_are_said(assistant, chat_db) -> None:
    from sqlalchemy import select

    from shopcopilot.catalog.models import Product, Variant

    with chat_db.session() as session:
        colours = {str(o.get("color", "")).lower() for o in session.scalars(
            select(Variant.options).join(Product).where(Product.name == "Sneakers"))}
    assert "white" not in colours  # the store's Sneakers: no white
    zh = _texts(assistant.turn("opt-1", "300块以内的白色运动鞋", shopper_id=SHOPPER))
    assert zh[0].startswith("休闲运动鞋没有白色款")
    en = _texts(assistant.turn("opt-2", "white sneakers", shopper_id=SHOPPER))
    assert en[0] == "There is no white option for Sneakers; here is what it has."


def test_a_value_the_product_has_adds_no_note(assistant) -> None:
    texts = _texts(assistant.turn("opt-3", "blue t-shirt", shopper_id=SHOPPER))
    assert not any("There is no" in text for text in texts)
