"""What a shopper picks from a search is noted for the ranker: in the chat (a product added to the cart from the
results) and through the API (a click, a cart add or a purchase reported by a front end)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from shopcopilot.api.app import create_app
from shopcopilot.api.auth import mint_token
from shopcopilot.catalog.search.models import SearchInteraction

SHOPPER = "james_li_5688"


def test_adding_a_search_result_to_the_cart_is_noted(assistant, chat_db) -> None:
    found = assistant.turn("choice-1", "show me office chairs", shopper_id=SHOPPER).to_dict()
    turn = 1
    while not any(b["type"] == "product_cards" for b in found["blocks"]) and turn < 4:
        question = next(b for b in found["blocks"] if b["type"] == "question")
        found = assistant.turn("choice-1", question["choices"][0], shopper_id=SHOPPER).to_dict()
        turn += 1
    added = assistant.turn("choice-1", "add the first one to my cart", shopper_id=SHOPPER).to_dict()
    while any(b["type"] == "question" for b in added["blocks"]):
        question = next(b for b in added["blocks"] if b["type"] == "question")
        added = assistant.turn("choice-1", question["choices"][0], shopper_id=SHOPPER).to_dict()
    assert any(b["type"] == "cart_update" for b in added["blocks"])
    assert "record_search_choice" in [call["name"] for call in added["trace"]["tool_calls"]]
    with chat_db.session() as session:
        row = session.scalar(select(SearchInteraction))
        assert (row.kind, row.chooser) == ("add_to_cart", SHOPPER) and "chair" in " ".join(row.terms)


def test_the_api_takes_choices_from_signed_in_shoppers_only(chat_db) -> None:
    headers = {"Authorization": f"Bearer {mint_token('shopper', SHOPPER)}"}
    with TestClient(create_app(chat_db)) as client:
        ok = client.post("/v1/search/choices", json={"query": "running shoes", "product_id": "6938111410",
                                                     "kind": "purchase"}, headers=headers)
        assert ok.status_code == 201 and ok.json()["terms"]
        assert client.post("/v1/search/choices", json={"query": "x", "product_id": "6938111410"}).status_code == 401
        assert client.post("/v1/search/choices", json={"query": "x", "product_id": "nope"},
                           headers=headers).status_code == 404
        assert client.post("/v1/search/choices", json={"query": "x", "product_id": "6938111410", "kind": "love"},
                           headers=headers).status_code == 422
    with chat_db.session() as session:
        assert [row.kind for row in session.scalars(select(SearchInteraction))] == ["purchase"]
