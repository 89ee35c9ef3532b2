"""Conformance of the order operations with the reference: each task's actions run through `run_operation` on a
fresh copy of the retail store, and what changed must be exactly the records the expected file lists, equal to
them, while every other record stays as it was.

One store is built per run; each task runs inside a transaction that is rolled back. Which records a task
touched is logged by triggers on every table the records are made of, so a write anywhere is seen, whoever made
it; those records are then read back, exported and compared with the store's export from before any task.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.orm import Session, selectinload

from shopcopilot.catalog.models import Product
from shopcopilot.catalog.retail_io import (
    RETAIL_FILES,
    export_retail,
    load_retail,
    order_record,
    product_record,
    shopper_order_ids,
    user_record,
)
from shopcopilot.commerce.models import Order, Shopper
from shopcopilot.commerce.order_ops import run_operation
from shopcopilot.errors import InvalidInput, ShopcopilotError
from shopcopilot.storage.db import create_database

CHECK_ACTOR = "retail-check"
OBSERVATION_CHARS = 300
CHANGE_LOG = "retail_check_changes"
# table -> (record kind, column naming the record) for each record a row is part of
RECORD_ROWS: dict[str, list[tuple[str, str]]] = {
    "products": [("products", "id")],
    "variants": [("products", "product_id")],
    "shoppers": [("users", "id")],
    "payment_methods": [("users", "shopper_id")],
    "orders": [("orders", "id"), ("users", "shopper_id")],  # a user's order list is made of its orders
    "order_items": [("orders", "order_id")],
    "payments": [("orders", "order_id")],
}


@dataclass
class TaskResult:
    task_id: str
    problems: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.problems


@dataclass
class CheckReport:
    results: list[TaskResult]

    @property
    def failed(self) -> list[TaskResult]:
        return [result for result in self.results if not result.passed]

    @property
    def passed_count(self) -> int:
        return len(self.results) - len(self.failed)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    lines = Path(path).read_text().splitlines()
    try:
        return [json.loads(line) for line in lines if line.strip()]
    except ValueError as exc:
        raise InvalidInput(f"{path} is not JSON lines: {exc}") from None


def check_retail_tasks(tasks_path: Path, expected_path: Path, *, data_dir: Path) -> CheckReport:
    tasks = read_jsonl(tasks_path)
    expected = {line["id"]: line for line in read_jsonl(expected_path)}
    with tempfile.TemporaryDirectory(prefix="retail-check-") as folder:
        database = create_database(f"sqlite:///{Path(folder) / 'store.db'}")
        try:
            database.create_all()
            with database.session() as session:
                load_retail(session, data_dir)
                baseline = export_retail(session)
            with database.engine.begin() as connection:
                install_change_log(connection)
            with database.engine.connect() as connection:
                results = [check_task(connection, task, expected.get(task["id"]), baseline) for task in tasks]
        finally:
            database.engine.dispose()
    return CheckReport(results)


def check_task(
    connection: Connection, task: dict[str, Any], expected: dict[str, Any] | None, baseline: dict[str, dict]
) -> TaskResult:
    """Run one task in a transaction on `connection` that is rolled back, and compare."""
    result = TaskResult(task["id"])
    if expected is None:
        result.problems.append("no expected line for this task")
        return result
    with _rolled_back(connection), Session(bind=connection) as session:
        outcomes = [_run(session, action, task["user_id"]) for action in task["actions"]]
        session.flush()
        changed = _changed_records(session, touched_records(connection), baseline)
    if "observations" in expected:
        result.problems += _compare_outcomes(task, outcomes, expected["observations"])
    result.problems += _compare_records(changed, expected["changed"])
    return result


@contextmanager
def _rolled_back(connection: Connection) -> Iterator[None]:
    transaction = connection.begin()
    try:
        yield
    finally:
        transaction.rollback()


def _run(session: Session, action: dict[str, Any], user_id: str) -> tuple[bool, Any]:
    """(True, result) or (False, the error)."""
    try:
        return True, run_operation(
            session, action["name"], action["arguments"], acting_user_id=user_id, actor=CHECK_ACTOR
        )
    except ShopcopilotError as exc:
        return False, exc


def install_change_log(connection: Connection) -> None:
    """Triggers on every table a record is made of write the (kind, id) of each record whose rows are inserted,
    updated or deleted into the log table, whatever the statement that did it. The log's own rows are part of
    each task's transaction, so the rollback empties it again."""
    connection.exec_driver_sql(f"CREATE TABLE {CHANGE_LOG} (kind TEXT NOT NULL, record_id TEXT NOT NULL)")
    for table, references in RECORD_ROWS.items():
        for event, row_names in (("INSERT", ["NEW"]), ("UPDATE", ["OLD", "NEW"]), ("DELETE", ["OLD"])):
            inserts = " ".join(
                f"INSERT INTO {CHANGE_LOG} VALUES ('{kind}', {row}.{column});"
                for row in row_names
                for kind, column in references
            )
            connection.exec_driver_sql(
                f'CREATE TRIGGER "{CHANGE_LOG}_{table}_{event.lower()}" AFTER {event} ON "{table}" '
                f"BEGIN {inserts} END"
            )


def touched_records(connection: Connection) -> set[tuple[str, str]]:
    """(kind, id) of every record one of whose rows was added, removed or changed in this transaction."""
    rows = connection.exec_driver_sql(f"SELECT DISTINCT kind, record_id FROM {CHANGE_LOG}")
    return {(kind, record_id) for kind, record_id in rows}


def _changed_records(session: Session, touched: set[tuple[str, Any]], baseline: dict) -> dict[str, dict]:
    session.expire_all()  # read the records back from the database, not from the objects the operations changed
    changed: dict[str, dict] = {}
    for kind, key in sorted(touched):
        record = _stored_record(session, kind, key)
        if record != baseline[kind].get(key):
            changed.setdefault(kind, {})[key] = record
    return changed


def _stored_record(session: Session, kind: str, key: str) -> dict[str, Any] | None:
    if kind == "products":
        product = session.get(Product, key, options=[selectinload(Product.variants)])
        return product_record(product) if product else None
    if kind == "users":
        shopper = session.get(Shopper, key)
        return user_record(shopper, shopper_order_ids(session, key)) if shopper else None
    order = session.get(Order, key)
    return order_record(order) if order else None


def _compare_outcomes(
    task: dict[str, Any], outcomes: list[tuple[bool, Any]], observations: list[str]
) -> list[str]:
    """Each action must fail where the reference answered an error, and otherwise answer what it answered."""
    if len(observations) != len(outcomes):
        return [f"{len(outcomes)} actions but {len(observations)} expected observations"]
    problems = []
    for number, (action, (ok, value), observation) in enumerate(
        zip(task["actions"], outcomes, observations, strict=True), start=1
    ):
        label = f"action {number} ({action['name']})"
        if not ok and not observation.startswith("Error"):
            problems.append(f"{label} failed ({value}) where the reference succeeded")
        elif ok and observation.startswith("Error"):
            problems.append(f"{label} succeeded where the reference answered {observation!r}")
        elif ok and _observation(value) != observation:
            problems.append(f"{label} answered {_observation(value)!r}, the reference {observation!r}")
    return problems


def _observation(value: Any) -> str:
    return (value if isinstance(value, str) else json.dumps(value))[:OBSERVATION_CHARS]


def _compare_records(changed: dict[str, dict], expected: dict[str, dict]) -> list[str]:
    problems = []
    for kind in RETAIL_FILES:
        ours, theirs = changed.get(kind, {}), expected.get(kind, {})
        for key in sorted(ours.keys() | theirs.keys()):
            if key not in theirs:
                problems.append(f"{kind} {key} changed but should not have")
            elif key not in ours:
                problems.append(f"{kind} {key} should have changed but did not")
            elif ours[key] != theirs[key]:
                problems.append(f"{kind} {key} differs at {_difference(ours[key], theirs[key])}")
    return problems


def _difference(ours: Any, theirs: Any, path: str = "") -> str:
    """Where two JSON values first differ, and how."""
    if isinstance(ours, dict) and isinstance(theirs, dict):
        for key in [*ours, *(key for key in theirs if key not in ours)]:
            if key not in ours or key not in theirs or ours[key] != theirs[key]:
                return _difference(ours.get(key, "<missing>"), theirs.get(key, "<missing>"), f"{path}.{key}")
    if isinstance(ours, list) and isinstance(theirs, list) and len(ours) == len(theirs):
        for index, (mine, other) in enumerate(zip(ours, theirs, strict=True)):
            if mine != other:
                return _difference(mine, other, f"{path}[{index}]")
    return f"{path or '.'}: {json.dumps(ours)[:120]} instead of {json.dumps(theirs)[:120]}"
