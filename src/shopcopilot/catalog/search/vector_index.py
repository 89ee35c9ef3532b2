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
HNSW_EF_SEARCH = 200  # recall@10 ~0.955-0.965 at 128 on the 100k benchmark; 200 buys margin for ~1 ms


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

    def remove(self, product_ids: Sequence[str]) -> None:
        for product_id in product_ids:
            row = self.row_of.pop(product_id, None)
            if row is not None:
                self.ids[row] = None
                self.hashes[row] = None
                self._dirty = True

    def rows_for(self, product_ids: Sequence[str]) -> np.ndarray:
        return np.fromiter((self.row_of[p] for p in product_ids if p in self.row_of), dtype=np.int64)

    # --- search ---------------------------------------------------------------------------------------------
    @property
    def uses_ann(self) -> bool:
        return len(self.row_of) >= self.ann_threshold

    def search(self, query: np.ndarray, k: int, rows: np.ndarray | None = None) -> list[tuple[str, float]]:
        """Top-k (product id, cosine) by ANN above the threshold, else exact; `rows` restricts to those rows
        (always exact: a restricted set is small, and filtering a graph walk afterwards loses recall)."""
        if rows is not None or not self.uses_ann:
            return self.exact_search(query, k, rows)
        index = self._graph()
        tombstones = len(self.ids) - len(self.row_of)
        want = min(len(self.ids), k + tombstones if tombstones < k else 2 * k)
        index.hnsw.efSearch = max(HNSW_EF_SEARCH, want)
        scores, found = index.search(query.reshape(1, -1).astype(np.float32), want)
        hits = [
            (self.ids[row], float(score)) for row, score in zip(found[0], scores[0], strict=True) if row >= 0
        ]
        return [(pid, score) for pid, score in hits if pid is not None][:k]

    def exact_search(
        self, query: np.ndarray, k: int, rows: np.ndarray | None = None
    ) -> list[tuple[str, float]]:
        if k <= 0 or not self.row_of:
            return []
        query = query.astype(np.float32, copy=False)
        if rows is None:
            scores = self.vectors @ query  # all rows at once: no copy of the matrix
            if len(self.row_of) != len(self.ids):
                scores[[row for row, pid in enumerate(self.ids) if pid is None]] = -np.inf
            candidates = None
        else:
            if not len(rows):
                return []
            scores = self.vectors[rows] @ query
            candidates = rows
        k = min(k, len(self.row_of) if candidates is None else len(candidates))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top])]
        found = top if candidates is None else candidates[top]
        return [(self.ids[row], float(scores[i])) for row, i in zip(found, top, strict=True)]  # type: ignore[misc]

    def _graph(self):
        import faiss

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

    # --- persistence ----------------------------------------------------------------------------------------
    def save(self) -> None:
        if not self._dirty and (self.directory / "meta.json").exists():
            return
        import faiss

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
            import faiss

            index._hnsw, index._hnsw_rows = faiss.read_index(str(graph)), len(index.ids)
        return index


def _atomic(path: Path, write) -> None:
    tmp = path.with_name(path.name + ".tmp" + path.suffix)
    write(tmp)
    os.replace(tmp, path)
