"""Product vectors: exact inner product with numpy for small catalogs, faiss HNSW above a threshold.

Vectors are L2-normalised, so inner product is cosine similarity. The index lives in a directory (vectors.npy,
meta.json, hnsw.faiss) and records each product's content hash, so a restart only re-embeds products whose text
changed. HNSW cannot delete: an updated product gets a new row and its old row becomes a tombstone that searches
skip; when tombstones pass 10% of the rows the graph is rebuilt.

The same index serves SQLite and PostgreSQL (no pgvector): vectors are derived data, rebuilt from
`search_documents.passage` and the passage cache; an in-process HNSW answers in about a millisecond where a
database round trip costs more; and `CREATE EXTENSION vector` needs rights a hosted database may not give.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ANN_THRESHOLD = 20_000  # below this, exact search over all rows is faster than walking a graph
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 128  # recall@10 0.956 on the 100k benchmark (0.949 at 96); see benchmarks/search.py


class VectorIndex:
    def __init__(self, directory: Path, dim: int, *, ann_threshold: int = ANN_THRESHOLD) -> None:
        self.directory = directory
        self.dim = dim
        self.ann_threshold = ann_threshold
        self.vectors = np.zeros((0, dim), dtype=np.float32)
        self.ids: list[str | None] = []  # row -> product id; None marks a tombstone
        self.hashes: list[str | None] = []
        self.row_of: dict[str, int] = {}
        self._hnsw = None  # faiss.IndexHNSWFlat over rows [0, _hnsw_rows)
        self._hnsw_rows = 0
        self._dirty = False
        self.version = 0  # bumped whenever rows change: callers key row maps on it
        self._dead: tuple[int, np.ndarray] | None = None
        self._live_mask: tuple[int, np.ndarray] | None = None

    # --- contents -------------------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.row_of)

    def hash_of(self, product_id: str) -> str | None:
        row = self.row_of.get(product_id)
        return self.hashes[row] if row is not None else None

    def upsert(self, product_ids: Sequence[str], hashes: Sequence[str], vectors: np.ndarray) -> None:
        if not len(product_ids):
            return
        vectors = np.ascontiguousarray(vectors, dtype=np.float32).reshape(len(product_ids), self.dim)
        self.remove(product_ids)
        start = len(self.ids)
        self.vectors = np.vstack([self.vectors, vectors]) if start else vectors.copy()
        for offset, (product_id, digest) in enumerate(zip(product_ids, hashes, strict=True)):
            self.ids.append(product_id)
            self.hashes.append(digest)
            self.row_of[product_id] = start + offset
        self._dirty = True
        self.version += 1

    def remove(self, product_ids: Sequence[str]) -> None:
        for product_id in product_ids:
            row = self.row_of.pop(product_id, None)
            if row is not None:
                self.ids[row] = None
                self.hashes[row] = None
                self._dirty = True
                self.version += 1

    def rows_for(self, product_ids: Sequence[str]) -> np.ndarray:
        return np.fromiter((self.row_of[p] for p in product_ids if p in self.row_of), dtype=np.int64)

    # --- search ---------------------------------------------------------------------------------------------
    @property
    def uses_ann(self) -> bool:
        return len(self.row_of) >= self.ann_threshold

    def search(self, query: np.ndarray, k: int, rows: np.ndarray | None = None) -> list[tuple[str, float]]:
        """Top-k (product id, cosine) by ANN above the threshold, else exact; `rows` restricts to those rows
        (always exact: a restricted set is small, and filtering a graph walk afterwards loses recall)."""
        found, scores = self.search_rows(query, k) if rows is None else self.exact_rows(query, k, rows)
        return self._pairs(found, scores)

    def exact_search(
        self, query: np.ndarray, k: int, rows: np.ndarray | None = None
    ) -> list[tuple[str, float]]:
        return self._pairs(*self.exact_rows(query, k, rows))

    def _pairs(self, rows: np.ndarray, scores: np.ndarray) -> list[tuple[str, float]]:
        ids = self.ids
        return [(ids[row], score) for row, score in zip(rows.tolist(), scores.tolist(), strict=True)]  # type: ignore[misc]

    def search_rows(
        self, query: np.ndarray, k: int, allowed: np.ndarray | None = None, ef: int | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Top-k (rows, cosines), best first: the graph above the threshold, else exact. `allowed` (a boolean
        mask over rows) makes the graph walk skip the others as results while still walking through them."""
        if not self.uses_ann:
            rows = None if allowed is None else np.flatnonzero(allowed)
            return self.exact_rows(query, k, rows)
        index = self._graph()
        tombstones = len(self.ids) - len(self.row_of)
        want = min(len(self.ids), k + tombstones if tombstones < k else 2 * k)
        ef = max(HNSW_EF_SEARCH, want, ef or 0)
        query = query.reshape(1, -1).astype(np.float32, copy=False)
        if allowed is None:
            index.hnsw.efSearch = ef
            scores, found = index.search(query, want)
        else:
            faiss = _faiss()
            bits = np.packbits(allowed & self._live(), bitorder="little")
            params = faiss.SearchParametersHNSW(
                sel=faiss.IDSelectorBitmap(len(allowed), faiss.swig_ptr(bits))
            )
            params.efSearch = ef
            scores, found = index.search(query, want, params=params)
        found, scores = found[0], scores[0]
        keep = found >= 0
        if tombstones:
            keep[keep] = self._live()[found[keep]]
        return found[keep][:k], scores[keep][:k]

    def exact_rows(
        self, query: np.ndarray, k: int, rows: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        empty = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32))
        if k <= 0 or not self.row_of or (rows is not None and not len(rows)):
            return empty
        query = query.astype(np.float32, copy=False)
        if rows is None:
            scores = self.vectors @ query  # all rows at once: no copy of the matrix
            if len(self.row_of) != len(self.ids):
                scores[self._dead_rows()] = -np.inf
        else:
            scores = self.vectors[rows] @ query
        k = min(k, len(self.row_of) if rows is None else len(rows))
        top = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
        top = top[np.argsort(-scores[top], kind="stable")]
        return (top if rows is None else np.asarray(rows)[top]), scores[top]

    def _live(self) -> np.ndarray:
        if self._live_mask is None or self._live_mask[0] != self.version:
            live = np.ones(len(self.ids), dtype=bool)
            live[self._dead_rows()] = False
            self._live_mask = (self.version, live)
        return self._live_mask[1]

    def _dead_rows(self) -> np.ndarray:
        if self._dead is None or self._dead[0] != self.version:
            dead = np.fromiter((row for row, pid in enumerate(self.ids) if pid is None), dtype=np.int64)
            self._dead = (self.version, dead)
        return self._dead[1]

    def _graph(self):
        faiss = _faiss()

        tombstones = len(self.ids) - len(self.row_of)
        if self._hnsw is not None and tombstones > 0.1 * max(len(self.ids), 1):
            self.compact()
        if self._hnsw is None:
            self._hnsw = faiss.IndexHNSWFlat(self.dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
            self._hnsw.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
            self._hnsw_rows = 0
        if self._hnsw_rows < len(self.ids):
            self._hnsw.add(self.vectors[self._hnsw_rows :])
            self._hnsw_rows = len(self.ids)
        return self._hnsw

    def compact(self) -> None:
        """Drop tombstoned rows (the graph is rebuilt on the next ANN search)."""
        live = [row for row, product_id in enumerate(self.ids) if product_id is not None]
        self.vectors = self.vectors[live] if live else np.zeros((0, self.dim), dtype=np.float32)
        self.ids = [self.ids[row] for row in live]
        self.hashes = [self.hashes[row] for row in live]
        self.row_of = {product_id: row for row, product_id in enumerate(self.ids)}  # type: ignore[misc]
        self._hnsw, self._hnsw_rows, self._dirty = None, 0, True
        self.version += 1

    # --- persistence ----------------------------------------------------------------------------------------
    def save(self) -> None:
        if not self._dirty and (self.directory / "meta.json").exists():
            return
        faiss = _faiss()

        self.directory.mkdir(parents=True, exist_ok=True)
        if len(self.ids) != len(self.row_of):
            self.compact()
        if self.uses_ann:
            self._graph()
        _atomic(self.directory / "vectors.npy", lambda path: np.save(path, self.vectors))
        if self._hnsw is not None and self.uses_ann:
            _atomic(self.directory / "hnsw.faiss", lambda path: faiss.write_index(self._hnsw, str(path)))
        else:
            (self.directory / "hnsw.faiss").unlink(missing_ok=True)
        meta = {"dim": self.dim, "ids": self.ids, "hashes": self.hashes, "hnsw_rows": self._hnsw_rows}
        _atomic(self.directory / "meta.json", lambda path: path.write_text(json.dumps(meta)))
        self._dirty = False

    @classmethod
    def load(cls, directory: Path, dim: int, *, ann_threshold: int = ANN_THRESHOLD) -> VectorIndex:
        """The saved index, or an empty one when there is none (or it was made for another model size)."""
        index = cls(directory, dim, ann_threshold=ann_threshold)
        meta_path = directory / "meta.json"
        if not meta_path.exists():
            return index
        meta = json.loads(meta_path.read_text())
        vectors = np.load(directory / "vectors.npy")
        if meta.get("dim") != dim or len(vectors) != len(meta["ids"]):
            return index
        index.vectors = vectors.astype(np.float32, copy=False)
        index.ids, index.hashes = meta["ids"], meta["hashes"]
        index.row_of = {pid: row for row, pid in enumerate(index.ids) if pid is not None}
        graph = directory / "hnsw.faiss"
        if graph.exists() and meta.get("hnsw_rows") == len(index.ids):
            faiss = _faiss()

            index._hnsw, index._hnsw_rows = faiss.read_index(str(graph)), len(index.ids)
        return index


def _faiss():
    import faiss

    # One thread: a single query's graph walk gains nothing from OpenMP, and on a small shared machine the
    # threads fight the embedder and each other.
    faiss.omp_set_num_threads(1)
    return faiss


def _atomic(path: Path, write) -> None:
    tmp = path.with_name(path.name + ".tmp" + path.suffix)
    write(tmp)
    os.replace(tmp, path)
