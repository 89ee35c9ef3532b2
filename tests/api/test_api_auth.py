"""Bearer tokens: minting and verifying, and who may call what."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from shopcopilot.api.auth import Unauthorized, mint_token, principal_from_header, verify_token


def test_round_trip_and_tampering() -> None:
    token = mint_token("shopper", "alice_1", secret="s1")
    principal = verify_token(token, secret="s1")
    assert (principal.kind, principal.id, principal.subject) == ("shopper", "alice_1", "shopper:alice_1")
    with pytest.raises(Unauthorized):
        verify_token(token, secret="another secret")
    payload, signature = token.split(".")
    forged = mint_token("shopper", "bob_2", secret="s1").split(".")[0]
    with pytest.raises(Unauthorized):
        verify_token(f"{forged}.{signature}", secret="s1")
    for garbage in ("", "abc", "a.b.c", "x" * 5000, f"{payload}."):
        with pytest.raises(Unauthorized):
            verify_token(garbage, secret="s1")


def test_expiry() -> None:
    token = mint_token("merchant", "m1", secret="s", issued_at=1000, ttl_seconds=60)
    assert verify_token(token, secret="s", now=1059).kind == "merchant"
    with pytest.raises(Unauthorized):
        verify_token(token, secret="s", now=1060)


def test_header_parsing() -> None:
    assert principal_from_header(None) is None
    with pytest.raises(Unauthorized):
        principal_from_header("Basic dXNlcjpwYXNz")
    assert principal_from_header(f"Bearer {mint_token('shopper', 'x')}").id == "x"


def test_shopper_endpoints_need_a_shopper_token(client: TestClient, gadget_merchant: dict) -> None:
    for method, path in [
        ("get", "/v1/cart"),
        ("get", "/v1/orders"),
        ("get", "/v1/me"),
        ("get", "/v1/me/coupons"),
    ]:
        response = client.request(method, path)
        assert response.status_code == 401, path
        assert response.json()["error"]["code"] == "unauthorized"
        assert response.headers["www-authenticate"] == "Bearer"
        assert client.request(method, path, headers=gadget_merchant).status_code == 403
    bad = {"Authorization": "Bearer not-a-token"}
    assert client.get("/v1/cart", headers=bad).status_code == 401
    ghost = {"Authorization": f"Bearer {mint_token('shopper', 'ghost_9')}"}
    assert client.get("/v1/cart", headers=ghost).status_code == 401


def test_merchant_endpoints_need_a_merchant_token(client: TestClient, alice: dict) -> None:
    assert client.get("/v1/merchant/products").status_code == 401
    response = client.get("/v1/merchant/products", headers=alice)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "merchant_only"
