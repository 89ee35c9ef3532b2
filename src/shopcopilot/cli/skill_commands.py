"""Shopper skills in the terminal: `coupons fill --shopper ID`, `compare A B`, `plan SCENARIO`,
`post --shopper ID --order ID | --product ID`. Each prints readable text, or JSON with `--json`."""

from __future__ import annotations

import argparse
import json
from typing import Any

from shopcopilot.storage.db import create_database


def register(subparsers: argparse._SubParsersAction) -> None:
    coupons = subparsers.add_parser("coupons", help="coupon tools: `coupons fill --shopper USER_ID`")
    sub = coupons.add_subparsers(dest="coupons_command", metavar="COMMAND", required=True)
    fill = sub.add_parser("fill", help="the cart additions that unlock the best coupon saving (exact)")
    fill.add_argument("--shopper", required=True, metavar="USER_ID")
    fill.add_argument("--max-added", type=float, default=None, help="spend at most this much more")
    _common(fill)
    fill.set_defaults(func=_fill)

    compare = subparsers.add_parser(
        "compare", help="compare two to four products: compare ID ID [--need TEXT]"
    )
    compare.add_argument("products", nargs="+", metavar="PRODUCT_ID")
    compare.add_argument("--need", default="", help='what it is for, e.g. "coffee every morning"')
    compare.add_argument(
        "--shopper", default=None, metavar="USER_ID", help="weigh this shopper's preferences"
    )
    _common(compare)
    compare.set_defaults(func=_compare)

    plan = subparsers.add_parser(
        "plan",
        help="a scenario plan with products: plan SCENARIO [--budget N]; `plan list` shows the scenarios",
    )
    plan.add_argument("scenario")
    plan.add_argument("--budget", type=float, default=None)
    plan.add_argument("--shopper", default=None, metavar="USER_ID")
    _common(plan)
    plan.set_defaults(func=_plan)

    post = subparsers.add_parser("post", help="draft a shopping-experience post about an order or a product")
    post.add_argument("--shopper", required=True, metavar="USER_ID")
    target = post.add_mutually_exclusive_group(required=True)
    target.add_argument("--order", default=None, metavar="ORDER_ID")
    target.add_argument("--product", default=None, metavar="PRODUCT_ID")
    post.add_argument("--tone", default="warm", help="warm, enthusiastic, practical or playful")
    _common(post)
    post.set_defaults(func=_post)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--language", choices=("en", "zh"), default="en")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")


def _print_json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2, default=str))


def _fill(args: argparse.Namespace) -> int:
    from shopcopilot.shopper.coupon_fill import fill_plan

    with create_database().session() as session:
        result = fill_plan(session, args.shopper, language=args.language, max_added=args.max_added)
    if args.json:
        _print_json(result)
        return 0
    print(
        f"cart subtotal ${result['cart_subtotal']:.2f}; usable coupons: "
        + (", ".join(c["id"] for c in result["coupons_considered"]) or "none")
    )
    print(result["explanation"])
    for item in (result["plan"] or {}).get("additions", []):
        options = ", ".join(f"{k} {v}" for k, v in item["options"].items())
        print(
            f"  + {item['name']} ({options}) x{item['quantity']}  ${item['price']:.2f}  [{item['variant_id']}]"
        )
    return 0


def _compare(args: argparse.Namespace) -> int:
    from shopcopilot.shopper.compare import compare_products, verdict_text

    with create_database().session() as session:
        result = compare_products(
            session, args.products, need=args.need, language=args.language, shopper_id=args.shopper
        )
    if args.json:
        _print_json(result)
        return 0
    print(" | ".join(["", *result["columns"]]))
    for row in result["rows"]:
        print(" | ".join([row["attribute"], *map(str, row["values"])]) + f"   ({row['kind']})")
    print(verdict_text(result, args.language))
    return 0


def _plan(args: argparse.Namespace) -> int:
    from shopcopilot.shopper.planners import build_plan, load_templates, plan_block, plan_summary

    if args.scenario == "list":
        for scenario_id, template in load_templates().items():
            print(
                f"{scenario_id:22} {template['title'][args.language]}  (default budget "
                f"${template['default_budget']})"
            )
        return 0
    with create_database().session() as session:
        plan = build_plan(
            session, args.scenario, budget=args.budget, language=args.language, shopper_id=args.shopper
        )
    if args.json:
        _print_json(plan)
        return 0
    block = plan_block(plan, args.language)
    print(block.title + ("  [large text]" if block.large_text else ""))
    for index, step in enumerate(block.steps, 1):
        print(f"  {index}. {step}")
    for note in block.notes:
        print(f"  note {note}")
    print(plan_summary(plan, args.language))
    return 0


def _post(args: argparse.Namespace) -> int:
    from shopcopilot.shopper.soul_writer import draft_post

    with create_database().session() as session:
        post = draft_post(
            session,
            args.shopper,
            order_id=args.order,
            product_id=args.product,
            language=args.language,
            tone=args.tone,
        )
    if args.json:
        _print_json(post)
        return 0
    print(f"post #{post['id']} ({post['status']})")
    print(post["title"])
    print(post["body"])
    print(" ".join(post["hashtags"]))
    return 0
