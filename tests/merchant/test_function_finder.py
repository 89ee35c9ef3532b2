import json
import subprocess
import sys

from shopcopilot.config import PACKAGE_DATA
from shopcopilot.merchant.function_finder import FunctionFinder, evaluate

EVAL_FILE = PACKAGE_DATA / "merchant_ops_eval.jsonl"


def test_labelled_requests_are_mapped_to_operations_and_arguments():
    cases = [json.loads(line) for line in EVAL_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(cases) >= 60
    assert any(any("\u4e00" <= ch <= "\u9fff" for ch in c["request"]) for c in cases)
    report = evaluate(FunctionFinder(), cases)
    misses = [r for r in report["results"] if not r["ok"]]
    assert report["accuracy"] >= 0.9, misses


def test_issue_examples():
    finder = FunctionFinder()
    found = finder.find("raise all hiking boots by 5%")
    assert (found.operation, found.arguments) == (
        "change_prices",
        {"scope": {"product": "Hiking Boots"}, "percent": 5.0},
    )
    coupon = finder.find("make a spend-200-save-20 coupon for kitchen items")
    assert coupon.arguments == {
        "kind": "spend_save",
        "threshold": 200.0,
        "amount": 20.0,
        "category": "kitchen",
    }
    assert finder.find("which orders wait for an exchange?").arguments == {"status": "exchange requested"}
    stock = finder.find("mark variant 1234567890 out of stock")
    assert stock.operation == "set_availability" and stock.arguments["available"] is False
    assert finder.find("Can I raise a price right before a promotion?").operation is None


def test_eval_ops_cli_prints_accuracy_last(tmp_path):
    path = tmp_path / "cases.jsonl"
    path.write_text(
        json.dumps(
            {"request": "list pending orders", "operation": "list_orders", "arguments": {"status": "pending"}}
        )
        + "\n"
        + json.dumps({"request": "raise backpacks by 5%", "operation": "create_coupon", "arguments": {}})
        + "\n",
        encoding="utf-8",
    )
    out = subprocess.run(
        [sys.executable, "-m", "shopcopilot.cli", "merchant", "eval-ops", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip().splitlines()[-1] == "accuracy=0.5000"
