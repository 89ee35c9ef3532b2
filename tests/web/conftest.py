"""Browser-test fixtures: the demo store served by a real uvicorn, and real Chromium driven by Playwright.

One server and one browser per module (each test gets a fresh browser context, so no sign-in leaks between
tests); the store is loaded once per session and copied per module. Screenshots go to test-artifacts/web/.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from http_server import running_server
from shopcopilot.api.app import create_app
from shopcopilot.storage.db import Database, create_database

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def demo_store_template(tmp_path_factory: pytest.TempPathFactory, retail_dir: Path) -> Path:
    """The demo store (retail store, everyday goods, coupons, browsing) in an SQLite file, built once."""
    from shopcopilot.demo import load_demo_store

    path = tmp_path_factory.mktemp("web_store") / "store.db"
    database = create_database(f"sqlite:///{path}")
    database.create_all()
    load_demo_store(database, retail_dir, index=False)
    with database.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.engine.dispose()
    return path


@pytest.fixture(scope="module")
def web_db(demo_store_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    path = tmp_path_factory.mktemp("web_db") / "store.db"
    shutil.copy(demo_store_template, path)
    database = create_database(f"sqlite:///{path}")
    yield database
    database.engine.dispose()


@pytest.fixture(scope="module")
def web_server(web_db: Database, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The whole app (API + web pages) with demo login on, on a free loopback port."""
    from shopcopilot.agent.intents import get_router
    from shopcopilot.studio.jobs import EmbeddedJobQueue, JobStore

    get_router()  # trained once per var dir (minutes on a cold CI machine): not inside a browser wait
    app = create_app(web_db)
    app.state.studio_queue = EmbeddedJobQueue(JobStore(tmp_path_factory.mktemp("studio_jobs")))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SHOPCOPILOT_DEMO_LOGIN", "1")
        with running_server(app) as base_url:
            yield base_url
    app.state.studio_queue.pool.shutdown(wait=True)


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM} (apt package 'chromium', in the Makefile's list)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, web_server: str):
    """A fresh browser context (empty storage) on the app; page errors fail the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 860}, base_url=web_server)
    context.set_default_timeout(30_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture(scope="session")
def shots(artifacts_dir: Path) -> Path:
    folder = artifacts_dir / "web"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
