"""The HTTP API: `create_app()` wires the database, error handlers, body limits and one router per resource.

/docs serves Swagger UI from assets shipped in the `fastapi-offline` wheel, so it works with no network.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

from shopcopilot import __version__
from shopcopilot.api.errors import install_error_handlers
from shopcopilot.api.limits import JSON_BODY_LIMIT, UPLOAD_BODY_LIMIT, BodySizeLimit
from shopcopilot.api.routers import (
    carts,
    chat,
    coupons,
    dev,
    feedback,
    health,
    memory,
    merchant,
    merchant_copilot,
    merchant_listings,
    merchant_store,
    orders,
    products,
    search,
    shoppers,
    skills,
    studio,
)
from shopcopilot.storage.db import Database, create_database
from shopcopilot.web import routes as web_pages

DESCRIPTION = """Products, search, carts, coupons, orders and order operations for shoppers; the store's products and
orders for merchants. Authenticate with `Authorization: Bearer <token>` (`shopcopilot token shopper USER_ID`).
Errors are `{"error": {"code", "message"}}`."""

ROUTERS = (health, products, search, carts, coupons, orders, shoppers, merchant, studio, chat, memory, feedback, dev)
ROUTERS += (merchant_listings, merchant_copilot, merchant_store)
ROUTERS += (skills,)  # shopper skills: compare, coupon fill, plans, posts


def create_app(
    database: Database | None = None,
    *,
    search_engine: Any | None = None,
    json_body_limit: int = JSON_BODY_LIMIT,
    upload_body_limit: int = UPLOAD_BODY_LIMIT,
) -> FastAPI:
    """The API over `database` (default: the configured one). `search_engine` replaces the one built on first use."""
    app = FastAPIOffline(title="shopcopilot", version=__version__, description=DESCRIPTION)
    app.state.database = database or create_database()
    app.state.search_engine = search_engine
    app.add_middleware(BodySizeLimit, json_limit=json_body_limit, upload_limit=upload_body_limit)
    install_error_handlers(app)
    for module in ROUTERS:
        app.include_router(module.router)
    app.include_router(web_pages.router)  # the web app's pages and static files
    return app
