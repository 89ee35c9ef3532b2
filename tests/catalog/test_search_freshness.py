"""Prices, stock and deletions reach search without a reindex (the variant change log), in SQLite."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, text
from tests.catalog.search_catalog import OTHER_MERCHANT

from shopcopilot.catalog.models import Variant
from shopcopilot.catalog.search import SearchEngine
from shopcopilot.catalog.search.change_log import VariantChangeLog
from shopcopilot.storage.db import Database

TSHIRT = "9523456873"


@pytest.fixture
def engine(search_db: Database, embedder, tmp_path: Path) -> SearchEngine:
    engine = SearchEngine(search_db, embedder=embedder, index_dir=tmp_path / "index")
    engine.search("warm-up", limit=1)
    return engine


def _tshirt_prices(database: Database) -> dict[str, float]:
    with database.session() as session:
        return dict(
            session.execute(select(Variant.id, Variant.price).where(Variant.product_id == TSHIRT)).all()
        )


def test_price_cut_shows_up_without_reindex(engine: SearchEngine, search_db: Database) -> None:
    prices = _tshirt_prices(search_db)
    budget = round(min(prices.values()) / 2, 2)
    query = f"t-shirt under ${budget}"
    assert TSHIRT not in {hit.product_id for hit in engine.search(query, limit=20).hits}
    cut = sorted(prices)[0]
    with search_db.session() as session:
        session.get(Variant, cut).price = budget - 1
    hit = next(hit for hit in engine.search(query, limit=20).hits if hit.product_id == TSHIRT)
    assert hit.variant_ids == [cut]
    assert hit.price_min == hit.price_max == budget - 1
    with search_db.session() as session:
        session.get(Variant, cut).price = prices[cut]
    assert TSHIRT not in {hit.product_id for hit in engine.search(query, limit=20).hits}


def test_stock_and_deleted_variants_without_reindex(engine: SearchEngine, search_db: Database) -> None:
    assert "other-lamp" not in {h.product_id for h in engine.search("reading lamp in stock", limit=60).hits}
    with search_db.session() as session:
        session.get(Variant, "other-lamp-1").available = True
    in_stock = engine.search("reading lamp in stock", limit=60).hits
    assert "other-lamp" in {h.product_id for h in in_stock}
    with search_db.session() as session:
        session.delete(session.get(Variant, "other-lamp-1"))
    mine = engine.search("lamp under $100", merchant_id=OTHER_MERCHANT, limit=5).hits
    assert "other-lamp" not in {h.product_id for h in mine}


def test_trimmed_log_means_a_full_reload(engine: SearchEngine, search_db: Database) -> None:
    log = engine._changes
    for price in (36.0, 37.0):
        with search_db.session() as session:
            session.get(Variant, "other-tee-1").price = price
    engine.search("linen tee", limit=1)
    seen = log.seen
    assert seen >= 2
    with search_db.session() as session:
        session.get(Variant, "other-tee-1").price = 12.0
        session.execute(text("DELETE FROM search_fts_changes WHERE id <= :seen"), {"seen": seen})
    probe = VariantChangeLog(search_db.engine)
    probe.seen = seen - 1
    with search_db.engine.connect() as conn:
        changed, _ = probe.poll(conn.connection.driver_connection)
    assert changed is None  # what it had not read yet was trimmed away
    hit = engine.search("linen tee under $20", limit=1).hits[0]
    assert hit.product_id == "other-tee" and hit.price_min == 12.0


def test_log_is_trimmed_and_search_stays_current(
    search_db: Database, embedder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from shopcopilot.catalog.search import change_log

    monkeypatch.setattr(change_log, "TRIM_ABOVE", 3)
    monkeypatch.setattr(change_log, "TRIM_TO", 1)
    engine = SearchEngine(search_db, embedder=embedder, index_dir=tmp_path / "index")
    engine.search("warm-up", limit=1)
    for price in (5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0):
        with search_db.session() as session:
            session.get(Variant, "other-tee-1").price = price
        hit = engine.search("linen tee", limit=1).hits[0]
        assert hit.product_id == "other-tee" and hit.price_min == price
    with search_db.engine.connect() as conn:
        left = conn.exec_driver_sql("SELECT count(*) FROM search_fts_changes").scalar()
    assert left < 7
