"""Products, coupons, profile, merchant views, health and the OpenAPI document."""

from __future__ import annotations

from fastapi.testclient import TestClient

from shopcopilot.commerce.models import BrowsingEvent
from shopcopilot.storage.db import Database


def test_list_products_filters_and_pages(client: TestClient) -> None:
    everything = client.get("/v1/products").json()
    assert everything["total"] == 3
    assert [p["product_id"] for p in everything["items"]] == ["p1", "p2", "p3"]
    headphones = everything["items"][0]
    assert (headphones["price_min"], headphones["price_max"], headphones["variant_count"]) == (95.0, 110.0, 3)
    assert [p["product_id"] for p in client.get("/v1/products?merchant_id=m1").json()["items"]] == [
        "p1",
        "p3",
    ]
    assert [p["product_id"] for p in client.get("/v1/products?category_id=snacks").json()["items"]] == ["p2"]
    page = client.get("/v1/products?limit=1&offset=1").json()
    assert (page["total"], [p["product_id"] for p in page["items"]]) == (3, ["p2"])
    for bad in ("limit=0", "limit=101", "offset=-1", "limit=abc"):
        response = client.get(f"/v1/products?{bad}")
        assert response.status_code == 422, bad
        assert response.json()["error"]["code"] == "invalid_input"


def test_product_detail_variants_and_views(client: TestClient, alice: dict, store_db: Database) -> None:
    detail = client.get("/v1/products/p1", headers=alice).json()
    assert [v["variant_id"] for v in detail["variants"]] == ["v1", "v2", "v5"]
    assert detail["variants"][1]["available"] is False
    assert [v["price"] for v in client.get("/v1/products/p1/variants").json()] == [100.0, 110.0, 95.0]
    assert client.get("/v1/variants/v3").json()["product_name"] == "Cookies"
    for path in ("/v1/products/nope", "/v1/products/nope/variants", "/v1/variants/nope"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.json()["error"]["code"].endswith("not_found")
    with store_db.session() as s:
        views = s.query(BrowsingEvent).filter_by(shopper_id="alice_1", kind="view").all()
        assert [v.product_id for v in views] == ["p1"]


def test_coupons(client: TestClient, alice: dict) -> None:
    valid = client.get("/v1/coupons?at=2026-01-01T00:00:00").json()
    assert sorted(c["id"] for c in valid) == ["ALL-50-10", "M1-AUDIO-10PCT"]
    assert [c["id"] for c in client.get("/v1/coupons?at=2020-06-01T00:00:00").json()] == [
        "OLD-5",
        "ALL-50-10",
        "M1-AUDIO-10PCT",
    ]
    wallet = client.get("/v1/me/coupons?at=2026-01-01T00:00:00", headers=alice).json()
    assert {(c["id"], c["used"], c["valid_now"]) for c in wallet} == {
        ("ALL-50-10", False, True),
        ("OLD-5", True, False),
    }
    assert client.get("/v1/coupons?at=not-a-date").status_code == 422


def test_me(client: TestClient, alice: dict) -> None:
    me = client.get("/v1/me", headers=alice).json()
    assert me["user_id"] == "alice_1"
    assert me["name"] == {"first_name": "Alice", "last_name": "Test"}
    assert me["orders"] == ["#W1000001", "#W1000002"]
    assert me["payment_methods"]["gift_card_alice_1"]["balance"] == 500


def test_merchant_sees_only_its_store(client: TestClient, gadget_merchant: dict) -> None:
    assert client.get("/v1/merchant", headers=gadget_merchant).json()["name"] == "Gadget Shop"
    products = client.get("/v1/merchant/products", headers=gadget_merchant).json()
    assert [p["product_id"] for p in products["items"]] == ["p1", "p3"]
    orders = client.get("/v1/merchant/orders", headers=gadget_merchant).json()
    assert sorted(o["order_id"] for o in orders["items"]) == ["#W1000001", "#W1000002"]
    assert all(item["product_id"] in {"p1", "p3"} for o in orders["items"] for item in o["items"])
    assert all("payment_history" not in o for o in orders["items"])
    pending = client.get("/v1/merchant/orders?status=pending", headers=gadget_merchant).json()
    assert [o["order_id"] for o in pending["items"]] == ["#W1000001"]


def test_health_openapi_and_offline_docs(client: TestClient) -> None:
    assert client.get("/healthz").json()["status"] == "ok"
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/v1/products",
        "/v1/search",
        "/v1/cart/lines",
        "/v1/orders/{order_id}/cancel",
        "/v1/me/address",
    ):
        assert path in paths
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "cdn" not in docs.text.lower()
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        assert client.get(f"/static-offline-docs/{asset}").status_code == 200
    missing = client.get("/v1/no-such-route")
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "not_found")
    wrong_method = client.put("/v1/products")
    assert (wrong_method.status_code, wrong_method.json()["error"]["code"]) == (405, "method_not_allowed")
