"""Corrections teach the real intent router: reviewed first, measured before they are installed, picked up by
every process. The router is the real one (e5 + lexical ensemble); the learned set goes to a temporary file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from shopcopilot.agent import intents
from shopcopilot.agent.models import ChatSession, ChatTurn
from shopcopilot.errors import Forbidden, InvalidInput, NotFound
from shopcopilot.feedback.corrections import accepted_examples, list_corrections, record_correction, review
from shopcopilot.feedback.learning import retrain
from shopcopilot.feedback.models import IntentCorrection
from shopcopilot.storage.db import Database

# Taobao shop talk the bundled set does not cover: urging a shipment (催单), "I ordered the wrong one" (拍错),
# and calling for the shopkeeper (掌柜/老板 在吗).
LEARN = [
    ("帮我催一下发货", "order_status"), ("催单", "order_status"), ("催一下物流", "order_status"),
    ("能催催吗", "order_status"), ("麻烦催下快递", "order_status"), ("帮忙催一下", "order_status"),
    ("催发货", "order_status"), ("催一催卖家", "order_status"),
    ("拍错了能改吗", "order_modify"), ("拍错颜色了", "order_modify"), ("拍错尺码了帮我改下", "order_modify"),
    ("拍错了 改成蓝色", "order_modify"),
    ("掌柜的在吗", "greeting"), ("老板在吗", "greeting"), ("店家在不在", "greeting"), ("客服在吗", "greeting"),
]  # fmt: skip
UNSEEN = [
    ("能帮我催下单吗", "order_status"), ("催一下我的订单", "order_status"), ("快帮我催催", "order_status"),
    ("拍错型号了能改吗", "order_modify"), ("刚拍错了 想改一下", "order_modify"), ("掌柜在不在", "greeting"),
    ("老板在不", "greeting"),
]  # fmt: skip


@pytest.fixture
def learned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The learned set in a temporary file, and a router that starts from the bundled set (and is forgotten)."""
    path = tmp_path / "learned.jsonl"
    monkeypatch.setattr(intents, "learned_file", lambda: path)
    monkeypatch.setattr(intents, "_router", None)
    monkeypatch.setattr(intents, "_router_signature", None)
    return path


def _turns(database: Database, messages: list[tuple[str, str]], shopper: str | None = None) -> str:
    """One conversation whose turns are `messages`, each answered as if the router had said `predicted`."""
    session_id = f"chat-{shopper or 'guest'}"
    with database.session() as session:
        session.add(ChatSession(id=session_id, shopper_id=shopper, state={}, turns=len(messages)))
        session.flush()
        for position, (message, predicted) in enumerate(messages, start=1):
            session.add(ChatTurn(session_id=session_id, position=position, message=message, blocks=[],
                                 trace={"intent": predicted}))  # fmt: skip
    return session_id


def _correct_and_accept(database: Database, examples: list[tuple[str, str]]) -> None:
    session_id = _turns(database, [(text, "out_of_scope") for text, _ in examples])
    with database.session() as session:
        ids = [
            record_correction(session, session_id=session_id, turn=position, intent=intent).id
            for position, (_, intent) in enumerate(examples, start=1)
        ]
        review(session, ids, accept=True)


def _right(router, examples) -> int:
    return sum(router.classify(text).intent == intent for text, intent in examples)


def test_accepted_corrections_teach_the_router_phrasings_it_never_saw(empty_db: Database, learned: Path) -> None:
    before = _right(intents.get_router(), UNSEEN)
    _correct_and_accept(empty_db, LEARN)
    with empty_db.session() as session:
        report = retrain(session)
    assert report.installed, report.reason
    assert (report.accepted, report.new) == (len(LEARN), len(LEARN)) and 0 < report.check < len(LEARN)
    assert report.after_check >= report.before_check
    assert report.after_heldout >= report.before_heldout - 0.01
    lines = [json.loads(line) for line in learned.read_text(encoding="utf-8").splitlines()]
    assert [(line["text"], line["intent"]) for line in lines] == LEARN

    router = intents.get_router()
    assert _right(router, UNSEEN) > before and _right(router, UNSEEN) == len(UNSEEN)
    # Another process (or this one after a restart) builds its router from the bundled set plus the learned file.
    intents._router = None
    reloaded = intents.get_router()
    assert reloaded is not router and set(LEARN) <= set(reloaded.examples)
    assert _right(reloaded, UNSEEN) == len(UNSEEN)
    with empty_db.session() as session:
        assert retrain(session).reason == "nothing new to learn"


def test_a_retrain_that_would_cost_what_the_router_knew_is_not_installed(empty_db: Database, learned: Path) -> None:
    # "Accepted" by mistake: held-out utterances labelled as greetings. Learning them would break the router.
    heldout = intents.load_examples(intents.HELDOUT_FILE)
    wrong = [(text, "greeting") for text, intent in heldout if intent in {"browse", "order_status", "cart"}]
    _correct_and_accept(empty_db, wrong)
    router = intents.get_router()
    with empty_db.session() as session:
        report = retrain(session)
    assert not report.installed and report.reason.startswith("not installed: it would lower")
    assert report.after_heldout < report.before_heldout - 0.01
    assert not learned.exists() and intents.get_router() is router


def test_pending_and_rejected_corrections_teach_nothing(empty_db: Database, learned: Path) -> None:
    session_id = _turns(empty_db, [("催单", "coupon_fill"), ("老板在吗", "product_question")])
    with empty_db.session() as session:
        first = record_correction(session, session_id=session_id, turn=1, intent="order_status")
        second = record_correction(session, session_id=session_id, turn=2, intent="greeting")
        review(session, [second.id], accept=False)
        assert accepted_examples(session) == []
        assert [row.id for row in list_corrections(session, "pending")] == [first.id]
        report = retrain(session)
    assert not report.installed and report.new == 0 and not learned.exists()


def test_correcting_a_turn_again_replaces_the_pending_correction(empty_db: Database) -> None:
    session_id = _turns(empty_db, [("催单", "coupon_fill")], shopper="alice")
    with empty_db.session() as session:
        record_correction(session, session_id=session_id, turn=1, intent="order_cancel", shopper_id="alice")
        row = record_correction(session, session_id=session_id, turn=1, intent="order_status", shopper_id="alice")
        assert (row.text, row.predicted, row.intent) == ("催单", "coupon_fill", "order_status")
        assert session.scalar(select(func.count()).select_from(IntentCorrection)) == 1


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"turn": 1, "intent": "teleport", "shopper_id": "alice"}, InvalidInput),
        ({"turn": 1, "intent": "coupon_fill", "shopper_id": "alice"}, InvalidInput),  # not a correction
        ({"intent": "order_status", "shopper_id": "alice"}, InvalidInput),  # which turn?
        ({"turn": 5, "intent": "order_status", "shopper_id": "alice"}, NotFound),
        ({"turn": 1, "intent": "order_status", "shopper_id": "mallory"}, Forbidden),
    ],
)
def test_bad_corrections_are_refused_and_change_nothing(empty_db: Database, kwargs: dict, error) -> None:
    session_id = _turns(empty_db, [("催单", "coupon_fill")], shopper="alice")
    with pytest.raises(error), empty_db.session() as session:
        record_correction(session, session_id=session_id, **kwargs)
    with empty_db.session() as session:
        assert session.scalar(select(func.count()).select_from(IntentCorrection)) == 0


def test_review_is_all_or_nothing(empty_db: Database) -> None:
    session_id = _turns(empty_db, [("催单", "coupon_fill"), ("老板在吗", "product_question")])
    with empty_db.session() as session:
        first = record_correction(session, session_id=session_id, turn=1, intent="order_status").id
        second = record_correction(session, session_id=session_id, turn=2, intent="greeting").id
    with pytest.raises(NotFound), empty_db.session() as session:
        review(session, [first, 999], accept=True)
    with empty_db.session() as session:
        review(session, [second], accept=False)
    with pytest.raises(InvalidInput, match="already reviewed"), empty_db.session() as session:
        review(session, [first, second], accept=True)
    with empty_db.session() as session:
        assert [(r.id, r.status) for r in list_corrections(session)] == [(first, "pending"), (second, "rejected")]
