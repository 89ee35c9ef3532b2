"""Run a scripted conversation through `shopcopilot chat --script` and return its JSON answers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shopcopilot.cli import main
from shopcopilot.storage.db import Database


def run_script(database: Database, tmp_path: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch,
               lines: list[str], shopper: str | None = None, session: str = "scripted") -> list[dict]:
    script = tmp_path / f"{session}.txt"
    script.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setenv("SHOPCOPILOT_DATABASE_URL", database.url)
    argv = ["chat", "--script", str(script), "--session", session] + (["--shopper", shopper] if shopper else [])
    capsys.readouterr()
    assert main(argv) == 0
    answers = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert len(answers) == len(lines)
    return answers


def blocks_of(answer: dict, kind: str) -> list[dict]:
    return [block for block in answer["blocks"] if block["type"] == kind]


def text_of(answer: dict) -> str:
    parts = []
    for block in answer["blocks"]:
        parts.extend([block.get("text", ""), *block.get("details", []), block.get("prompt", "")])
    return "\n".join(part for part in parts if part)


def tools_of(answer: dict) -> list[str]:
    return [call["name"] for call in answer["trace"]["tool_calls"]]
