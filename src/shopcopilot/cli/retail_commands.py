"""`shopcopilot retail ...`: import and export the retail store, and check the order operations against the
reference's expected results."""

from __future__ import annotations

import argparse
from pathlib import Path

from shopcopilot.config import default_retail_dir


def register(subparsers: argparse._SubParsersAction) -> None:
    retail = subparsers.add_parser("retail", help="the retail store: load, export, conformance check")
    sub = retail.add_subparsers(dest="retail_command", metavar="ACTION")
    load = sub.add_parser("load", help="import products.json, users.json and orders.json from DIR")
    load.add_argument("directory", type=Path, metavar="DIR")
    load.set_defaults(func=_load)
    export = sub.add_parser(
        "export", help="write the store as products.json, users.json and orders.json into DIR"
    )
    export.add_argument("directory", type=Path, metavar="DIR")
    export.set_defaults(func=_export)
    check = sub.add_parser(
        "check", help="run each task's actions on a fresh store and compare the changed records with EXPECTED"
    )
    check.add_argument("tasks", type=Path, metavar="TASKS", help="tasks as JSON lines (id, user_id, actions)")
    check.add_argument("expected", type=Path, metavar="EXPECTED", help="expected changes as JSON lines")
    check.add_argument(
        "--data", type=Path, default=None, help="the retail store folder (default: the shared retail data)"
    )
    check.set_defaults(func=_check)


def _load(args: argparse.Namespace) -> int:
    from shopcopilot.catalog.retail_io import load_retail
    from shopcopilot.storage.db import create_database

    database = create_database()
    database.create_all()
    with database.session() as session:
        counts = load_retail(session, args.directory)
    print("loaded " + ", ".join(f"{count} {name}" for name, count in counts.items()))
    return 0


def _export(args: argparse.Namespace) -> int:
    from shopcopilot.catalog.retail_io import export_retail_to_dir
    from shopcopilot.storage.db import create_database

    with create_database().session() as session:
        counts = export_retail_to_dir(session, args.directory)
    print(f"wrote {', '.join(f'{count} {name}' for name, count in counts.items())} to {args.directory}")
    return 0


def _check(args: argparse.Namespace) -> int:
    from shopcopilot.commerce.retail_check import check_retail_tasks

    report = check_retail_tasks(args.tasks, args.expected, data_dir=args.data or default_retail_dir())
    for result in report.failed:
        print(f"{result.task_id}: {'; '.join(result.problems)}")
    print(f"passed={report.passed_count} failed={len(report.failed)}")
    return 0 if not report.failed else 1
