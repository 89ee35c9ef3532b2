"""`POST /v1/chat` over a real uvicorn server (Server-Sent Events) and the memory API."""

from __future__ import annotations

import json

import httpx
import pytest

from http_server import running_server
from shopcopilot.api.app import create_app
from shopcopilot.api.auth import mint_token


def _events(response: httpx.Response) -> list[tuple[str, dict]]:
    events = []
    for chunk in response.text.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in chunk.splitlines())
        events.append((lines["event"], json.loads(lines["data"])))
    return events


@pytest.fixture
def server(chat_db):
    with running_server(create_app(chat_db)) as base_url:
        yield base_url


def _auth(user: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_token('shopper', user)}"}


def test_chat_streams_blocks_then_trace(server) -> None:
    with httpx.Client(base_url=server, timeout=30) as client:
        response = client.post("/v1/chat", json={"session_id": "h1", "message": "I want a backpack"},
                               headers=_auth("james_li_5688"))
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/event-stream")
        events = _events(response)
        kinds = [kind for kind, _ in events]
        assert kinds[-2:] == ["trace", "done"] and kinds[:-2] and set(kinds[:-2]) == {"block"}
        trace = events[-2][1]
        assert trace["intent"] and trace["tool_calls"] and all("ms" in call for call in trace["tool_calls"])
        # Another shopper cannot continue this conversation; a guest cannot either.
        assert client.post("/v1/chat", json={"session_id": "h1", "message": "hi"},
                           headers=_auth("sofia_kovacs_7075")).status_code == 403
        assert client.post("/v1/chat", json={"session_id": "h1", "message": "hi"}).status_code == 403
        for bad in ({"session_id": "h2", "message": ""}, {"session_id": "bad id", "message": "hi"}, {}):
            assert client.post("/v1/chat", json=bad).status_code == 422


def test_guest_order_lookup_needs_authentication(server) -> None:
    with httpx.Client(base_url=server, timeout=30) as client:
        first = _events(client.post("/v1/chat", json={"session_id": "g1", "message": "where is order #W4435622"}))
        assert first[0][1]["type"] == "question" and first[0][1]["slot"] == "auth"
        assert "Water Bottle" not in json.dumps(first)
        second = _events(client.post("/v1/chat", json={"session_id": "g1",
                                                       "message": "my email is james.li4495@example.com"}))
        assert "Water Bottle" in json.dumps(second)


def test_memory_api_list_edit_delete(server) -> None:
    headers = _auth("james_li_5688")
    with httpx.Client(base_url=server, timeout=30) as client:
        client.post("/v1/chat", json={"session_id": "m1", "message": "I'm allergic to wool"}, headers=headers)
        items = client.get("/v1/memory", headers=headers).json()
        wool = [i for i in items if i["value"] == "wool"]
        assert wool and wool[0]["polarity"] == "avoid" and wool[0]["source"] == "explicit"
        assert any(i["source"] == "orders" for i in items)  # learned when the conversation started
        patched = client.patch(f"/v1/memory/{wool[0]['id']}", json={"polarity": "like"}, headers=headers)
        assert patched.status_code == 200 and patched.json()["polarity"] == "like"
        assert client.patch(f"/v1/memory/{wool[0]['id']}", json={"polarity": "adore"},
                            headers=headers).status_code == 422
        other = _auth("sofia_kovacs_7075")
        assert client.delete(f"/v1/memory/{wool[0]['id']}", headers=other).status_code == 404
        assert client.delete(f"/v1/memory/{wool[0]['id']}", headers=headers).status_code == 204
        assert all(i["id"] != wool[0]["id"] for i in client.get("/v1/memory", headers=headers).json())
        created = client.post("/v1/memory", json={"attribute": "color", "value": "navy", "polarity": "like"},
                              headers=headers)
        assert created.status_code == 201 and created.json()["source"] == "explicit"
        assert client.get("/v1/memory").status_code == 401


def test_chat_and_search_share_one_search_engine(chat_db) -> None:
    from fastapi.testclient import TestClient

    app = create_app(chat_db)
    with TestClient(app) as client:
        chat = client.post("/v1/chat", json={"session_id": "one-engine", "message": "I want a backpack"},
                           headers=_auth("james_li_5688"))
        assert chat.status_code == 200
        assert client.get("/v1/search", params={"q": "backpack"}).status_code == 200
    engine = app.state.search_engine
    assert engine is not None and app.state.assistant.resources["search_engine"] is engine
