"""`shopcopilot feedback ...`: review the intent corrections shoppers sent, and re-train the router from them."""

from __future__ import annotations

import argparse
import json

from shopcopilot.feedback.corrections import STATUSES, correction_view, list_corrections, review


def register(subparsers: argparse._SubParsersAction) -> None:
    feedback = subparsers.add_parser("feedback", help="intent corrections from shoppers: review, then re-train")
    sub = feedback.add_subparsers(dest="feedback_command", metavar="ACTION")
    listing = sub.add_parser("corrections", help="list corrections (default: those waiting for review)")
    listing.add_argument("--status", choices=[*STATUSES, "all"], default="pending")
    listing.add_argument("--json", action="store_true", help="print JSON lines")
    listing.set_defaults(func=_list)
    for action, accept in (("accept", True), ("reject", False)):
        parser = sub.add_parser(action, help=f"{action} pending corrections by id (all or none)")
        parser.add_argument("ids", nargs="+", type=int)
        parser.set_defaults(func=_review, accept=accept)
    retrain = sub.add_parser(
        "retrain", help="teach the intent router the accepted corrections, measured before it is installed"
    )
    retrain.add_argument("--force", action="store_true", help="install even if a measure gets worse")
    retrain.set_defaults(func=_retrain)


def _list(args: argparse.Namespace) -> int:
    from shopcopilot.storage.db import create_database

    with create_database().session() as session:
        rows = list_corrections(session, None if args.status == "all" else args.status)
        views = [correction_view(row) for row in rows]
    for view in views:
        if args.json:
            print(json.dumps(view, ensure_ascii=False))
        else:
            print(f"{view['id']:>5}  {view['status']:<8}  {view['predicted'] or '-':<16} -> {view['intent']:<16}"
                  f"  {view['text']}")  # fmt: skip
    if not args.json:
        print(f"{len(views)} correction(s)")
    return 0


def _review(args: argparse.Namespace) -> int:
    from shopcopilot.storage.db import create_database

    with create_database().session() as session:
        rows = review(session, args.ids, accept=args.accept)
        print(f"{'accepted' if args.accept else 'rejected'}: {', '.join(str(row.id) for row in rows)}")
    return 0


def _retrain(args: argparse.Namespace) -> int:
    from shopcopilot.feedback.learning import retrain
    from shopcopilot.storage.db import create_database

    with create_database().session() as session:
        report = retrain(session, force=args.force)

    def share(value: float | None) -> str:
        return "-" if value is None else f"{value:.3f}"

    print(f"accepted corrections {report.accepted}, new {report.new}, held back to measure {report.check}")
    print(f"{'measure':<32} {'before':>7} {'after':>7}")
    print(f"{'held-back corrections':<32} {share(report.before_check):>7} {share(report.after_check):>7}")
    print(f"{'held-out set (heldout.jsonl)':<32} {share(report.before_heldout):>7} {share(report.after_heldout):>7}")
    print(report.reason)
    return 0 if report.installed or report.new == 0 else 1
