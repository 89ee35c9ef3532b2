"""`shopcopilot merchant ...`: draft a listing from photos, evaluate the function finder, script a copilot chat."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shopcopilot.errors import InvalidInput

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

MAX_ROWS = 20  # rows of a list a chat block prints (a preview of a store-wide change has hundreds)


def register(subparsers: argparse._SubParsersAction) -> None:
    merchant = subparsers.add_parser(
        "merchant", help="merchant tools: listing from photo, operations copilot"
    )
    sub = merchant.add_subparsers(dest="merchant_command", metavar="ACTION")

    draft = sub.add_parser("draft", help="draft a listing from 1-5 photos; prints the draft as JSON")
    draft.add_argument("photos", nargs="+", type=Path)
    draft.add_argument("--merchant", default="retail", help="the store whose categories and prices to use")
    draft.add_argument("--no-classifier", action="store_true", help="skip the ImageNet classifier")
    draft.set_defaults(func=run_draft)

    evaluate = sub.add_parser("eval-ops", help="function-finder accuracy on a labelled JSONL file")
    evaluate.add_argument("file", type=Path)
    evaluate.add_argument("--embeddings", action="store_true", help="also use the embedding fallback")
    evaluate.add_argument("--verbose", action="store_true", help="print every miss")
    evaluate.set_defaults(func=run_eval)

    chat = sub.add_parser("chat", help="run a scripted copilot conversation (one message per line)")
    chat.add_argument("--merchant", required=True)
    chat.add_argument("--script", required=True, type=Path)
    chat.add_argument("--session", default="cli")
    chat.add_argument(
        "--max-rows",
        type=int,
        default=MAX_ROWS,
        help=f"rows of each list printed in a JSON block (default {MAX_ROWS}); the rest are counted; 0 prints all",
    )
    chat.set_defaults(func=run_chat)

    merchant.set_defaults(func=lambda _args: merchant.print_help() or 2)


def require_merchant(session: Session, merchant_id: str) -> None:
    """A clear error for a merchant id the database does not hold (a draft would otherwise use no store's data)."""
    from shopcopilot.catalog.models import Merchant

    if session.get(Merchant, merchant_id) is None:
        raise InvalidInput(f"no merchant {merchant_id!r} in the database", code="merchant_not_found")


def run_draft(args: argparse.Namespace) -> int:
    from shopcopilot.merchant.listing_draft import draft_listing
    from shopcopilot.storage.db import create_database

    database = create_database()
    with database.session() as session:
        require_merchant(session, args.merchant)
        result = draft_listing(
            list(args.photos),
            session=session,
            merchant_id=args.merchant,
            classify=None if args.no_classifier else "default",
        )
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


def load_cases(path: Path) -> list[dict]:
    if not path.is_file():
        raise InvalidInput(f"no file {path}", code="file_not_found")
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            case = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"{path}:{number} is not JSON: {exc}", code="bad_eval_file") from None
        if not isinstance(case, dict) or "request" not in case or "operation" not in case:
            raise InvalidInput(f"{path}:{number} needs 'request' and 'operation'", code="bad_eval_file")
        cases.append(case)
    if not cases:
        raise InvalidInput(f"{path} has no cases", code="bad_eval_file")
    return cases


def run_eval(args: argparse.Namespace) -> int:
    from shopcopilot.merchant.function_finder import FunctionFinder, evaluate

    embedder = None
    if args.embeddings:
        from shopcopilot.models.embedder import get_embedder

        embedder = get_embedder()
    report = evaluate(FunctionFinder(embedder=embedder), load_cases(args.file))
    by_operation: dict[str, list[bool]] = {}
    for result in report["results"]:
        by_operation.setdefault(str(result["expected"]), []).append(result["ok"])
        if args.verbose and not result["ok"]:
            print(f"MISS {result['request']!r} -> {json.dumps(result['found'], ensure_ascii=False)}")
    print(f"{'operation':<20} {'cases':>5} {'correct':>7}")
    for name, oks in sorted(by_operation.items()):
        print(f"{name:<20} {len(oks):>5} {sum(oks):>7}")
    print(f"accuracy={report['accuracy']:.4f}")
    return 0


def shorten_lists(value: Any, max_rows: int) -> Any:
    """`value` with every list under a key cut to its first `max_rows` items, and `<key>_left_out` beside it saying
    how many were left out; nested values are shortened the same way. `max_rows` 0 or less leaves it whole."""
    if max_rows <= 0:
        return value
    if isinstance(value, list):
        return [shorten_lists(item, max_rows) for item in value]
    if not isinstance(value, dict):
        return value
    out: dict = {}
    for key, item in value.items():
        if isinstance(item, list) and len(item) > max_rows:
            out[key] = [shorten_lists(row, max_rows) for row in item[:max_rows]]
            out[f"{key}_left_out"] = len(item) - max_rows
        else:
            out[key] = shorten_lists(item, max_rows)
    return out


def run_chat(args: argparse.Namespace) -> int:
    from shopcopilot.merchant.copilot import MerchantCopilot
    from shopcopilot.models.llm.factory import llm_from_settings
    from shopcopilot.storage.db import create_database

    if not args.script.is_file():
        raise InvalidInput(f"no script {args.script}", code="file_not_found")
    try:
        text = args.script.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(f"{args.script} is not UTF-8 text", code="bad_script") from None
    messages = [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]
    if not messages:
        raise InvalidInput(
            f"{args.script} has no messages: write one merchant message per line", code="empty_script"
        )
    database = create_database()
    with database.session() as session:
        require_merchant(session, args.merchant)
    copilot = MerchantCopilot(database, llm=llm_from_settings())
    for message in messages:
        turn = copilot.turn(args.merchant, f"{args.merchant}:{args.session}", message)
        print(f"> {message}")
        for block in turn.blocks:
            if block["type"] in ("text", "answer"):
                print(block["text"])
                for number, citation in enumerate(block.get("citations", []), start=1):
                    print(f"  [{number}] {citation['kb']}/{citation['title']}")
            else:
                # one whole JSON document per line: a long list is shortened inside the data, never the text
                print(json.dumps(shorten_lists(block, args.max_rows), ensure_ascii=False, default=str))
        print()
    return 0
