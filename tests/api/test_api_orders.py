"""Orders through the API: own orders only, and the order operations with a dry run before the real change."""

from __future__ import annotations

from fastapi.testclient import TestClient

from shopcopilot.commerce.models import Order, OrderEvent, Shopper
from shopcopilot.storage.db import Database

NEW_ADDRESS = {"address1": "9 Elm St", "address2": "Apt 2", "city": "Boston", "state": "MA", "country": "USA",
               "zip": "02101"}  # fmt: skip


def _status(db: Database, order_id: str) -> str:
    with db.session() as s:
        return s.get(Order, order_id).status


def _events(db: Database) -> list[tuple[str, str, str]]:
    with db.session() as s:
        return [(e.order_id, e.kind, e.actor) for e in s.query(OrderEvent).order_by(OrderEvent.id)]


def test_list_and_get_own_orders(client: TestClient, alice: dict, bob: dict) -> None:
    listed = client.get("/v1/orders", headers=alice).json()
    assert [o["order_id"] for o in listed["items"]] == ["#W1000001", "#W1000002"]
    assert listed["total"] == 2
    assert client.get("/v1/orders/W1000002", headers=alice).json()["status"] == "delivered"
    assert client.get("/v1/orders/%23W1000002", headers=alice).json()["items"][0]["item_id"] == "v4"
    for someone_elses in ("W1000001", "%23W1000001", "W9999999"):
        response = client.get(f"/v1/orders/{someone_elses}", headers=bob)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "order_not_found"


def test_cancel_dry_run_then_for_real(client: TestClient, alice: dict, store_db: Database) -> None:
    body = {"reason": "ordered by mistake"}
    preview = client.post("/v1/orders/W1000001/cancel?dry_run=true", json=body, headers=alice)
    assert preview.status_code == 200, preview.text
    planned = preview.json()
    assert planned["dry_run"] is True and planned["operation"] == "cancel_pending_order"
    assert planned["changes"]["order:#W1000001"]["status"] == {"before": "pending", "after": "cancelled"}
    assert planned["result"]["status"] == "cancelled"
    assert _status(store_db, "#W1000001") == "pending" and _events(store_db) == []

    done = client.post("/v1/orders/W1000001/cancel", json=body, headers=alice)
    assert done.status_code == 200
    assert done.json()["dry_run"] is False
    assert done.json()["changes"] == planned["changes"]
    assert _status(store_db, "#W1000001") == "cancelled"
    assert [(order, actor) for order, _kind, actor in _events(store_db)] == [("#W1000001", "shopper:alice_1")]

    again = client.post("/v1/orders/W1000001/cancel", json=body, headers=alice)
    assert again.status_code == 409  # no longer pending


def test_operations_refuse_bad_input_and_other_shoppers(
    client: TestClient, alice: dict, bob: dict, store_db: Database
) -> None:
    bad_reason = client.post("/v1/orders/W1000001/cancel", json={"reason": "changed my mind"}, headers=alice)
    assert bad_reason.status_code == 422
    assert "error" in bad_reason.json()
    assert client.post("/v1/orders/W1000001/cancel", json={}, headers=alice).status_code == 422
    assert (
        client.post(
            "/v1/orders/W1000001/cancel", json={"reason": "ordered by mistake"}, headers=bob
        ).status_code
        == 404
    )
    assert client.post("/v1/orders/W1000001/cancel", json={"reason": "ordered by mistake"}).status_code == 401
    wrong_state = client.post(
        "/v1/orders/W1000002/modify-address", json=NEW_ADDRESS, headers=alice
    )  # delivered orders keep their address
    assert wrong_state.status_code == 409
    assert _status(store_db, "#W1000001") == "pending" and _events(store_db) == []


def test_return_and_address_changes(client: TestClient, alice: dict, store_db: Database) -> None:
    body = {"item_ids": ["v4"], "payment_method_id": "credit_card_alice_1"}
    preview = client.post("/v1/orders/W1000002/return?dry_run=true", json=body, headers=alice).json()
    assert preview["changes"]["order:#W1000002"]["status"]["after"] == "return requested"
    assert _status(store_db, "#W1000002") == "delivered"
    assert client.post("/v1/orders/W1000002/return", json=body, headers=alice).status_code == 200
    assert _status(store_db, "#W1000002") == "return requested"

    moved = client.post("/v1/orders/W1000001/modify-address", json=NEW_ADDRESS, headers=alice)
    assert moved.json()["changes"]["order:#W1000001"]["address"]["after"]["city"] == "Boston"

    dry = client.put("/v1/me/address?dry_run=true", json=NEW_ADDRESS, headers=alice).json()
    assert dry["changes"]["shopper:alice_1"]["address"]["after"]["zip"] == "02101"
    with store_db.session() as s:
        assert s.get(Shopper, "alice_1").address["city"] == "Austin"
    assert client.put("/v1/me/address", json=NEW_ADDRESS, headers=alice).status_code == 200
    with store_db.session() as s:
        assert s.get(Shopper, "alice_1").address["city"] == "Boston"


def test_modify_items_and_payment(client: TestClient, alice: dict, store_db: Database) -> None:
    swap = {"item_ids": ["v1"], "new_item_ids": ["v5"], "payment_method_id": "gift_card_alice_1"}
    preview = client.post("/v1/orders/W1000001/modify-items?dry_run=true", json=swap, headers=alice).json()
    items = preview["changes"]["order:#W1000001"]["items"]
    assert [i["item_id"] for i in items["after"]] == ["v5"]
    gift_balance = preview["changes"]["shopper:alice_1"]["payment_methods"]
    assert gift_balance["after"]["gift_card_alice_1"]["balance"] == 505  # refunded the 5.00 difference
    unavailable = dict(swap, new_item_ids=["v2"])
    assert client.post("/v1/orders/W1000001/modify-items", json=unavailable, headers=alice).status_code == 409
    pay = client.post(
        "/v1/orders/W1000001/modify-payment", json={"payment_method_id": "gift_card_alice_1"}, headers=alice
    )
    assert pay.status_code == 200, pay.text
    with store_db.session() as s:
        order = s.get(Order, "#W1000001")
        assert [i.variant_id for i in order.items] == ["v1"]
        history = [(p.transaction_type, p.payment_method_id) for p in order.payments]
    # tau-bench's shape: pay with the new method, refund the old one.
    assert ("payment", "gift_card_alice_1") in history and ("refund", "credit_card_alice_1") in history


def test_operation_retries_with_a_key_apply_once(client: TestClient, alice: dict, store_db: Database) -> None:
    headers = alice | {"Idempotency-Key": "cancel-1"}
    body = {"reason": "no longer needed"}
    first = client.post("/v1/orders/W1000001/cancel", json=body, headers=headers)
    retry = client.post("/v1/orders/W1000001/cancel", json=body, headers=headers)
    assert first.status_code == retry.status_code == 200
    assert retry.headers["idempotent-replayed"] == "true"
    assert len(_events(store_db)) == 1
