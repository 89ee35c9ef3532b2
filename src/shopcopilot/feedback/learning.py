"""Re-training the intent router from accepted corrections, measured before it is installed.

`retrain(session)` takes every accepted correction the router has not learned yet, holds back a fifth of them
(chosen by a hash of the text, so the split is stable), and trains a candidate on the rest. It measures the live
router and the candidate on the held-back corrections (phrasings neither has seen) and on the bundled held-out set
(`data/intents/heldout.jsonl`, so that learning a shop's own phrasing does not cost what the router already knew).
The candidate is installed only if it does at least as well on the held-back corrections and loses at most one point
on the held-out set; then the router is trained on all of them, the learned set is written to
`var/intents/learned.jsonl` and every process picks it up at its next turn (`agent.intents.get_router`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from sqlalchemy.orm import Session

from shopcopilot.agent.intents import (
    HELDOUT_FILE,
    Example,
    IntentRouter,
    get_router,
    install_router,
    learned_file,
    load_examples,
)
from shopcopilot.feedback.corrections import accepted_examples

CHECK_SHARE = 5  # one text in five is held back to measure (when there are at least this many new ones)
MAX_HELDOUT_DROP = 0.01


@dataclass
class RetrainReport:
    accepted: int  # accepted corrections (distinct texts)
    new: int  # of them, not learned yet
    check: int  # held back to measure the candidate
    before_check: float | None
    after_check: float | None
    before_heldout: float | None
    after_heldout: float | None
    installed: bool
    reason: str

    def to_dict(self) -> dict:
        return asdict(self)


def accuracy(router: IntentRouter, examples: Sequence[Example]) -> float | None:
    """Share of `examples` the router labels right, one message at a time (as chat turns arrive)."""
    if not examples:
        return None
    right = sum(router.classify(text).intent == intent for text, intent in examples)
    return right / len(examples)


def _held_back(text: str) -> bool:
    return int(hashlib.sha1(text.encode()).hexdigest(), 16) % CHECK_SHARE == 0


def retrain(session: Session, *, force: bool = False) -> RetrainReport:
    corrections = accepted_examples(session)
    router = get_router()
    known = set(router.examples)
    new = [example for example in corrections if example not in known]
    if not new:
        return RetrainReport(len(corrections), 0, 0, None, None, None, None, False, "nothing new to learn")
    check = [example for example in new if _held_back(example[0])] if len(new) >= CHECK_SHARE else []
    learn = [example for example in new if example not in check]
    heldout = load_examples(HELDOUT_FILE)
    before_check, before_heldout = accuracy(router, check), accuracy(router, heldout)
    candidate = router.extended(learn) if learn else router
    after_check, after_heldout = accuracy(candidate, check), accuracy(candidate, heldout)
    assert before_heldout is not None and after_heldout is not None
    problems = []
    if before_check is not None and after_check is not None and after_check < before_check:
        problems.append(f"held-back corrections {before_check:.3f} -> {after_check:.3f}")
    if after_heldout < before_heldout - MAX_HELDOUT_DROP:
        problems.append(f"held-out set {before_heldout:.3f} -> {after_heldout:.3f}")
    installed = force or not problems
    if installed:
        learned_before = load_examples(learned_file()) if learned_file().exists() else []
        final = candidate if not check else router.extended(new)  # measured, then trained on all of them
        install_router(final, [*learned_before, *new])
        reason = "installed" + (f" although {'; '.join(problems)} (forced)" if problems else "")
    else:
        reason = "not installed: it would lower " + "; ".join(problems)
    return RetrainReport(
        len(corrections), len(new), len(check), before_check, after_check, before_heldout, after_heldout,
        installed, reason,
    )  # fmt: skip
