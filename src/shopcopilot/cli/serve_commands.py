"""`shopcopilot serve`: run the HTTP API; `shopcopilot token shopper|merchant ID`: print a bearer token."""

from __future__ import annotations

import argparse
import contextlib
import threading

from shopcopilot.errors import NotFound


def register(subparsers: argparse._SubParsersAction) -> None:
    serve = subparsers.add_parser("serve", help="run the HTTP API (OpenAPI docs at /docs)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"]
    )
    serve.add_argument(
        "--no-warm-up", action="store_true", help="do not load the intent router and embedder at start-up"
    )
    serve.set_defaults(func=_serve)

    token = subparsers.add_parser("token", help="print a bearer token for a shopper or a merchant")
    token.add_argument("kind", choices=["shopper", "merchant"])
    token.add_argument("id", help="the shopper's user id (e.g. noah_brown_6181) or the merchant's id")
    token.add_argument("--ttl", type=int, default=None, help="seconds until it expires (default: never)")
    token.add_argument(
        "--no-check", action="store_true", help="do not check that the id exists in the database"
    )
    token.set_defaults(func=_token)


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from shopcopilot.api.app import create_app

    app = create_app()
    if not args.no_warm_up:
        threading.Thread(target=_warm_up, args=(app,), name="warm-up", daemon=True).start()
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level)
    return 0


def _warm_up(app) -> None:
    """Load the query encoder (calibrated once, then cached), the intent router (trained once, then cached under
    var/) and the search indexes while the server starts, so the first chat turn and search do not pay for them."""
    from shopcopilot.agent.intents import get_router
    from shopcopilot.api.routers.search import app_search_engine
    from shopcopilot.errors import ShopcopilotError
    from shopcopilot.models.embedder import shared_query_encoder

    shared_query_encoder()
    get_router()
    with contextlib.suppress(ShopcopilotError):  # no search in this build or nothing to search: requests say so
        app_search_engine(app).search("warm up", limit=1)


def _token(args: argparse.Namespace) -> int:
    from shopcopilot.api.auth import mint_token

    if not args.no_check:
        _check_exists(args.kind, args.id)
    print(mint_token(args.kind, args.id, ttl_seconds=args.ttl))
    return 0


def _check_exists(kind: str, subject_id: str) -> None:
    from shopcopilot.catalog.models import Merchant
    from shopcopilot.commerce.models import Shopper
    from shopcopilot.storage.db import create_database

    table = Shopper if kind == "shopper" else Merchant
    with create_database().session() as session:
        if session.get(table, subject_id) is None:
            raise NotFound(
                f"no {kind} {subject_id!r} in the database (load the store first, or pass --no-check)"
            )
