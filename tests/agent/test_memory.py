"""Long-term memory: explicit statements (en + zh), learning from orders/cart/browsing, edit and delete."""

from __future__ import annotations

import pytest

from mini_store import build_mini_store
from shopcopilot.agent import memory
from shopcopilot.commerce.models import BrowsingEvent
from shopcopilot.errors import InvalidInput, NotFound


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I'm allergic to wool", ("material", "wool", "avoid")),
        ("I don't like black.", ("color", "black", "avoid")),
        ("我不喜欢黑色", ("color", "black", "avoid")),
        ("我对羊毛过敏", ("material", "wool", "avoid")),
        ("I love blue", ("color", "blue", "like")),
        ("我喜欢红色的", ("color", "red", "like")),
    ],
)
def test_parse_statement(text: str, expected: tuple[str, str, str]) -> None:
    statement = memory.parse_statement(text)
    assert statement is not None
    assert (statement.attribute, statement.value, statement.polarity) == expected


@pytest.mark.parametrize("text", ["I want a water bottle", "I don't like this order", "我想退货"])
def test_no_statement(text: str) -> None:
    assert memory.parse_statement(text) is None


@pytest.fixture
def store(empty_db):
    build_mini_store(empty_db)
    return empty_db


def test_learned_from_orders_and_browsing_keeps_explicit_items(store) -> None:
    with store.session() as session:
        memory.remember(session, "alice_1", memory.parse_statement("I don't like white"))
        session.add_all([BrowsingEvent(shopper_id="alice_1", kind="view", product_id="p2") for _ in range(2)])
        session.flush()
        learned = memory.refresh_learned(session, "alice_1")
        learned_pairs = {(m.attribute, m.value, m.source) for m in learned}
        # alice bought black headphones (audio) and a charger (electronics); she looked at cookies twice.
        assert ("color", "black", "orders") in learned_pairs
        assert ("category", "audio", "orders") in learned_pairs
        assert ("category", "snacks", "browsing") in learned_pairs
        assert any(m.attribute == "price_band" for m in learned)
        # Refreshing twice does not duplicate, and the explicit item survives.
        memory.refresh_learned(session, "alice_1")
        items = memory.list_memory(session, "alice_1")
        assert len(items) == len({(m.attribute, m.value, m.source) for m in items})
        assert [(m.value, m.polarity) for m in items if m.source == "explicit"] == [("white", "avoid")]
        prefs = memory.preferences(session, "alice_1")
        assert prefs.avoids == {"color": ["white"]} and "black" in prefs.likes["color"]


def test_edit_and_delete_only_own_items(store) -> None:
    with store.session() as session:
        item = memory.add_memory(session, "alice_1", attribute="color", value="Red", polarity="like")
        assert item.value == "red"
        edited = memory.edit_memory(session, "alice_1", item.id, polarity="avoid")
        assert edited.polarity == "avoid"
        with pytest.raises(NotFound):
            memory.edit_memory(session, "bob_2", item.id, polarity="like")
        with pytest.raises(NotFound):
            memory.delete_memory(session, "bob_2", item.id)
        with pytest.raises(InvalidInput):
            memory.edit_memory(session, "alice_1", item.id, polarity="adore")
        with pytest.raises(InvalidInput):
            memory.add_memory(session, "alice_1", attribute="mood", value="x")
        memory.delete_memory(session, "alice_1", item.id)
        assert memory.list_memory(session, "alice_1") == []
