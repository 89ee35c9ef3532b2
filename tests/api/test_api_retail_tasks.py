"""The real retail store through the API: every dev task's order operations, sent over HTTP as the task's shopper
(a dry run first, then for real), must leave exactly the records the reference implementation expects."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from shopcopilot.api.app import create_app
from shopcopilot.api.auth import mint_token
from shopcopilot.storage.db import Database

ENDPOINTS = {
    "cancel_pending_order": "cancel",
    "modify_pending_order_address": "modify-address",
    "modify_pending_order_items": "modify-items",
    "modify_pending_order_payment": "modify-payment",
    "return_delivered_order_items": "return",
    "exchange_delivered_order_items": "exchange",
}


def _dev(retail_dir: Path, name: str) -> dict[str, dict]:
    rows = (json.loads(line) for line in (retail_dir / name).read_text().splitlines() if line.strip())
    return {row["id"]: row for row in rows}


def _request(action: dict, user_id: str) -> tuple[str, str, dict]:
    arguments = dict(action["arguments"])
    if action["name"] == "modify_user_address":
        arguments.pop("user_id")
        return "PUT", "/v1/me/address", arguments
    order_id = arguments.pop("order_id").lstrip("#")  # the path form without '#'
    return "POST", f"/v1/orders/{order_id}/{ENDPOINTS[action['name']]}", arguments


@pytest.mark.parametrize("task_id", [f"dev-{n:03d}" for n in range(20)])
def test_dev_task_through_the_api(task_id: str, retail_db: Database, retail_dir: Path) -> None:
    task = _dev(retail_dir, "tasks_dev.jsonl")[task_id]
    expected = _dev(retail_dir, "expected_dev.jsonl")[task_id]["changed"]
    headers = {"Authorization": f"Bearer {mint_token('shopper', task['user_id'])}"}
    with TestClient(create_app(retail_db)) as client:
        before = {
            order_id: client.get(f"/v1/orders/{order_id.lstrip('#')}", headers=headers).json()
            for order_id in expected.get("orders", {})
        }
        for action in task["actions"]:
            if action["name"] not in ENDPOINTS and action["name"] != "modify_user_address":
                continue  # reads change nothing
            method, path, body = _request(action, task["user_id"])
            preview = client.request(method, f"{path}?dry_run=true", json=body, headers=headers)
            for order_id, record in before.items():  # the preview changed nothing
                assert client.get(f"/v1/orders/{order_id.lstrip('#')}", headers=headers).json() == record
            done = client.request(method, path, json=body, headers=headers)
            assert done.status_code == preview.status_code, done.text
            if done.status_code == 200:
                assert done.json()["changes"] == preview.json()["changes"]
            before = {
                order_id: client.get(f"/v1/orders/{order_id.lstrip('#')}", headers=headers).json()
                for order_id in before
            }
        for order_id, record in expected.get("orders", {}).items():
            assert client.get(f"/v1/orders/{order_id.lstrip('#')}", headers=headers).json() == record
        for user_id, record in expected.get("users", {}).items():
            me = client.get("/v1/me", headers=headers).json()
            assert me.pop("user_id") == user_id
            me.pop("language")
            assert me == record
