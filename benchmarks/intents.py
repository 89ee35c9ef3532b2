"""Intent router accuracy on utterances it has never seen, per language and per intent.

    .venv/bin/python benchmarks/intents.py

Two evaluations:
- split: a stratified random 20% of `data/intents/train.jsonl` (seed 0) is held out, the router is trained on the
  other 80% (threshold calibrated inside that 80%), and scored on the 20%;
- heldout: the router trained on the whole set, scored on `data/intents/heldout.jsonl` (new utterances written
  separately, short and colloquial ones included).
Vectors come from the full router's cache, so only the classifiers are retrained here.
The table is also written into README.md between <!-- bench:intents --> and <!-- /bench:intents -->.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
from readme_section import write_section  # noqa: E402

from shopcopilot.agent.intent_model import (  # noqa: E402
    EnsembleClassifier,
    cross_validated_threshold,
    is_chinese,
    lexical_features,
)
from shopcopilot.agent.intents import HELDOUT_FILE, INTENTS, OUT_OF_SCOPE, get_router, load_examples  # noqa: E402

README = Path(__file__).resolve().parents[1] / "README.md"
# Kept with the table so a reader knows how blind the held-out file still is.
NOTE = (
    "Model choices (4096 hashed buckets, Chinese character unigrams, out-of-fold threshold) were picked by 5-fold "
    "cross-validation on train.jsonl (held-out scores were printed alongside). heldout.jsonl is no longer fully blind: its misclassified lines were read "
    "while improving the router (by earlier engineers and in the round that added colloquial Chinese lines); no "
    "held-out line was copied or paraphrased into train.jsonl (tests/agent/test_intents.py rejects exact overlaps)."
)


def _stratified_split(labels: np.ndarray, fraction: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    held = np.zeros(len(labels), bool)
    for cls in np.unique(labels):
        rows = np.flatnonzero(labels == cls)
        held[rng.choice(rows, int(round(len(rows) * fraction)), replace=False)] = True
    return held


def _fit_with_threshold(q: np.ndarray, p: np.ndarray, lex: np.ndarray, y: np.ndarray):
    """Same recipe as IntentRouter: calibrate on out-of-fold predictions, then train on everything given."""
    threshold = cross_validated_threshold(q, p, lex, y, len(INTENTS), INTENTS.index(OUT_OF_SCOPE))
    return EnsembleClassifier.fit(q, p, lex, y, len(INTENTS)), threshold


def _predict(model: EnsembleClassifier, threshold: float, q, p, lex) -> np.ndarray:
    probs = model.probabilities(q, p, lex)
    return np.where(probs.max(1) < threshold, INTENTS.index(OUT_OF_SCOPE), probs.argmax(1))


def _rates(texts: list[str], truth: np.ndarray, predicted: np.ndarray) -> dict[str, str]:
    zh = np.array([is_chinese(t) for t in texts])
    ok = truth == predicted
    cells = {
        "all": f"{ok.mean():.3f} ({len(ok)})",
        "en": f"{ok[~zh].mean():.3f}",
        "zh": f"{ok[zh].mean():.3f}",
    }
    for i, intent in enumerate(INTENTS):
        cells[intent] = f"{ok[truth == i].mean():.3f}" if (truth == i).any() else "-"
    return cells


def main() -> int:
    started = time.perf_counter()
    router = get_router()
    texts = [t for t, _ in router.examples]
    y = np.array([INTENTS.index(i) for _, i in router.examples])
    q, p = router.training_vectors()
    lex = lexical_features(texts)

    held = _stratified_split(y, 0.2, seed=0)
    model, threshold = _fit_with_threshold(q[~held], p[~held], lex[~held], y[~held])
    split_pred = _predict(model, threshold, q[held], p[held], lex[held])
    split = _rates([t for t, h in zip(texts, held, strict=True) if h], y[held], split_pred)

    heldout = load_examples(HELDOUT_FILE)
    # One at a time, as chat turns arrive: the path a shopper's message takes (the fast query encoder).
    predictions = [router.classify(t) for t, _ in heldout]
    ho_truth = np.array([INTENTS.index(i) for _, i in heldout])
    ho_pred = np.array([INTENTS.index(pr.intent) for pr in predictions])
    ho = _rates([t for t, _ in heldout], ho_truth, ho_pred)

    rows = ["| | 20% split of train.jsonl | heldout.jsonl |", "|---|---|---|"]
    for key in ["all", "en", "zh", *INTENTS]:
        rows.append(f"| {key} | {split[key]} | {ho[key]} |")
    header = (
        f"intent router accuracy on unseen utterances ({len(texts)} training lines, 16 intents, en+zh; "
        f"out-of-scope threshold {router.threshold:.3f}; {time.perf_counter() - started:.0f}s)"
    )
    print(header)
    print("\n".join(rows))
    body = f"`benchmarks/intents.py`: {header}\n\n" + "\n".join(rows) + f"\n\n{NOTE}"
    write_section("intents", "Intent router (`benchmarks/intents.py`)", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
