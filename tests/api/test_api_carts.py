"""Carts through the API: the caller's own cart only, idempotent changes, bad input changes nothing."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient


def _lines(client: TestClient, headers: dict) -> list[tuple[str, int]]:
    cart = client.get("/v1/cart", headers=headers).json()
    return [(line["variant_id"], line["quantity"]) for line in cart["lines"]]


def test_add_update_remove(client: TestClient, alice: dict) -> None:
    response = client.post("/v1/cart/lines", json={"variant_id": "v1", "quantity": 2}, headers=alice)
    assert response.status_code == 200
    cart = response.json()
    assert cart["subtotal"] == pytest.approx(200.0)
    assert cart["lines"][0]["merchant_name"] == "Gadget Shop"
    client.post("/v1/cart/lines", json={"variant_id": "v3"}, headers=alice)
    assert client.patch("/v1/cart/lines/v1", json={"quantity": 5}, headers=alice).status_code == 200
    assert _lines(client, alice) == [("v1", 5), ("v3", 1)]
    assert client.delete("/v1/cart/lines/v3", headers=alice).json()["item_count"] == 5
    assert client.delete("/v1/cart", headers=alice).json()["lines"] == []


def test_idempotent_add(client: TestClient, alice: dict) -> None:
    headers = alice | {"Idempotency-Key": "add-v1-once"}
    first = client.post("/v1/cart/lines", json={"variant_id": "v1", "quantity": 2}, headers=headers)
    # Same body, keys in another order: still the same request.
    retry = client.post(
        "/v1/cart/lines",
        content=b'{"quantity": 2,   "variant_id": "v1"}',
        headers=headers | {"Content-Type": "application/json"},
    )
    assert first.status_code == retry.status_code == 200
    assert retry.json() == first.json()
    assert retry.headers.get("idempotent-replayed") == "true"
    assert "idempotent-replayed" not in first.headers
    assert _lines(client, alice) == [("v1", 2)]

    other_body = client.post("/v1/cart/lines", json={"variant_id": "v1", "quantity": 3}, headers=headers)
    assert other_body.status_code == 409
    assert other_body.json()["error"]["code"] == "idempotency_key_reused"
    other_path = client.patch("/v1/cart/lines/v1", json={"quantity": 2}, headers=headers)
    assert other_path.status_code == 409
    assert _lines(client, alice) == [("v1", 2)]

    # A fresh key is a fresh change.
    client.post(
        "/v1/cart/lines", json={"variant_id": "v1", "quantity": 2}, headers=alice | {"Idempotency-Key": "k2"}
    )
    assert _lines(client, alice) == [("v1", 4)]


def test_keys_are_per_shopper(client: TestClient, alice: dict, bob: dict) -> None:
    body = {"variant_id": "v4", "quantity": 1}
    client.post("/v1/cart/lines", json=body, headers=alice | {"Idempotency-Key": "same"})
    response = client.post("/v1/cart/lines", json=body, headers=bob | {"Idempotency-Key": "same"})
    assert response.json()["shopper_id"] == "bob_2"
    assert _lines(client, bob) == [("v4", 1)]


def test_failed_requests_are_not_stored(client: TestClient, alice: dict) -> None:
    headers = alice | {"Idempotency-Key": "retry-after-fix"}
    assert client.post("/v1/cart/lines", json={"variant_id": "nope"}, headers=headers).status_code == 404
    assert client.post("/v1/cart/lines", json={"variant_id": "v1"}, headers=headers).status_code == 200
    assert _lines(client, alice) == [("v1", 1)]


@pytest.mark.parametrize(
    "body",
    [
        {"variant_id": "v1", "quantity": -1},
        {"variant_id": "v1", "quantity": 0},
        {"variant_id": "v1", "quantity": 10**9},
        {"variant_id": "v1", "quantity": 100},
        {"variant_id": "v1", "quantity": "2"},
        {"variant_id": "v1", "quantity": 1.5},
        {"variant_id": "v1", "quantity": True},
        {"variant_id": 123, "quantity": 1},
        {"variant_id": "", "quantity": 1},
        {"variant_id": "v1", "quantity": 1, "price": 0.01},
        {"quantity": 1},
        [{"variant_id": "v1"}],
    ],
)
def test_bad_bodies_are_422_and_change_nothing(client: TestClient, alice: dict, body) -> None:
    client.post("/v1/cart/lines", json={"variant_id": "v4", "quantity": 1}, headers=alice)
    response = client.post("/v1/cart/lines", json=body, headers=alice)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_input" and error["message"]
    assert _lines(client, alice) == [("v4", 1)]


def test_bad_update_changes_nothing(client: TestClient, alice: dict) -> None:
    client.post("/v1/cart/lines", json={"variant_id": "v1", "quantity": 3}, headers=alice)
    for quantity in (-5, 0, 10**9):
        assert (
            client.patch("/v1/cart/lines/v1", json={"quantity": quantity}, headers=alice).status_code == 422
        )
    assert client.patch("/v1/cart/lines/v4", json={"quantity": 1}, headers=alice).status_code == 404
    assert _lines(client, alice) == [("v1", 3)]


def test_unknown_unavailable_and_over_stock(client: TestClient, alice: dict) -> None:
    unknown = client.post("/v1/cart/lines", json={"variant_id": "does-not-exist"}, headers=alice)
    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "variant_not_found"
    unavailable = client.post("/v1/cart/lines", json={"variant_id": "v2"}, headers=alice)
    assert (unavailable.status_code, unavailable.json()["error"]["code"]) == (409, "variant_unavailable")
    over = client.post("/v1/cart/lines", json={"variant_id": "v3", "quantity": 6}, headers=alice)
    assert (over.status_code, over.json()["error"]["code"]) == (409, "insufficient_stock")
    assert _lines(client, alice) == []


def test_other_shoppers_cart_is_out_of_reach(client: TestClient, alice: dict, bob: dict) -> None:
    client.post("/v1/cart/lines", json={"variant_id": "v1", "quantity": 2}, headers=alice)
    assert _lines(client, bob) == []
    assert client.delete("/v1/cart/lines/v1", headers=bob).status_code == 404
    assert client.patch("/v1/cart/lines/v1", json={"quantity": 9}, headers=bob).status_code == 404
    assert _lines(client, alice) == [("v1", 2)]


def test_malformed_json_and_huge_body(client: TestClient, alice: dict) -> None:
    malformed = client.post(
        "/v1/cart/lines",
        content=b'{"variant_id": "v1", "quantity": ',
        headers=alice | {"Content-Type": "application/json"},
    )
    assert malformed.status_code == 400
    assert malformed.json()["error"]["code"] == "malformed_json"
    huge = json.dumps({"variant_id": "v1", "quantity": 1, "note": "x" * 1_000_000}).encode()
    too_big = client.post(
        "/v1/cart/lines", content=huge, headers=alice | {"Content-Type": "application/json"}
    )
    assert too_big.status_code == 413
    assert too_big.json()["error"]["code"] == "body_too_large"
    assert _lines(client, alice) == []
