"""The `shopcopilot` command line. Each command group lives in its own module with a `register(subparsers)`."""

from __future__ import annotations

import argparse
import importlib
import os
import sys

# One module per command group; each defines `register(subparsers)` and sets `func` on its parsers.
COMMAND_GROUPS = [
    "shopcopilot.cli.chat_commands",
    "shopcopilot.cli.db_commands",
    "shopcopilot.cli.intent_commands",
    "shopcopilot.cli.retail_commands",
    "shopcopilot.cli.demo_commands",
    "shopcopilot.cli.serve_commands",
    "shopcopilot.cli.studio_commands",
    "shopcopilot.cli.search_commands",
    "shopcopilot.cli.knowledge_commands",
    "shopcopilot.cli.merchant_commands",
    "shopcopilot.cli.skill_commands",
    "shopcopilot.cli.feedback_commands",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="shopcopilot",
        description="Shopping assistant, merchant copilot and image studio for one small offline machine.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in COMMAND_GROUPS:
        importlib.import_module(module_name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    from sqlalchemy.exc import OperationalError, ProgrammingError

    from shopcopilot.errors import ShopcopilotError

    try:
        result = args.func(args)
    except ShopcopilotError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (OperationalError, ProgrammingError) as exc:
        if not _missing_table(exc):
            raise
        print(
            "error: the database has no tables yet, or an older schema than this code "
            f"({_first_line(exc)}). Run `shopcopilot db upgrade`, then `shopcopilot demo load` for the demo store.",
            file=sys.stderr,
        )
        return 2
    return int(result or 0)


def _missing_table(exc: Exception) -> bool:
    text = str(exc).lower()
    return "no such table" in text or ("relation" in text and "does not exist" in text) or "no such column" in text


def _first_line(exc: Exception) -> str:
    return str(getattr(exc, "orig", exc)).strip().splitlines()[0]


if __name__ == "__main__":
    raise SystemExit(main())
