"""The fast paths against their slow references: fusion, numpy BM25 against FTS5, filtered vector search."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
from tests.catalog.search_catalog import OTHER_MERCHANT

from shopcopilot.catalog.search import SearchEngine
from shopcopilot.catalog.search.ranking import RRF_K, fuse
from shopcopilot.catalog.search.vector_index import VectorIndex
from shopcopilot.storage.db import Database


def test_fuse_is_reciprocal_rank_fusion() -> None:
    rng = random.Random(5)
    for _ in range(20):
        lists = [rng.sample(range(40), rng.randint(0, 25)) for _ in range(rng.randint(1, 3))]
        expected: dict[int, float] = {}
        for ranked in lists:
            for rank, row in enumerate(ranked):
                expected[row] = expected.get(row, 0.0) + 1.0 / (RRF_K + rank + 1)
        rows, scores = fuse([np.asarray(r, dtype=np.int64) for r in lists])
        assert dict(zip(rows.tolist(), scores.tolist(), strict=True)) == expected
        assert list(scores) == sorted(scores, reverse=True)


def test_numpy_bm25_equals_fts5(search_db: Database, embedder, tmp_path: Path) -> None:
    engine = SearchEngine(search_db, embedder=embedder, index_dir=tmp_path / "index")
    engine.search("warm-up", limit=1)
    fulltext = engine.fulltext
    for terms in (
        ["black", "white"],
        ["t恤", "cotton", "blue"],
        ["desk", "lamp", "light"],
        ["water", "bottle", "steel"],
    ):
        docs, scores = fulltext.search_docs(terms, 20)
        match = " OR ".join(f'"{t}"' for t in terms)
        with search_db.engine.connect() as conn:
            rows = conn.exec_driver_sql(
                "SELECT rowid, bm25(search_fts) FROM search_fts WHERE search_fts MATCH ? "
                "ORDER BY bm25(search_fts), rowid LIMIT 20",
                (match,),
            ).all()
        assert len(rows) > 1 and list(docs) == [rowid for rowid, _ in rows]
        assert np.allclose(scores, [-score for _, score in rows])


def test_narrow_filters_look_beyond_the_top_candidates(search_db: Database, embedder, tmp_path: Path) -> None:
    engine = SearchEngine(search_db, embedder=embedder, index_dir=tmp_path / "index", candidates=5)
    response = engine.search(
        "mechanical keyboard", merchant_id=OTHER_MERCHANT, limit=1
    )  # lists of 10 candidates
    vectors = engine._load()
    query_vector = embedder.embed_query(response.parsed.text)
    top = {pid for pid, _ in vectors.search(query_vector, 10)}
    lexical = {pid for pid, _ in engine.fulltext.search(response.parsed.terms, 10)}
    assert not (top | lexical) & {"other-tee", "other-lamp"}  # neither is near a keyboard...
    assert [hit.merchant_id for hit in response.hits] == [OTHER_MERCHANT]  # ...yet the merchant's are found


def test_filtered_graph_walk_returns_only_allowed_rows(tmp_path: Path) -> None:
    rng = np.random.default_rng(8)
    centres = rng.normal(size=(40, 32))
    vectors = centres[rng.integers(0, 40, 3000)] + 0.3 * rng.normal(size=(3000, 32))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index = VectorIndex(tmp_path, 32, ann_threshold=100)
    index.upsert([f"p{i}" for i in range(3000)], ["h"] * 3000, vectors.astype(np.float32))
    index.remove(["p1", "p2"])  # tombstones are never returned
    assert index.uses_ann
    hits = 0
    for _ in range(10):
        query = vectors[rng.integers(0, 3000)] + 0.1 * rng.normal(size=32)
        query = (query / np.linalg.norm(query)).astype(np.float32)
        allowed = rng.random(3000) < 0.1
        allowed[[1, 2]] = True
        found, scores = index.search_rows(query, 10, allowed)
        assert len(found) == 10 and allowed[found].all() and not {1, 2} & set(found.tolist())
        assert list(scores) == sorted(scores, reverse=True)
        live_allowed = np.setdiff1d(np.flatnonzero(allowed), [1, 2])
        exact, _ = index.exact_rows(query, 10, live_allowed)
        hits += len(set(found.tolist()) & set(exact.tolist()))
    assert hits >= 90  # recall@10 among the allowed rows
