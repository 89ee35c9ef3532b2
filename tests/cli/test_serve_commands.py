"""`shopcopilot token ...` and `shopcopilot serve` as a user runs them."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from mini_store import build_mini_store
from shopcopilot.api.auth import verify_token
from shopcopilot.cli import main
from shopcopilot.storage.db import create_database


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    database = create_database(url)
    database.create_all()
    build_mini_store(database)
    monkeypatch.setenv("SHOPCOPILOT_DATABASE_URL", url)
    monkeypatch.setenv("SHOPCOPILOT_SECRET", "cli-test-secret")
    return url


def test_token_command(db_url: str, capsys: pytest.CaptureFixture) -> None:
    assert main(["token", "shopper", "alice_1"]) == 0
    principal = verify_token(capsys.readouterr().out.strip(), secret="cli-test-secret")
    assert (principal.kind, principal.id) == ("shopper", "alice_1")
    assert main(["token", "merchant", "m1"]) == 0
    assert verify_token(capsys.readouterr().out.strip(), secret="cli-test-secret").kind == "merchant"
    assert main(["token", "shopper", "nobody"]) == 2
    assert "nobody" in capsys.readouterr().err
    assert main(["token", "shopper", "nobody", "--no-check"]) == 0


def test_serve_command(db_url: str) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "shopcopilot.cli", "serve", "--port", str(port), "--log-level", "warning"],
        env=os.environ.copy(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/v1/products?merchant_id=m2", timeout=2)
                break
            except httpx.TransportError:
                assert process.poll() is None, process.stdout.read().decode() if process.stdout else ""
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
        assert [p["product_id"] for p in response.json()["items"]] == ["p2"]
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_warm_up_builds_the_apps_search_engine(db_url: str) -> None:
    from shopcopilot.api.app import create_app
    from shopcopilot.cli.serve_commands import _warm_up
    from shopcopilot.models.embedder import shared_query_encoder

    app = create_app()
    assert app.state.search_engine is None
    _warm_up(app)
    assert app.state.search_engine is not None and shared_query_encoder() is not None
