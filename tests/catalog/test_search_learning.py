"""The ranker learns from what shoppers choose after a search: the chosen product rises for queries that share the
words, never enters results it was not in, and one shopper choosing it again and again counts once."""

from __future__ import annotations

from pathlib import Path

import pytest

from shopcopilot.catalog.search import SearchEngine
from shopcopilot.catalog.search.interactions import boost, learned_counts, record_interaction
from shopcopilot.errors import InvalidInput, NotFound
from shopcopilot.storage.db import Database

QUERY = "outdoor gear"  # matches several products, none of them by its type name


@pytest.fixture
def engine(search_db: Database, embedder, tmp_path: Path) -> SearchEngine:
    return SearchEngine(search_db, embedder=embedder, index_dir=tmp_path / "index")


def _ranked(engine: SearchEngine, query: str) -> list[str]:
    engine.learned.refresh()
    return [hit.product_id for hit in engine.search(query, limit=10).hits]


def _choose(database: Database, query: str, product_id: str, choosers: list[str], kind: str = "add_to_cart") -> None:
    with database.session() as session:
        for chooser in choosers:
            record_interaction(session, query=query, product_id=product_id, kind=kind, chooser=chooser)


def test_a_product_shoppers_choose_rises_for_the_same_words(engine: SearchEngine, search_db: Database) -> None:
    before = _ranked(engine, QUERY)
    assert len(before) >= 5
    chosen = before[3]
    unrelated_before = _ranked(engine, "coffee maker")
    _choose(search_db, "outdoor gear for the weekend", chosen, ["alice", "bob", "carol", "dave"])
    after = _ranked(engine, QUERY)
    assert after.index(chosen) < before.index(chosen)
    assert set(after) == set(before)  # reordered, nothing brought in
    assert _ranked(engine, "coffee maker") == unrelated_before  # other words: untouched


def test_one_shopper_choosing_again_and_again_counts_once(search_db: Database) -> None:
    _choose(search_db, "outdoor gear", "6938111410", ["mallory"] * 20)
    _choose(search_db, "outdoor gear", "6938111410", ["mallory"], kind="purchase")
    with search_db.session() as session:
        counts = learned_counts(session)
    assert counts["outdoor"]["6938111410"] == pytest.approx(1.5)  # her strongest action, once
    assert boost(1.5) < boost(3.0) < boost(100.0) <= 0.005


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"query": "tent", "product_id": "nope", "kind": "click", "chooser": "a"}, NotFound),
        ({"query": "tent", "product_id": "6938111410", "kind": "like", "chooser": "a"}, InvalidInput),
        ({"query": " ", "product_id": "6938111410", "kind": "click", "chooser": "a"}, InvalidInput),
        ({"query": "tent", "product_id": "6938111410", "kind": "click", "chooser": ""}, InvalidInput),
    ],
)
def test_bad_choices_are_refused(search_db: Database, kwargs: dict, error) -> None:
    with pytest.raises(error), search_db.session() as session:
        record_interaction(session, **kwargs)
    with search_db.session() as session:
        assert learned_counts(session) == {}
