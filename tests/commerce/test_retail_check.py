"""The conformance check: every train and dev task of the reference gives exactly the expected records."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from shopcopilot.cli import main


def concatenate(retail_dir: Path, kind: str, target: Path) -> Path:
    target.write_text(
        "".join((retail_dir / f"{kind}_{split}.jsonl").read_text() for split in ("train", "dev"))
    )
    return target


def test_all_520_tasks_conform(retail_dir: Path, tmp_path: Path, capsys):
    tasks = concatenate(retail_dir, "tasks", tmp_path / "tasks.jsonl")
    expected = concatenate(retail_dir, "expected", tmp_path / "expected.jsonl")
    code = main(["retail", "check", str(tasks), str(expected), "--data", str(retail_dir)])
    output = capsys.readouterr().out.splitlines()
    assert output[-1] == "passed=520 failed=0", "\n".join(output[-20:])
    assert code == 0


def first_line(path: Path, task_id: str) -> dict:
    return next(
        json.loads(line) for line in path.read_text().splitlines() if json.loads(line)["id"] == task_id
    )


def run_check(tmp_path: Path, pairs: list[tuple[dict, dict]], capsys) -> tuple[int, list[str]]:
    (tmp_path / "tasks.jsonl").write_text("".join(json.dumps(task) + "\n" for task, _ in pairs))
    (tmp_path / "expected.jsonl").write_text("".join(json.dumps(expected) + "\n" for _, expected in pairs))
    code = main(["retail", "check", str(tmp_path / "tasks.jsonl"), str(tmp_path / "expected.jsonl")])
    return code, capsys.readouterr().out.splitlines()


@pytest.fixture
def train_000(retail_dir: Path) -> tuple[dict, dict]:
    """Returns two items of #W6067464 to the original credit card."""
    return (
        first_line(retail_dir / "tasks_train.jsonl", "train-000"),
        first_line(retail_dir / "expected_train.jsonl", "train-000"),
    )


def variant(pair: tuple[dict, dict], task_id: str) -> tuple[dict, dict]:
    task, expected = copy.deepcopy(pair)
    task["id"] = expected["id"] = task_id
    return task, expected


def test_a_tampered_expected_line_fails(train_000, tmp_path: Path, capsys):
    task, expected = train_000
    expected["changed"]["orders"]["#W6067464"]["return_payment_method_id"] = "gift_card_0000000"
    code, output = run_check(tmp_path, [(task, expected)], capsys)
    assert code == 1
    assert output == [
        'train-000: orders #W6067464 differs at .return_payment_method_id: "credit_card_4190576" instead of '
        '"gift_card_0000000"',
        "passed=0 failed=1",
    ]


def test_each_kind_of_mismatch_is_one_line_per_task(train_000, tmp_path: Path, capsys):
    unlisted = variant(train_000, "unlisted-change")
    unlisted[1]["changed"] = {}
    not_made = variant(train_000, "change-not-made")
    not_made[0]["actions"], not_made[1]["observations"] = [], []
    should_fail = variant(train_000, "should-fail")
    should_fail[1]["observations"] = ["Error: non-delivered order cannot be returned"]
    no_expected = variant(train_000, "no-expected")
    no_expected[1]["id"] = "someone-else"

    code, output = run_check(tmp_path, [train_000, unlisted, not_made, should_fail, no_expected], capsys)

    assert code == 1
    assert output == [
        "unlisted-change: orders #W6067464 changed but should not have",
        "change-not-made: orders #W6067464 should have changed but did not",
        "should-fail: action 1 (return_delivered_order_items) succeeded where the reference answered "
        "'Error: non-delivered order cannot be returned'",
        "no-expected: no expected line for this task",
        "passed=1 failed=4",
    ]
