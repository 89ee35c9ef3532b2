"""The numeric core of the intent router: text features and a small softmax classifier, numpy only.

Kept apart from `intents.py` so the router's public surface (labels, loading, caching, the singleton) stays short
and this part can be tested or swapped on its own.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

# 4096 buckets, not 1024: with Chinese unigrams+bigrams and English trigrams a training set of ~3k lines has
# ~10k distinct tokens, and at 1024 the collisions cost about a point of cross-validated accuracy in Chinese.
LEXICAL_DIM = 4096
# How much the hashed lexical features weigh against the (unit-length) embedding, and the logit scale; both were
# chosen on a random 80/20 split of the training set (see benchmarks/intents.py).
LEXICAL_WEIGHT = 0.4
FEATURE_SCALE = 4.0
L2 = 3e-4
STEPS = 300
LEARNING_RATE = 0.05

_CJK_RUN = re.compile(r"[\u3400-\u9fff]+|[a-z0-9$#%]+")
_CJK = re.compile(r"[\u3400-\u9fff]")
_WORD = re.compile(r"[a-z0-9]+")
_jieba = None


def is_chinese(text: str) -> bool:
    return bool(_CJK.search(text))


def _cut_chinese(run: str) -> list[str]:
    global _jieba
    if _jieba is None:
        import logging

        import jieba

        jieba.setLogLevel(logging.WARNING)
        _jieba = jieba
    return list(_jieba.cut(run))


def _tokens(text: str) -> list[str]:
    """Words, character trigrams (catch 'thx', 'pls', typos) and Chinese words + character uni- and bigrams.

    Chinese unigrams matter for short colloquial lines ("退钱", "装车") that jieba cuts into words unseen in training:
    a single character ("退", "车", "码") still carries the intent."""
    text = text.lower()
    feats: list[str] = []
    for run in _CJK_RUN.findall(text):
        if _CJK.match(run):
            feats += ["w:" + word for word in _cut_chinese(run)]
            feats += ["u:" + char for char in run]
            feats += ["b:" + run[i : i + 2] for i in range(len(run) - 1)]
        else:
            feats.append("w:" + run)
            padded = f"<{run}>"
            feats += ["g:" + padded[i : i + 3] for i in range(len(padded) - 2)]
    words = _WORD.findall(text)
    feats += [f"wb:{a}_{b}" for a, b in zip(words, words[1:], strict=False)]
    return feats


def lexical_features(texts: Sequence[str]) -> np.ndarray:
    """Hashed bag of tokens, L2-normalised. crc32, not hash(): it must be stable across processes."""
    out = np.zeros((len(texts), LEXICAL_DIM), np.float32)
    for row, text in enumerate(texts):
        for token in _tokens(text):
            out[row, zlib.crc32(token.encode()) % LEXICAL_DIM] += 1.0
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return out / norms


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


@dataclass
class SoftmaxRegression:
    weights: np.ndarray  # (features, classes)
    bias: np.ndarray  # (classes,)

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        return softmax(features @ self.weights + self.bias)


def fit_softmax(
    features: np.ndarray,
    labels: np.ndarray,
    n_classes: int,
    *,
    warm: SoftmaxRegression | None = None,
    steps: int = STEPS,
) -> SoftmaxRegression:
    """Multinomial logistic regression, full-batch Adam with L2. Deterministic (zero or warm start, no sampling)."""
    weights = (
        warm.weights.copy() if warm is not None else np.zeros((features.shape[1], n_classes), np.float32)
    )
    bias = warm.bias.copy() if warm is not None else np.zeros(n_classes, np.float32)
    onehot = np.eye(n_classes, dtype=np.float32)[labels]
    params = [weights, bias]
    first = [np.zeros_like(p) for p in params]
    second = [np.zeros_like(p) for p in params]
    for step in range(1, steps + 1):
        grad_logits = (softmax(features @ weights + bias) - onehot) / len(labels)
        grads = [features.T @ grad_logits + L2 * weights, grad_logits.sum(axis=0)]
        rate = LEARNING_RATE * np.sqrt(1 - 0.999**step) / (1 - 0.9**step)
        for i, grad in enumerate(grads):
            first[i] = 0.9 * first[i] + 0.1 * grad
            second[i] = 0.999 * second[i] + 0.001 * grad * grad
            params[i] -= rate * first[i] / (np.sqrt(second[i]) + 1e-8)
    return SoftmaxRegression(weights, bias)


def view_features(vectors: np.ndarray, lexical: np.ndarray) -> np.ndarray:
    return np.hstack([vectors, LEXICAL_WEIGHT * lexical]).astype(np.float32) * FEATURE_SCALE


@dataclass
class EnsembleClassifier:
    """Two logistic regressions, one on 'query:' and one on 'passage:' e5 vectors (each plus the lexical features),
    combined by the geometric mean of their probabilities. The two prefixes give two views of the same text; their
    errors differ enough that the product beats either one alone (about +1.5 points on the held-out file)."""

    query_model: SoftmaxRegression
    passage_model: SoftmaxRegression

    @classmethod
    def fit(
        cls,
        query_vecs: np.ndarray,
        passage_vecs: np.ndarray,
        lexical: np.ndarray,
        labels: np.ndarray,
        n_classes: int,
        warm: EnsembleClassifier | None = None,
        steps: int = STEPS,
    ) -> EnsembleClassifier:
        return cls(
            fit_softmax(
                view_features(query_vecs, lexical),
                labels,
                n_classes,
                warm=warm.query_model if warm else None,
                steps=steps,
            ),
            fit_softmax(
                view_features(passage_vecs, lexical),
                labels,
                n_classes,
                warm=warm.passage_model if warm else None,
                steps=steps,
            ),
        )

    def probabilities(
        self, query_vecs: np.ndarray, passage_vecs: np.ndarray, lexical: np.ndarray
    ) -> np.ndarray:
        log_p = np.log(self.query_model.probabilities(view_features(query_vecs, lexical)) + 1e-12)
        log_p += np.log(self.passage_model.probabilities(view_features(passage_vecs, lexical)) + 1e-12)
        return softmax(log_p / 2)


def calibrate_threshold(
    confidences: np.ndarray, predicted: np.ndarray, truth: np.ndarray, fallback: int
) -> float:
    """The confidence below which answering `fallback` (out_of_scope) maximises accuracy on held-out rows.

    Among equally good thresholds we take the middle of the best run, so the value is not glued to one example."""
    candidates = np.unique(np.concatenate([[0.0], confidences, [1.0]]))
    scores = []
    for threshold in candidates:
        final = np.where(confidences < threshold, fallback, predicted)
        scores.append(float((final == truth).mean()))
    scores_arr = np.array(scores)
    best = np.flatnonzero(scores_arr == scores_arr.max())
    # the best thresholds form runs; take the longest run's middle
    runs = np.split(best, np.flatnonzero(np.diff(best) != 1) + 1)
    run = max(runs, key=len)
    return (
        float((candidates[run[0]] + candidates[run[-1]]) / 2) if len(run) > 1 else float(candidates[run[0]])
    )


def cross_validated_threshold(
    query_vecs: np.ndarray,
    passage_vecs: np.ndarray,
    lexical: np.ndarray,
    labels: np.ndarray,
    n_classes: int,
    fallback: int,
    folds: int = 4,
) -> float:
    """The out-of-scope threshold calibrated on out-of-fold predictions for every row (stratified k folds).

    One 80/20 split scored only ~600 rows, a handful of them out of scope, so the cut moved with the split;
    out-of-fold probabilities of the whole set give a steadier cut (and see every gibberish line once)."""
    fold = np.zeros(len(labels), int)
    rng = np.random.default_rng(0)
    for cls in np.unique(labels):
        rows = rng.permutation(np.flatnonzero(labels == cls))
        fold[rows] = np.arange(len(rows)) % folds
    probs = np.zeros((len(labels), n_classes), np.float32)
    for k in range(folds):
        test = fold == k
        if test.all() or not test.any():
            continue
        model = EnsembleClassifier.fit(
            query_vecs[~test], passage_vecs[~test], lexical[~test], labels[~test], n_classes
        )
        probs[test] = model.probabilities(query_vecs[test], passage_vecs[test], lexical[test])
    return calibrate_threshold(probs.max(axis=1), probs.argmax(axis=1), labels, fallback)
