"""Which knowledge base(s) a question is for: a nearest-prototype classifier with retrieval evidence.

Each base has prototypes (its description in English and Chinese, and example questions in both languages). A
question's prototype score for a base is the mean cosine of its `top` closest prototypes (multilingual e5 query
vectors, so an English prototype also serves a Chinese question). When an index is given, the base's retrieval
affinity (how close its best passages are) and, as a tie-breaker, its best BM25 score are blended in, which keeps
routing right for questions unlike any example.
Bases scoring within `margin` of the best are routed too: a question about return windows may need both the store
policy and the merchant rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from shopcopilot.knowledge.index import Embedder, KnowledgeIndex
    from shopcopilot.knowledge.registry import KnowledgeBase

PROTOTYPE_WEIGHT = 0.6
# Lexical evidence is a tie-breaker: product and operation names are words that only one base uses.
LEXICAL_WEIGHT = 0.02
DEFAULT_MARGIN = 0.012


class KnowledgeRouter:
    def __init__(
        self,
        bases: Sequence[KnowledgeBase],
        embedder: Embedder,
        *,
        index: KnowledgeIndex | None = None,
        top: int = 3,
        margin: float = DEFAULT_MARGIN,
        max_bases: int = 2,
    ) -> None:
        self.names = [base.name for base in bases]
        self.embedder = embedder
        self.index = index
        self.top = top
        self.margin = margin
        self.max_bases = max_bases
        self._prototypes: dict[str, np.ndarray] = {}
        for base in bases:
            texts = [base.description, base.description_zh, *base.examples]
            self._prototypes[base.name] = np.stack([embedder.embed_query(text) for text in texts])

    def scores(self, question: str) -> dict[str, float]:
        """Every base's score for the question, higher is closer."""
        vector = self.embedder.embed_query(question)
        prototype = {}
        for name, matrix in self._prototypes.items():
            sims = np.sort(matrix @ vector)[::-1][: self.top]
            prototype[name] = float(sims.mean())
        if self.index is None:
            return prototype
        affinity = self.index.kb_affinity(question, self.names, top=self.top)
        lexical = self.index.kb_lexical(question, self.names)
        return {
            name: PROTOTYPE_WEIGHT * prototype[name]
            + (1 - PROTOTYPE_WEIGHT) * affinity[name]
            + LEXICAL_WEIGHT * lexical[name]
            for name in self.names
        }

    def route(self, question: str) -> list[tuple[str, float]]:
        """The chosen bases with their scores, best first: always one, more when they are nearly as close."""
        if not question.strip():
            return []
        ranked = sorted(self.scores(question).items(), key=lambda item: item[1], reverse=True)
        best = ranked[0][1]
        chosen = [(name, score) for name, score in ranked if best - score <= self.margin]
        return chosen[: self.max_bases]
