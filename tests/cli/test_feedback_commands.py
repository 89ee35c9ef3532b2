"""`shopcopilot feedback ...` as an operator runs it: list corrections, accept or reject them, retrain."""

from __future__ import annotations

from pathlib import Path

import pytest

from shopcopilot.agent import intents
from shopcopilot.agent.models import ChatSession, ChatTurn
from shopcopilot.cli import main
from shopcopilot.feedback.corrections import record_correction
from shopcopilot.storage.db import create_database


@pytest.fixture
def corrections(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    database = create_database(url)
    database.create_all()
    monkeypatch.setenv("SHOPCOPILOT_DATABASE_URL", url)
    monkeypatch.setattr(intents, "learned_file", lambda: tmp_path / "learned.jsonl")
    monkeypatch.setattr(intents, "_router", None)
    monkeypatch.setattr(intents, "_router_signature", None)
    with database.session() as session:
        session.add(ChatSession(id="guest-1", shopper_id=None, state={}, turns=2))
        session.flush()
        session.add_all([
            ChatTurn(session_id="guest-1", position=1, message="催单", blocks=[], trace={"intent": "coupon_fill"}),
            ChatTurn(session_id="guest-1", position=2, message="老板在吗", blocks=[], trace={"intent": "browse"}),
        ])  # fmt: skip
        session.flush()
        return [
            record_correction(session, session_id="guest-1", turn=1, intent="order_status").id,
            record_correction(session, session_id="guest-1", turn=2, intent="greeting").id,
        ]


def test_review_then_retrain(corrections: list[int], capsys) -> None:
    first, second = corrections
    assert main(["feedback", "corrections"]) == 0
    out = capsys.readouterr().out
    assert "coupon_fill" in out and "-> order_status" in out and "催单" in out and "2 correction(s)" in out

    assert main(["feedback", "accept", str(first)]) == 0
    assert main(["feedback", "reject", str(second)]) == 0
    assert main(["feedback", "corrections", "--status", "accepted", "--json"]) == 0
    out = capsys.readouterr().out
    assert '"intent": "order_status"' in out and '"status": "accepted"' in out and "老板在吗" not in out

    assert main(["feedback", "retrain"]) == 0
    out = capsys.readouterr().out
    assert "accepted corrections 1, new 1, held back to measure 0" in out and out.strip().endswith("installed")
    assert "held-out set (heldout.jsonl)" in out
    assert main(["feedback", "retrain"]) == 0
    assert capsys.readouterr().out.strip().endswith("nothing new to learn")


def test_bad_review_ids_are_refused(corrections: list[int], capsys) -> None:
    assert main(["feedback", "accept", "999"]) == 2
    assert "no correction with id 999" in capsys.readouterr().err
    assert main(["feedback", "reject", str(corrections[0])]) == 0
    assert main(["feedback", "accept", str(corrections[0])]) == 2
    assert "already reviewed" in capsys.readouterr().err
