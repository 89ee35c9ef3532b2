"""Hybrid retrieval over knowledge chunks: BM25 (jieba-segmented) + e5 dense vectors, fused by reciprocal rank.

The corpus is small (hundreds of passages), so both searches are exact numpy scans; passage vectors come from the
shared embedder, whose disk cache makes a restart cheap.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from shopcopilot.catalog.search.text import STOPWORDS, index_tokens
from shopcopilot.knowledge.chunking import Chunk

RRF_K = 60
# Words that make a sentence a question but say nothing about its subject.
QUESTION_WORDS = frozenset(
    [
        "how",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "can",
        "could",
        "do",
        "does",
        "did",
        "should",
        "will",
        "would",
        "if",
        "there",
        "their",
        "they",
        "them",
        "as",
        "from",
        "about",
        "its",
        "was",
        "were",
        "has",
        "have",
        "not",
        "no",
        "so",
        "than",
        "then",
        "into",
        "our",
        "your",
        "after",
        "before",
    ]
) | frozenset(
    [
        "怎么",
        "如何",
        "怎样",
        "多久",
        "多少",
        "哪些",
        "可以",
        "能",
        "能否",
        "是否",
        "不",
        "吗",
        "呢",
        "么",
        "在",
        "就",
        "会",
        "该",
        "应该",
        "需要",
    ]
)


class Embedder(Protocol):
    def embed_query(self, text: str) -> np.ndarray: ...

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    score: float  # fused reciprocal-rank score
    dense: float  # cosine similarity of question and passage
    lexical: float  # BM25 score (0 when no word is shared)


def tokens(text: str) -> list[str]:
    return [t for t in index_tokens(text) if t not in STOPWORDS and t not in QUESTION_WORDS]


class BM25:
    def __init__(self, documents: Iterable[list[str]], *, k1: float = 1.2, b: float = 0.75) -> None:
        self.docs = [Counter(doc) for doc in documents]
        self.lengths = np.array([sum(doc.values()) for doc in self.docs], dtype=np.float64)
        self.avg_length = float(self.lengths.mean()) if len(self.docs) else 0.0
        df: Counter[str] = Counter()
        for doc in self.docs:
            df.update(doc.keys())
        n = len(self.docs)
        self.idf = {term: math.log(1 + (n - freq + 0.5) / (freq + 0.5)) for term, freq in df.items()}
        self.k1, self.b = k1, b

    def scores(self, query: list[str]) -> np.ndarray:
        out = np.zeros(len(self.docs), dtype=np.float64)
        norm = self.k1 * (1 - self.b + self.b * self.lengths / max(self.avg_length, 1e-9))
        for term in set(query):
            idf = self.idf.get(term)
            if idf is None:
                continue
            tf = np.array([doc.get(term, 0) for doc in self.docs], dtype=np.float64)
            out += idf * tf * (self.k1 + 1) / (tf + norm)
        return out


class KnowledgeIndex:
    """`search(question, kbs=..., k=...)` -> fused hits, best first."""

    def __init__(self, chunks: Sequence[Chunk], embedder: Embedder) -> None:
        self.chunks = list(chunks)
        self.embedder = embedder
        self.by_id = {(c.kb, c.chunk_id): c for c in self.chunks}
        self._bm25 = BM25(tokens(c.search_text) for c in self.chunks)
        self.vectors = (
            embedder.embed_passages([c.search_text for c in self.chunks]) if self.chunks else np.zeros((0, 1))
        )
        self._kb_of = np.array([c.kb for c in self.chunks])

    def chunk(self, kb: str, chunk_id: str) -> Chunk | None:
        return self.by_id.get((kb, chunk_id))

    def search(
        self, question: str, *, kbs: Sequence[str] | None = None, k: int = 5, lang: str | None = None
    ) -> list[Hit]:
        if not self.chunks or not question.strip():
            return []
        mask = np.isin(self._kb_of, list(kbs)) if kbs else np.ones(len(self.chunks), dtype=bool)
        if not mask.any():
            return []
        dense = self.vectors @ self.embedder.embed_query(question)
        lexical = self._bm25.scores(tokens(question))
        candidates = np.flatnonzero(mask)
        fused = np.zeros(len(self.chunks), dtype=np.float64)
        dense_order = candidates[np.argsort(-dense[candidates], kind="stable")]
        for rank, row in enumerate(dense_order):
            fused[row] += 1.0 / (RRF_K + rank + 1)
        lexical_order = [
            row for row in candidates[np.argsort(-lexical[candidates], kind="stable")] if lexical[row] > 0
        ]
        for rank, row in enumerate(lexical_order):
            fused[row] += 1.0 / (RRF_K + rank + 1)
        if lang:
            # Same-language passages first when both languages say it: a small nudge, not a filter, since the
            # store policy exists only in English.
            same = np.array([c.lang == lang for c in self.chunks])
            fused[same] += 0.25 / (RRF_K + 1)
        order = candidates[np.argsort(-fused[candidates], kind="stable")][:k]
        return [
            Hit(self.chunks[row], float(fused[row]), float(dense[row]), float(lexical[row])) for row in order
        ]

    def kb_lexical(self, question: str, kb_names: Sequence[str]) -> dict[str, float]:
        """Per KB, its best BM25 score relative to the best of all KBs (0..1): do its passages use these words?"""
        lexical = self._bm25.scores(tokens(question)) if self.chunks else np.zeros(0)
        best = {name: float(lexical[self._kb_of == name].max(initial=0.0)) for name in kb_names}
        top = max(best.values(), default=0.0)
        return {name: (value / top if top > 0 else 0.0) for name, value in best.items()}

    def kb_affinity(self, question: str, kb_names: Sequence[str], *, top: int = 3) -> dict[str, float]:
        """Per KB, the mean cosine of the question to its `top` closest passages: retrieval evidence for routing."""
        if not self.chunks:
            return dict.fromkeys(kb_names, 0.0)
        dense = self.vectors @ self.embedder.embed_query(question)
        out = {}
        for name in kb_names:
            values = np.sort(dense[self._kb_of == name])[::-1][:top]
            out[name] = float(values.mean()) if len(values) else 0.0
        return out
