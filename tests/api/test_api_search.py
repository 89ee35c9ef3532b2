"""`GET /v1/search`: validation at the edge, and one engine per app."""

from __future__ import annotations

import importlib

from fastapi.testclient import TestClient


def test_query_validation(client: TestClient) -> None:
    for bad in ("", "?q=", "?q=headphones&limit=0", "?q=headphones&limit=101", "?q=" + "x" * 501):
        response = client.get(f"/v1/search{bad}")
        assert response.status_code == 422, bad
        assert response.json()["error"]["code"] == "invalid_input"


def test_search_uses_the_catalogue_engine(client: TestClient) -> None:
    try:
        importlib.import_module("shopcopilot.catalog.search").SearchEngine  # noqa: B018
    except (ImportError, AttributeError):
        response = client.get("/v1/search?q=headphones")
        assert (response.status_code, response.json()["error"]["code"]) == (503, "search_unavailable")
        return
    first = client.get("/v1/search?q=headphones&limit=5")
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["query"] == "headphones" and len(body["hits"]) <= 5
    assert "p1" in [hit["product_id"] for hit in body["hits"]]
    engine = client.app.state.search_engine
    client.get("/v1/search?q=cookies")
    assert client.app.state.search_engine is engine
