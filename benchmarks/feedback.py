"""Feedback that improves the model: does the intent router learn from shoppers' corrections, measurably?

    .venv/bin/python benchmarks/feedback.py [--no-readme]

On a fresh copy of the demo store, with the real assistant (rules + the trained intent router, no LLM):
1. Simulated shoppers send the lines of `data/shop_talk_corrections.jsonl` (Taobao-style shop talk the bundled
   intent set does not cover), each in a new conversation. Where the assistant understood something else than the
   line's label they give a thumbs down saying what they meant (`record_feedback` + `record_correction`).
2. The operator accepts every pending correction (`review`), and `retrain` teaches the router, measuring the
   candidate before installing it (held-back corrections and the bundled held-out set).
3. The lines of `data/shop_talk_unseen.jsonl` (other phrasings of the same needs, never corrected) are sent through
   the assistant before step 1 and after step 2: the share routed to the right intent is the measure.
The learned set goes to a temporary folder, so the project's router is untouched. The table is written into
README.md between <!-- bench:feedback --> markers.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from readme_section import write_section  # noqa: E402

from shopcopilot.agent import intents  # noqa: E402
from shopcopilot.agent.intents import HELDOUT_FILE, load_examples  # noqa: E402
from shopcopilot.demo import load_demo_store  # noqa: E402
from shopcopilot.feedback.corrections import list_corrections, record_correction, review  # noqa: E402
from shopcopilot.feedback.learning import accuracy, retrain  # noqa: E402
from shopcopilot.feedback.ratings import record_feedback  # noqa: E402
from shopcopilot.shopper.assistant import build_assistant  # noqa: E402
from shopcopilot.storage.db import create_database  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"


def routed_right(assistant, examples: list[tuple[str, str]], tag: str) -> tuple[float, list]:
    """Each line in a new conversation; the share whose turn the assistant planned as the line's intent."""
    turns = [assistant.turn(f"{tag}-{i}", text) for i, (text, _) in enumerate(examples)]
    right = sum(turn.trace.intent == intent for turn, (_, intent) in zip(turns, examples, strict=True))
    return right / len(examples), turns


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-readme", action="store_true")
    args = parser.parse_args()
    corrections = load_examples(DATA / "shop_talk_corrections.jsonl")
    unseen = load_examples(DATA / "shop_talk_unseen.jsonl")
    heldout = load_examples(HELDOUT_FILE)
    with tempfile.TemporaryDirectory() as tmp:
        learned = Path(tmp) / "learned.jsonl"
        intents.learned_file = lambda: learned  # this run's learned set only
        database = create_database(f"sqlite:///{Path(tmp) / 'store.db'}")
        database.create_all()
        load_demo_store(database)
        assistant = build_assistant(database)
        router_before = intents.get_router()
        unseen_before, _ = routed_right(assistant, unseen, "unseen-before")
        unseen_router_before = accuracy(router_before, unseen)

        sent_right, turns = routed_right(assistant, corrections, "shopper")
        with database.session() as session:
            for i, (turn, (_, intent)) in enumerate(zip(turns, corrections, strict=True)):
                if turn.trace.intent != intent:
                    record_feedback(session, session_id=f"shopper-{i}", turn=1, rating=-1)
                    record_correction(session, session_id=f"shopper-{i}", turn=1, intent=intent)
        with database.session() as session:
            pending = [row.id for row in list_corrections(session, "pending", limit=10_000)]
            review(session, pending, accept=True)
            started = time.perf_counter()
            report = retrain(session)
            retrain_s = time.perf_counter() - started

        router_after = intents.get_router()
        unseen_after, _ = routed_right(assistant, unseen, "unseen-after")
        unseen_router_after = accuracy(router_after, unseen)
        sent_after, _ = routed_right(assistant, corrections, "shopper-again")

    def share(value: float | None) -> str:
        return "-" if value is None else f"{value:.3f}"

    rows = [
        "| measure | before | after |",
        "|---|---:|---:|",
        f"| unseen shop-talk phrasings, turns routed right ({len(unseen)}) | {share(unseen_before)} | "
        f"{share(unseen_after)} |",
        f"| same, intent router alone | {share(unseen_router_before)} | {share(unseen_router_after)} |",
        f"| held-back corrections, router ({report.check}) | {share(report.before_check)} | "
        f"{share(report.after_check)} |",
        f"| bundled held-out set, router ({len(heldout)}) | {share(report.before_heldout)} | "
        f"{share(report.after_heldout)} |",
        f"| the corrected lines themselves, turns ({len(corrections)}) | {share(sent_right)} | "
        f"{share(sent_after)} |",
    ]
    header = (
        f"{len(corrections)} shop-talk lines sent by simulated shoppers, {len(pending)} misunderstood and corrected "
        f"(thumbs down + intent), all accepted; retrain {retrain_s:.0f} s: {report.reason}."
    )
    print(header)
    print("\n".join(rows))
    if not args.no_readme:
        body = f"`benchmarks/feedback.py`: {header}\n\n" + "\n".join(rows)
        write_section("feedback", "Feedback (`benchmarks/feedback.py`)", body)
    print(f"unseen_before={unseen_before:.3f} unseen_after={unseen_after:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
