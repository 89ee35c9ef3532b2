"""The web app's pages and static files, served by the API's own app (no browser needed for these)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from shopcopilot.api.app import create_app
from shopcopilot.storage.db import Database
from shopcopilot.web.routes import PAGES, STATIC_DIR


@pytest.fixture
def client(empty_db: Database):
    with TestClient(create_app(empty_db)) as test_client:
        yield test_client


@pytest.mark.parametrize("path", ["/", "/shop", "/orders", "/orders/W123", "/memory", "/posts", "/merchant"])
def test_every_page_is_served_with_its_script(client: TestClient, path: str) -> None:
    answer = client.get(path)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    html = answer.text
    assert "{{" not in html  # every placeholder was filled
    script = re.search(r'<script type="module" src="/static/([a-z_]+\.js)', html).group(1)
    assert client.get(f"/static/{script}").status_code == 200


def test_every_asset_a_page_names_is_served_locally(client: TestClient) -> None:
    """No CDN: every src/href in the pages and every JS import resolves to a file this app serves."""
    for name in PAGES:
        html = client.get("/" if name == "login" else f"/{name}").text
        for ref in re.findall(r'(?:src|href)="([^"#]+)"', html):
            assert not ref.startswith(("http:", "https:", "//")), ref
            assert client.get(ref).status_code == 200, ref
    for script in STATIC_DIR.glob("*.js"):
        for module in re.findall(r'from "\./([a-z_]+\.js)"', script.read_text()):
            assert (STATIC_DIR / module).exists(), f"{script.name} imports missing {module}"
            answer = client.get(f"/static/{module}")
            assert answer.headers["content-type"].startswith("text/javascript")


@pytest.mark.parametrize("path", ["/static/../routes.py", "/static/%2e%2e/routes.py", "/static/nothing.js",
                                  "/static/"])
def test_static_files_never_escape_their_folder(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 404


def test_shopper_pages_carry_the_cart_drawer_and_merchant_pages_do_not(client: TestClient) -> None:
    assert 'id="cart-drawer"' in client.get("/shop").text
    assert 'id="cart-drawer"' not in client.get("/merchant").text


def test_both_languages_define_the_same_strings() -> None:
    text = (STATIC_DIR / "i18n.js").read_text()
    en, zh = text.split("\n  zh: {")
    keys = lambda block: set(re.findall(r"(?:^|[\s,{])([a-z_0-9]+):", block))  # noqa: E731
    assert keys(en.split("en: {", 1)[1]) == keys(zh)


def test_every_label_the_pages_name_is_defined() -> None:
    """A key used by t("..."), tl("..."), i18n: "..." or data-i18n="..." exists (else the page shows the key)."""
    text = (STATIC_DIR / "i18n.js").read_text()
    defined = set(re.findall(r"(?:^|[\s,{])([a-z_0-9]+):", text.split("\n  zh: {")[0].split("en: {", 1)[1]))
    used: dict[str, str] = {}
    scripts = [path for path in STATIC_DIR.glob("*.js") if path.name != "i18n.js"]
    sources = [*scripts, *(STATIC_DIR.parent / "templates").glob("*.html")]
    pattern = r'\bt\("([a-z_0-9]+)"|\btl\("([a-z_0-9]+)"|\bi18n: "([a-z_0-9]+)"|data-i18n="([a-z_0-9]+)"'
    for source in sources:
        for groups in re.findall(pattern, source.read_text()):
            used.setdefault(next(g for g in groups if g), source.name)
    missing = {key: where for key, where in used.items() if key not in defined}
    assert used and not missing, missing
