"""`shopcopilot db ...`: schema migrations."""

from __future__ import annotations

import argparse

from shopcopilot.storage.db import create_database
from shopcopilot.storage.migrations import make_revision, upgrade


def register(subparsers: argparse._SubParsersAction) -> None:
    db = subparsers.add_parser("db", help="database schema: upgrade to the latest migration, or make a new one")
    sub = db.add_subparsers(dest="db_command", metavar="ACTION")
    up = sub.add_parser("upgrade", help="bring the database to the latest Alembic revision")
    up.set_defaults(func=_upgrade)
    rev = sub.add_parser("revision", help="autogenerate a migration from the models (developers)")
    rev.add_argument("-m", "--message", required=True)
    rev.set_defaults(func=_revision)


def _upgrade(_args: argparse.Namespace) -> int:
    database = create_database()
    upgrade(database.engine)
    print(f"database at head: {database.engine.url.render_as_string(hide_password=True)}")
    return 0


def _revision(args: argparse.Namespace) -> int:
    make_revision(create_database().engine, args.message)
    return 0
