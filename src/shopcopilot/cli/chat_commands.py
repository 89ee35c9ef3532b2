"""`shopcopilot chat`: talk to the shopper assistant in the terminal, or run a scripted conversation
(`--script FILE`: one customer turn per line, each answer printed as one JSON line with blocks and trace)."""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from pathlib import Path

from shopcopilot.errors import InvalidInput, NotFound, ShopcopilotError


def register(subparsers: argparse._SubParsersAction) -> None:
    chat = subparsers.add_parser("chat", help="talk to the shopper assistant (interactive, or --script FILE)")
    chat.add_argument("--shopper", metavar="USER_ID", help="chat as this signed-in shopper (default: a guest)")
    chat.add_argument("--script", metavar="FILE", type=Path,
                      help="one customer turn per line; prints one JSON line per answer")
    chat.add_argument("--session", metavar="ID", help="conversation id (default: a new one)")
    chat.set_defaults(func=_chat)


def render(turn_dict: dict) -> str:
    """A turn as terminal text."""
    lines: list[str] = []
    for block in turn_dict["blocks"]:
        kind = block["type"]
        if kind == "text":
            lines.append(block["text"])
        elif kind == "question":
            choices = f"  [{' | '.join(block['choices'])}]" if block["choices"] else ""
            lines.append(f"{block['text']}{choices}")
        elif kind == "product_cards":
            for card in block["cards"]:
                lines.append(f"  * {card['title']}  {card['price_range']}  (id {card['product_id']})")
                if card["reason"]:
                    lines.append(f"    why: {card['reason']}")
                for variant in card["variants"][:6]:
                    mark = "" if variant["available"] else "  (unavailable)"
                    options = ", ".join(f"{k} {v}" for k, v in variant["options"].items())
                    lines.append(f"      - {variant['variant_id']}: {options}  ${variant['price']:.2f}{mark}")
        elif kind == "comparison":
            lines.append("  " + " | ".join(["", *block["columns"]]))
            for row in block["rows"]:
                lines.append("  " + " | ".join([row["attribute"], *map(str, row["values"])]))
        elif kind == "confirmation":
            lines.extend(f"  {detail}" for detail in block["details"])
            lines.append(block["prompt"])
        elif kind == "cart_update":
            for line in block["lines"]:
                lines.append(f"  cart: {line['product_name']} x{line['quantity']}  ${line['line_total']:.2f}")
            lines.append(f"  subtotal ${block['total']:.2f}")
        elif kind == "plan":
            lines.append(block["title"])
            lines.extend(f"  {i + 1}. {step}" for i, step in enumerate(block["steps"]))
    trace = turn_dict["trace"]
    tools = ", ".join(f"{c['name']}({c['ms']:.0f}ms)" for c in trace["tool_calls"])
    lines.append(f"    [intent {trace['intent']} {trace['confidence']:.2f}; tools: {tools or '-'}; {trace['ms']:.0f} ms]")
    return "\n".join(lines)


def _chat(args: argparse.Namespace) -> int:
    from shopcopilot.commerce.models import Shopper
    from shopcopilot.shopper.assistant import build_assistant
    from shopcopilot.storage.db import create_database

    database = create_database()
    if args.shopper:
        with database.session() as session:
            if session.get(Shopper, args.shopper) is None:
                raise NotFound(f"no shopper {args.shopper!r}; use a user id from the store")
    assistant = build_assistant(database)
    session_id = args.session or f"cli-{uuid.uuid4().hex[:12]}"
    if args.script:
        if not args.script.is_file():
            raise InvalidInput(f"script {args.script} does not exist")
        for line in args.script.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            try:
                turn = assistant.turn(session_id, line, shopper_id=args.shopper).to_dict()
            except ShopcopilotError as exc:
                turn = {"session_id": session_id, "error": {"code": exc.code, "message": exc.message}}
            print(json.dumps(turn, ensure_ascii=False), flush=True)
        return 0
    print("shopcopilot assistant - type your message, empty line or Ctrl-D to leave.")
    for line in sys.stdin:
        if not line.strip():
            break
        try:
            print(render(assistant.turn(session_id, line, shopper_id=args.shopper).to_dict()), flush=True)
        except ShopcopilotError as exc:
            print(f"error: {exc.message}", flush=True)
    return 0
