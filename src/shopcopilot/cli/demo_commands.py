"""`shopcopilot demo load`: the demo store for `make run`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from shopcopilot.demo import is_empty, load_demo_store
from shopcopilot.storage.db import create_database


def register(subparsers: argparse._SubParsersAction) -> None:
    demo = subparsers.add_parser("demo", help="the demo store (real retail data + everyday goods + coupons)")
    sub = demo.add_subparsers(dest="demo_command", metavar="ACTION")
    load = sub.add_parser("load", help="load the demo store into the database")
    load.add_argument("--if-empty", action="store_true", help="do nothing when products already exist")
    load.add_argument("--retail-dir", type=Path, default=None, help="the retail data folder (default ../shared/data/retail)")
    load.set_defaults(func=_load)


def _load(args: argparse.Namespace) -> int:
    database = create_database()
    database.create_all()
    if args.if_empty and not is_empty(database):
        print("demo store already loaded")
        return 0
    print(json.dumps(load_demo_store(database, args.retail_dir), default=str))
    return 0
