"""The API in a real uvicorn server on a loopback port, over real HTTP (httpx)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx

from shopcopilot.api.auth import mint_token


def test_real_server_round_trip(live_server: str) -> None:
    alice = {"Authorization": f"Bearer {mint_token('shopper', 'alice_1')}"}
    with httpx.Client(base_url=live_server, timeout=10) as http:
        assert http.get("/healthz").json()["status"] == "ok"
        assert http.get("/v1/cart").status_code == 401
        added = http.post("/v1/cart/lines", json={"variant_id": "v5", "quantity": 3}, headers=alice)
        assert added.status_code == 200
        assert added.json()["subtotal"] == 285.0
        assert http.get("/v1/orders/W1000001", headers=alice).json()["order_id"] == "#W1000001"
        assert http.get("/v1/orders/%23W1000001", headers=alice).json()["status"] == "pending"
        assert http.get("/v1/orders/W2000001", headers=alice).status_code == 404  # bob's


def test_concurrent_retries_apply_once(live_server: str) -> None:
    """Several copies of one request racing with the same key: one change, the same answer for all."""
    headers = {"Authorization": f"Bearer {mint_token('shopper', 'bob_2')}", "Idempotency-Key": "race-1"}

    def send(_: int) -> httpx.Response:
        with httpx.Client(base_url=live_server, timeout=30) as http:
            return http.post("/v1/cart/lines", json={"variant_id": "v4", "quantity": 2}, headers=headers)

    with ThreadPoolExecutor(max_workers=4) as pool:
        responses = list(pool.map(send, range(4)))
    assert [r.status_code for r in responses] == [200] * 4
    assert len({r.text for r in responses}) == 1
    with httpx.Client(base_url=live_server, timeout=10) as http:
        cart = http.get("/v1/cart", headers=headers).json()
    assert [(line["variant_id"], line["quantity"]) for line in cart["lines"]] == [("v4", 2)]


def test_streamed_body_over_the_limit_is_refused(live_server: str) -> None:
    alice = {
        "Authorization": f"Bearer {mint_token('shopper', 'alice_1')}",
        "Content-Type": "application/json",
    }

    def chunks():  # no Content-Length: the limit must count the bytes as they arrive
        yield b'{"variant_id": "v1", "quantity": 1, "pad": "'
        for _ in range(20):
            yield b"x" * 10_000
        yield b'"}'

    with httpx.Client(base_url=live_server, timeout=10) as http:
        response = http.post("/v1/cart/lines", content=chunks(), headers=alice)
        assert response.status_code == 413
        assert response.json()["error"]["code"] == "body_too_large"
        assert http.get("/v1/cart", headers=alice).json()["lines"] == []
