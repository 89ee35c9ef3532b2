"""`POST /v1/feedback` and the demo login (`/v1/dev/*`), over HTTP against the small hand-built store."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from shopcopilot.agent.models import ChatSession, ChatTurn
from shopcopilot.api.auth import verify_token
from shopcopilot.feedback.models import Feedback
from shopcopilot.storage.db import Database


@pytest.fixture
def conversation(store_db: Database) -> str:
    with store_db.session() as session:
        session.add(ChatSession(id="web-alice-1", shopper_id="alice_1", state={}, turns=1))
        session.flush()
        session.add(ChatTurn(session_id="web-alice-1", position=1, message="hi", blocks=[], trace={}))
    return "web-alice-1"


def test_feedback_is_stored_for_the_conversation_owner(client: TestClient, alice: dict, conversation: str,
                                                       store_db: Database) -> None:
    answer = client.post("/v1/feedback", json={"session_id": conversation, "turn": 1, "rating": -1,
                                                "comment": "wrong size"}, headers=alice)
    assert answer.status_code == 201, answer.text
    assert answer.json()["rating"] == -1
    with store_db.session() as session:
        row = session.scalar(select(Feedback))
        assert (row.shopper_id, row.turn_position, row.comment) == ("alice_1", 1, "wrong size")
    listed = client.get("/v1/feedback", params={"session_id": conversation}, headers=alice)
    assert [f["comment"] for f in listed.json()] == ["wrong size"]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"session_id": "web-alice-1", "turn": 1, "rating": 2}, 422),
        ({"session_id": "web-alice-1", "turn": 1, "rating": "1"}, 422),
        ({"session_id": "web-alice-1", "turn": 1, "rating": 1, "extra": True}, 422),
        ({"session_id": "bad id!", "turn": 1, "rating": 1}, 422),
        ({"session_id": "web-alice-1", "turn": 7, "rating": 1}, 404),
    ],
)
def test_bad_feedback_is_a_4xx_and_stores_nothing(client: TestClient, alice: dict, conversation: str,
                                                  store_db: Database, body: dict, status: int) -> None:
    answer = client.post("/v1/feedback", json=body, headers=alice)
    assert answer.status_code == status, answer.text
    assert "error" in answer.json()
    with store_db.session() as session:
        assert session.scalar(select(Feedback)) is None


def test_another_shopper_cannot_rate_someone_elses_conversation(client: TestClient, bob: dict,
                                                               conversation: str) -> None:
    answer = client.post("/v1/feedback", json={"session_id": conversation, "turn": 1, "rating": 1}, headers=bob)
    assert answer.status_code == 403


def test_demo_login_is_off_unless_enabled(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SHOPCOPILOT_DEMO_LOGIN", raising=False)
    assert client.get("/v1/dev/accounts").status_code == 404
    assert client.post("/v1/dev/login", json={"kind": "shopper", "id": "alice_1"}).status_code == 404


def test_demo_login_mints_a_working_token(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOPCOPILOT_DEMO_LOGIN", "1")
    accounts = client.get("/v1/dev/accounts").json()
    assert {m["id"] for m in accounts["merchants"]} and all(s["kind"] == "shopper" for s in accounts["shoppers"])
    answer = client.post("/v1/dev/login", json={"kind": "merchant", "id": accounts["merchants"][0]["id"]})
    assert answer.status_code == 200
    token = answer.json()["token"]
    assert verify_token(token).id == accounts["merchants"][0]["id"]
    assert client.get("/v1/merchant", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert client.post("/v1/dev/login", json={"kind": "shopper", "id": "nobody"}).status_code == 404
    assert client.post("/v1/dev/login", json={"kind": "admin", "id": "alice_1"}).status_code == 422


@pytest.fixture
def misunderstood(store_db: Database) -> str:
    with store_db.session() as session:
        session.add(ChatSession(id="web-alice-2", shopper_id="alice_1", state={}, turns=1))
        session.flush()
        session.add(ChatTurn(session_id="web-alice-2", position=1, message="帮我催一下发货", blocks=[],
                             trace={"intent": "coupon_fill"}))
    return "web-alice-2"


def test_a_thumbs_down_can_say_what_the_message_meant(client: TestClient, alice: dict, misunderstood: str,
                                                      store_db: Database) -> None:
    from shopcopilot.feedback.models import IntentCorrection

    answer = client.post("/v1/feedback", json={"session_id": misunderstood, "turn": 1, "rating": -1,
                                                "wanted_intent": "order_status"}, headers=alice)
    assert answer.status_code == 201, answer.text
    correction = answer.json()["correction"]
    assert (correction["text"], correction["predicted"], correction["intent"], correction["status"]) == (
        "帮我催一下发货", "coupon_fill", "order_status", "pending")
    with store_db.session() as session:
        assert session.scalar(select(IntentCorrection.shopper_id)) == "alice_1"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"rating": 1, "wanted_intent": "order_status"}, 422),  # a correction goes with a thumbs down
        ({"rating": -1, "wanted_intent": "teleport"}, 422),  # not an intent
        ({"rating": -1, "wanted_intent": "coupon_fill"}, 422),  # what it already understood
        ({"rating": -1, "turn": None, "wanted_intent": "order_status"}, 422),  # which turn?
    ],
)
def test_a_bad_correction_is_a_4xx_and_stores_nothing(client: TestClient, alice: dict, misunderstood: str,
                                                      store_db: Database, body: dict, status: int) -> None:
    from shopcopilot.feedback.models import IntentCorrection

    answer = client.post("/v1/feedback", json={"session_id": misunderstood, "turn": 1, **body}, headers=alice)
    assert answer.status_code == status, answer.text
    assert "error" in answer.json()
    with store_db.session() as session:
        assert session.scalar(select(Feedback)) is None
        assert session.scalar(select(IntentCorrection)) is None
