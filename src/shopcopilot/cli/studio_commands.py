"""`shopcopilot studio ...`: render a photo into display slots, list slots, run a Redis queue worker."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from shopcopilot.errors import InvalidInput


def register(subparsers: argparse._SubParsersAction) -> None:
    studio = subparsers.add_parser(
        "studio", help="product image studio: cutout, scenes, slot renders, fidelity"
    )
    sub = studio.add_subparsers(dest="studio_command", metavar="ACTION")

    render = sub.add_parser(
        "render", help="render PHOTO into display slots; writes <slot>.png + <slot>.report.json"
    )
    render.add_argument("photo", type=Path)
    render.add_argument(
        "--slots",
        default=None,
        help="comma-separated slot names or WxH (default: square,portrait,banner,story)",
    )
    render.add_argument(
        "--slots-file", default=None, help="a JSON/TOML file of slot specs (default: the packaged one)"
    )
    render.add_argument(
        "--scene", default="studio", help="studio, gradient, radial, surface, texture, palette, photo, plain"
    )
    render.add_argument(
        "--surface", default="marble", help="for surface/texture scenes: wood, marble, concrete, linen"
    )
    render.add_argument("--colors", default=None, help="comma-separated #rrggbb colours for the scene")
    render.add_argument("--background", type=Path, default=None, help="background photo (with --scene photo)")
    render.add_argument("--filter", default=None, help="warm, cool, vivid, soft, mono")
    render.add_argument(
        "--filter-scope",
        default="scene",
        choices=("scene", "image"),
        help="image = the product too (output is then marked not faithful)",
    )
    render.add_argument("--upscaler", default="lanczos", choices=("lanczos", "realesrgan"))
    render.add_argument("--matting", default="guided", choices=("guided", "closed_form", "none"))
    render.add_argument("--no-shadow", action="store_true")
    render.add_argument("--no-harmonise", action="store_true")
    render.add_argument(
        "--no-ocr", action="store_true", help="skip the OCR part of the fidelity check (faster)"
    )
    render.add_argument("--out", type=Path, required=True)
    render.set_defaults(func=_render)

    slots = sub.add_parser("slots", help="list the display slots")
    slots.add_argument("--slots-file", default=None)
    slots.set_defaults(func=_slots)

    worker = sub.add_parser("worker", help="consume studio jobs from Redis (needs SHOPCOPILOT_REDIS_URL)")
    worker.add_argument("--threads", type=int, default=1)
    worker.set_defaults(func=_worker)


def _options(args: argparse.Namespace) -> dict:
    scene: dict = {"kind": args.scene, "surface": args.surface}
    if args.colors:
        scene["colors"] = [c.strip() for c in args.colors.split(",") if c.strip()]
    return {
        "slots": args.slots.split(",") if args.slots else None,
        "slots_file": args.slots_file,
        "scene": scene,
        "filter": args.filter,
        "filter_scope": args.filter_scope,
        "upscaler": args.upscaler,
        "matting": args.matting,
        "shadow": not args.no_shadow,
        "harmonise": not args.no_harmonise,
        "ocr": not args.no_ocr,
    }


def _render(args: argparse.Namespace) -> int:
    from shopcopilot.studio.pipeline import RenderOptions, render, write_outputs

    options = RenderOptions.from_dict(_options(args))
    start = time.perf_counter()
    result = render(args.photo, options, background=args.background)
    write_outputs(result, args.out)
    for item in result.results:
        status = "delivered" if item.delivered else "NOT delivered"
        faithful = "" if item.report["faithful"] else " (product changed)"
        reasons = "; ".join(item.report["reasons"])
        print(f"{item.slot.name:>10} {item.slot.width}x{item.slot.height}  {status}{faithful}  {reasons}")
    print(f"wrote {args.out} in {time.perf_counter() - start:.2f}s")
    return 0 if any(item.delivered for item in result.results) else 1


def _slots(args: argparse.Namespace) -> int:
    from shopcopilot.studio.slots import load_slots

    for slot in load_slots(Path(args.slots_file) if args.slots_file else None).values():
        print(
            f"{slot.name:>10} {slot.width}x{slot.height} margin={slot.margin} anchor={slot.anchor}  {slot.purpose}"
        )
    return 0


def _worker(args: argparse.Namespace) -> int:
    from shopcopilot.config import settings
    from shopcopilot.studio.jobs import DramatiqJobQueue

    redis_url = settings().redis_url
    if not redis_url:
        raise InvalidInput("set SHOPCOPILOT_REDIS_URL to the Redis that the API enqueues to")
    worker = DramatiqJobQueue(redis_url).worker(threads=args.threads)
    print(json.dumps({"worker": "studio", "redis": redis_url, "threads": args.threads}))
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        worker.stop()
    return 0
