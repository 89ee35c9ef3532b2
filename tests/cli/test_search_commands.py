"""`shopcopilot search` as a user runs it, on the real retail products."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.catalog.search_catalog import build_search_catalog

from shopcopilot.cli import main
from shopcopilot.storage.db import create_database


@pytest.fixture
def search_env(tmp_path: Path, retail_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    database = create_database(url)
    database.create_all()
    build_search_catalog(database, retail_dir)
    monkeypatch.setenv("SHOPCOPILOT_DATABASE_URL", url)
    monkeypatch.setenv("SHOPCOPILOT_VAR", str(tmp_path / "var"))


def test_search_prints_parsed_filters_and_ranked_products(search_env, capsys) -> None:
    assert main(["search", "蓝色棉质T恤 200元以内", "--limit", "3"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("parsed: language=zh")
    assert "price=..200" in out[0] and '"color": ["blue"]' in out[0]
    assert out[1].lstrip().startswith("1. T-Shirt")

    assert main(["search", "hiking boots not leather", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["parsed"]["excluded"] == {"material": ["leather"]}
    assert payload["hits"][0]["name"] == "Hiking Boots"


def test_search_refuses_bad_limits(search_env, capsys) -> None:
    assert main(["search", "lamp", "--limit", "0"]) == 2
    assert "limit must be between 1 and 100" in capsys.readouterr().err


def test_search_on_a_database_without_tables_says_what_to_run(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("SHOPCOPILOT_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    monkeypatch.setenv("SHOPCOPILOT_VAR", str(tmp_path / "var"))
    assert main(["search", "有没有防水的登山鞋"]) == 2
    err = capsys.readouterr().err
    assert "shopcopilot db upgrade" in err and "no such table" in err
    assert "Traceback" not in err
