"""The merchant API over a real app: ownership (403/404), the copilot chat as SSE, listing draft and publish."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from mini_store import build_mini_store
from product_photos import product_photo
from shopcopilot.api.app import create_app
from shopcopilot.api.auth import mint_token
from shopcopilot.catalog.models import Product, Variant
from shopcopilot.studio.slots import load_slots


def bearer(kind: str, subject: str) -> dict:
    return {"Authorization": f"Bearer {mint_token(kind, subject)}"}  # type: ignore[arg-type]


M1, M2, SHOPPER = bearer("merchant", "m1"), bearer("merchant", "m2"), bearer("shopper", "alice_1")


@pytest.fixture
def store(empty_db):
    build_mini_store(empty_db)
    return empty_db


@pytest.fixture
def client(store):
    app = create_app(store)
    app.state.listing_classifier = None  # the classifier has its own test; keep API tests light
    with TestClient(app) as test_client:
        yield test_client


def sse(response) -> list[tuple[str, dict]]:
    events = []
    for chunk in response.text.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in chunk.splitlines())
        events.append((lines["event"], json.loads(lines["data"])))
    return events


def chat(client, headers, message, session_id="s1"):
    response = client.post(
        "/v1/merchant/chat", json={"session_id": session_id, "message": message}, headers=headers
    )
    assert response.status_code == 200, response.text
    return [data for event, data in sse(response) if event == "block"]


def test_tokens_and_ownership(client, store):
    assert (
        client.post("/v1/merchant/operations/preview", json={"operation": "list_orders"}).status_code == 401
    )
    assert (
        client.post(
            "/v1/merchant/operations/preview", json={"operation": "list_orders"}, headers=SHOPPER
        ).status_code
        == 403
    )
    other = {"operation": "change_prices", "arguments": {"scope": {"variant_ids": ["v3"]}, "percent": 5}}
    assert client.post("/v1/merchant/operations/preview", json=other, headers=M1).status_code == 404
    assert client.post("/v1/merchant/copy", json={"product_id": "p2"}, headers=M1).status_code == 404
    own = {"operation": "set_stock", "arguments": {"scope": {"variant_ids": ["v3"]}, "stock": 2}}
    op_id = client.post("/v1/merchant/operations/preview", json=own, headers=M2).json()["operation_id"]
    assert client.post(f"/v1/merchant/operations/{op_id}/confirm", headers=M1).status_code == 404
    assert client.get("/v1/merchant/operations", headers=M1).json()["items"] == []
    assert client.post(f"/v1/merchant/operations/{op_id}/confirm", headers=M2).status_code == 200
    with store.session() as s:
        assert s.get(Variant, "v3").stock == 2
    bad = {"operation": "create_coupon", "arguments": {"kind": "percent", "percent": 80}}
    assert client.post("/v1/merchant/operations/preview", json=bad, headers=M1).status_code == 422


def test_copilot_chat_preview_confirm_undo(client, store):
    blocks = chat(client, M1, "raise all headphones by 5%")
    preview = next(b for b in blocks if b["type"] == "preview")
    assert {d["id"] for d in preview["diff"]} == {"v1", "v2", "v5"}
    with store.session() as s:
        assert s.get(Variant, "v1").price == 100.0
    # Another merchant cannot confirm m1's pending preview from its own conversation with the same id.
    assert "no change waiting" in chat(client, M2, "confirm")[0]["text"].lower()
    applied = chat(client, M1, "confirm")
    assert applied[0]["operation"]["status"] == "applied"
    with store.session() as s:
        assert s.get(Variant, "v1").price == 105.0
    log = client.get("/v1/merchant/operations", headers=M1).json()["items"]
    assert log[0]["status"] == "applied" and log[0]["request"] == "raise all headphones by 5%"
    chat(client, M1, "undo")
    with store.session() as s:
        assert s.get(Variant, "v1").price == 100.0
    orders = chat(client, M1, "which orders are pending?")
    assert [o["order_id"] for o in orders[0]["result"]["orders"]] == ["#W1000001"]


def test_copilot_answers_rules_with_citations(client):
    blocks = chat(client, M1, "What is the largest saving a store coupon may give?")
    answer = blocks[0]
    assert answer["type"] == "answer" and answer["citations"]
    assert any(c["kb"] == "platform_rules" and "50%" in c["quote"] for c in answer["citations"])


def test_copy_is_grounded_in_product_data(client):
    body = client.post("/v1/merchant/copy", json={"product_id": "p1"}, headers=M1).json()
    assert body["titles"] and body["ad_lines"]
    assert any("95.00" in line for line in body["ad_lines"])  # the cheapest available variant
    assert "black" in body["description"] and "blue" in body["description"]


def test_draft_then_publish(client, store, tmp_path, monkeypatch):
    monkeypatch.setenv("SHOPCOPILOT_VAR", str(tmp_path))  # slot images go under var/listing_images
    photo = product_photo(body=(40, 160, 70))
    response = client.post(
        "/v1/merchant/listings/draft", headers=M1, files=[("photos", ("p.png", photo, "image/png"))]
    )
    assert response.status_code == 200, response.text
    draft = response.json()
    assert draft["colours"][0]["name"] == "green" and draft["brand"] == "AQUAPEAK"
    bad = {**draft, "variants": [{"options": {"color": "green"}, "price": -1}]}
    assert (
        client.post("/v1/merchant/listings", headers=M1, data={"listing": json.dumps(bad)}).status_code == 422
    )
    listing = {
        **draft,
        "title": "Aquapeak Bottle",
        "category": "audio",
        "variants": [{"options": {"color": "green"}, "price": 24.5, "stock": 3}],
    }
    created = client.post(
        "/v1/merchant/listings",
        headers=M1,
        data={"listing": json.dumps(listing)},
        files={"photo": ("p.png", photo, "image/png")},
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert [image["slot"] for image in body["images"]] == list(load_slots())  # every display slot
    assert all(image["path"].startswith(str(tmp_path)) and image["faithful"] for image in body["images"])
    with store.session() as s:
        product = s.get(Product, body["product_id"])
        assert product.merchant_id == "m1" and product.name == "Aquapeak Bottle"
        assert [(v.options, v.price, v.stock) for v in product.variants] == [({"color": "green"}, 24.5, 3)]
    assert (
        client.post(
            "/v1/merchant/listings/draft", headers=M1, files=[("photos", ("p.png", photo, "image/png"))] * 6
        ).status_code
        == 422
    )
