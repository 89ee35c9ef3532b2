"""Pages of the web app and its static files, served by the API's own FastAPI app.

Each page is the shared shell (`templates/page.html`) around a small page fragment; the page's JavaScript module
then talks to the same `/v1` API as every other client, with the bearer token the demo login gave it. No page
reads the database itself, so what a browser shows is exactly what the API returns.
"""

from __future__ import annotations

import html
import json
import mimetypes
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse

from shopcopilot import __version__
from shopcopilot.errors import NotFound

WEB_DIR = Path(__file__).resolve().parent
STATIC_DIR = WEB_DIR / "static"
TEMPLATES_DIR = WEB_DIR / "templates"

router = APIRouter(include_in_schema=False)

mimetypes.add_type("text/javascript", ".js")
mimetypes.add_type("image/svg+xml", ".svg")


@dataclass(frozen=True)
class Page:
    name: str
    title: str
    side: str  # "shopper", "merchant" or "public": which navigation the page shows
    script: str
    fragment: str
    i18n_title: str


PAGES = {
    page.name: page
    for page in (
        Page("login", "Sign in", "public", "login.js", "login.html", "nav_signin"),
        Page("shop", "Assistant", "shopper", "shop.js", "shop.html", "nav_assistant"),
        Page("orders", "Orders", "shopper", "orders.js", "orders.html", "nav_orders"),
        Page("memory", "Memory", "shopper", "memory.js", "memory.html", "nav_memory"),
        Page("posts", "My posts", "shopper", "posts.js", "posts.html", "nav_posts"),
        Page("merchant", "Workbench", "merchant", "merchant.js", "merchant.html", "nav_workbench"),
    )
}

NAV = {
    "shopper": (("shop", "/shop"), ("orders", "/orders"), ("posts", "/posts"), ("memory", "/memory")),
    "merchant": (("merchant", "/merchant"),),
    "public": (),
}

CART_BUTTON = (
    '<button type="button" class="btn small icon-btn" id="cart-button" aria-haspopup="dialog" '
    'aria-controls="cart-drawer"><span data-i18n="cart">Cart</span>'
    '<span class="count" id="cart-count" hidden>0</span></button>'
)


@lru_cache(maxsize=32)
def _template(name: str) -> str:
    return (TEMPLATES_DIR / name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def page_data() -> str:
    """What every page's scripts read from the shell (#page-data): the knowledge bases' display titles, so a cited
    answer can name the base a passage comes from (the API names it by id). Escaped for a <script> element."""
    from shopcopilot.knowledge.registry import default_knowledge_bases

    data = {
        "knowledge_bases": {
            kb.name: {"title": kb.title, "title_zh": kb.title_zh} for kb in default_knowledge_bases()
        }
    }
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")


def _nav(page: Page) -> str:
    links = []
    for name, href in NAV[page.side]:
        target = PAGES[name]
        current = ' aria-current="page"' if name == page.name else ""
        links.append(
            f'<a href="{href}"{current} data-i18n="{target.i18n_title}">{html.escape(target.title)}</a>'
        )
    return "".join(links)


def render_page(name: str) -> str:
    """The HTML of one page: the shell with its navigation, fragment and script filled in."""
    page = PAGES[name]
    shopper = page.side == "shopper"
    values = {
        "title": html.escape(page.title),
        "side": page.side,
        "page": page.name,
        "nav": _nav(page),
        "main": _template(page.fragment),
        "extra": _template("cart_drawer.html") if shopper else "",
        "cart_button": CART_BUTTON if shopper else "",
        "script": page.script,
        "version": __version__,
        "page_data": page_data(),
    }
    text = _template("page.html")
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", value)
    return text


def _html(name: str) -> HTMLResponse:
    return HTMLResponse(render_page(name), headers={"Cache-Control": "no-cache"})


@router.get("/")
def login_page() -> HTMLResponse:
    return _html("login")


@router.get("/shop")
def shop_page() -> HTMLResponse:
    return _html("shop")


@router.get("/orders")
def orders_page() -> HTMLResponse:
    return _html("orders")


@router.get("/orders/{order_id}")
def order_page(order_id: str) -> HTMLResponse:
    # The same page; its script reads the order id from the address and asks the API for it.
    return _html("orders")


@router.get("/memory")
def memory_page() -> HTMLResponse:
    return _html("memory")


@router.get("/posts")
def posts_page() -> HTMLResponse:
    return _html("posts")


@router.get("/merchant")
def merchant_page() -> HTMLResponse:
    return _html("merchant")


@router.get("/login")
def login_redirect() -> RedirectResponse:
    return RedirectResponse("/", status_code=307)


@router.get("/static/{path:path}")
def static_file(path: str) -> FileResponse:
    """Files under `static/` only: the resolved path must stay inside the folder (no `..` escapes)."""
    target = (STATIC_DIR / path).resolve()
    if not target.is_relative_to(STATIC_DIR) or not target.is_file():
        raise NotFound(f"no static file {path!r}", code="not_found")
    media_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    return FileResponse(target, media_type=media_type, headers={"Cache-Control": "no-cache"})
