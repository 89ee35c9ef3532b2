"""Hybrid search on the real retail products in SQLite, with the real embedding model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import delete, select, text
from tests.catalog.search_catalog import OTHER_MERCHANT, RETAIL_MERCHANT

from shopcopilot.catalog.models import Product, Variant
from shopcopilot.catalog.search import SearchEngine, SearchFilters
from shopcopilot.catalog.search.models import SearchDocument
from shopcopilot.errors import InvalidInput
from shopcopilot.storage.db import Database

TSHIRT = "9523456873"
HIKING_BOOTS = "7363354090"


class CountingEmbedder:
    """The real embedder, counting the passages it is asked for (to see what a restart re-embeds)."""

    def __init__(self, real) -> None:
        self.real, self.dim, self.passages = real, real.dim, 0

    def embed_query(self, query: str):
        return self.real.embed_query(query)

    def embed_passages(self, texts):
        self.passages += len(texts)
        return self.real.embed_passages(texts)


@pytest.fixture
def engine(search_db: Database, embedder, tmp_path: Path) -> SearchEngine:
    return SearchEngine(search_db, embedder=embedder, index_dir=tmp_path / "index")


def _variants(retail_dir: Path, product_id: str) -> dict[str, dict]:
    products = json.loads((retail_dir / "products.json").read_text())
    return products[product_id]["variants"]


def test_chinese_query_ranks_blue_cotton_tshirts_first(engine: SearchEngine, retail_dir: Path) -> None:
    response = engine.search("蓝色棉质T恤", limit=5)
    top = response.hits[0]
    assert top.product_id == TSHIRT
    expected = {
        item_id
        for item_id, item in _variants(retail_dir, TSHIRT).items()
        if item["options"]["color"] == "blue" and item["options"]["material"] == "cotton"
    }
    assert expected and set(top.variant_ids) == expected
    assert response.parsed.language == "zh"
    assert response.filters.options == {"color": ["blue"], "material": ["cotton"]}


def test_budget_filters_variants_and_prices(engine: SearchEngine, retail_dir: Path) -> None:
    response = engine.search("t-shirt under $50", limit=10)
    assert response.hits[0].product_id == TSHIRT
    expected = {i for i, item in _variants(retail_dir, TSHIRT).items() if item["price"] <= 50}
    assert set(response.hits[0].variant_ids) == expected
    for hit in response.hits:
        assert hit.price_max is not None and hit.price_max <= 50
    zh = engine.search("T恤 50元以内", limit=3)
    assert zh.hits[0].product_id == TSHIRT and set(zh.hits[0].variant_ids) == expected


def test_variants_are_ordered_available_then_cheapest(engine: SearchEngine, search_db: Database) -> None:
    hit = engine.search("hiking boots", limit=1).hits[0]
    assert hit.product_id == HIKING_BOOTS
    with search_db.session() as session:
        rows = {v.id: v for v in session.scalars(select(Variant).where(Variant.product_id == HIKING_BOOTS))}
    keys = [(not rows[v].available, rows[v].price) for v in hit.variant_ids]
    assert keys == sorted(keys)
    assert len(hit.variant_ids) == len(rows)
    assert hit.price_min == min(rows[v].price for v in hit.variant_ids)


@pytest.mark.parametrize("query", ["hiking boots not leather", "不要皮的登山靴"])
def test_negation_removes_excluded_variants(engine: SearchEngine, search_db: Database, query: str) -> None:
    response = engine.search(query, limit=5)
    assert response.hits[0].product_id == HIKING_BOOTS
    with search_db.session() as session:
        options = dict(session.execute(select(Variant.id, Variant.options)).all())
    for hit in response.hits:
        assert hit.variant_ids
        for variant_id in hit.variant_ids:
            assert all(value.lower() != "leather" for value in options[variant_id].values())


@pytest.mark.parametrize(("query", "wanted"), [("有没有防水的登山鞋", "yes"), ("hiking boots not waterproof", "no")])
def test_yes_no_option_filters_variants(engine: SearchEngine, search_db: Database, query: str, wanted: str) -> None:
    response = engine.search(query, limit=5)
    assert response.hits[0].product_id == HIKING_BOOTS
    with search_db.session() as session:
        options = dict(session.execute(select(Variant.id, Variant.options)).all())
    boots = response.hits[0].variant_ids
    assert boots and all(options[variant_id]["waterproof"] == wanted for variant_id in boots)


def test_excluded_product_type(engine: SearchEngine) -> None:
    names = [hit.name for hit in engine.search("headphones but not earbuds", limit=10).hits]
    assert names[0] == "Headphones"
    assert "Wireless Earbuds" not in names


def test_merchant_category_and_availability_filters(engine: SearchEngine) -> None:
    mine = engine.search("lamp", limit=10, merchant_id=OTHER_MERCHANT)
    assert {hit.merchant_id for hit in mine.hits} == {OTHER_MERCHANT}
    assert mine.hits[0].product_id == "other-lamp"
    retail = engine.search("lamp", limit=10, merchant_id=RETAIL_MERCHANT)
    assert retail.hits and all(hit.merchant_id == RETAIL_MERCHANT for hit in retail.hits)
    in_stock = engine.search("reading lamp in stock", limit=60)
    assert "other-lamp" not in {hit.product_id for hit in in_stock.hits}
    assert all(hit.available for hit in in_stock.hits)
    apparel = engine.search("summer top", filters=SearchFilters(category_id="apparel"), limit=5)
    assert [hit.product_id for hit in apparel.hits] == ["other-tee"]


def test_chinese_content_is_indexed(engine: SearchEngine) -> None:
    assert engine.search("透气亚麻上衣", limit=3).hits[0].product_id == "other-tee"
    assert engine.search("适合海边度假的衣服", limit=3).hits[0].product_id == "other-tee"


def test_explicit_filters_override_the_text(engine: SearchEngine) -> None:
    response = engine.search("blue t-shirt", filters=SearchFilters(options={"color": ["red"]}), limit=3)
    assert response.hits[0].product_id == TSHIRT
    assert response.filters.options == {"color": ["red"]}
    only_filters = engine.search("", filters=SearchFilters(price_max=30), limit=5)
    assert only_filters.hits and all(hit.price_min <= 30 for hit in only_filters.hits)


def test_reindex_follows_product_changes(engine: SearchEngine, search_db: Database) -> None:
    engine.search("yoga mat", limit=1)
    yoga = engine.search("yoga mat", limit=1).hits[0].product_id
    with search_db.session() as session:
        session.get(Product, yoga).name = "Meditation Cushion"
    assert engine.reindex([yoga]) == 1
    assert engine.reindex([yoga]) == 0  # nothing changed since
    assert engine.search("meditation cushion", limit=1).hits[0].product_id == yoga
    with search_db.session() as session:
        session.execute(delete(Variant).where(Variant.product_id == TSHIRT))
        session.execute(delete(Product).where(Product.id == TSHIRT))
    engine.reindex([TSHIRT])
    assert TSHIRT not in {hit.product_id for hit in engine.search("t-shirt", limit=20).hits}
    with search_db.session() as session:
        assert session.scalar(select(SearchDocument).where(SearchDocument.product_id == TSHIRT)) is None
        assert session.execute(text("SELECT count(*) FROM search_fts")).scalar() == 51


def test_restart_reuses_the_saved_vectors(search_db: Database, embedder, tmp_path: Path) -> None:
    first = CountingEmbedder(embedder)
    SearchEngine(search_db, embedder=first, index_dir=tmp_path / "index").search("tablet", limit=1)
    assert first.passages == 52
    second = CountingEmbedder(embedder)
    hits = (
        SearchEngine(search_db, embedder=second, index_dir=tmp_path / "index").search("tablet", limit=1).hits
    )
    assert second.passages == 0
    assert hits[0].name == "Tablet"


def test_ann_index_agrees_with_exact_search(search_db: Database, embedder, tmp_path: Path) -> None:
    ann = SearchEngine(search_db, embedder=embedder, index_dir=tmp_path / "ann", ann_threshold=10)
    exact = SearchEngine(search_db, embedder=embedder, index_dir=tmp_path / "exact")
    for query in ("蓝色棉质T恤", "something to make espresso at home", "waterproof smart watch"):
        assert ann._load().uses_ann or ann.search(query).hits  # loads the index
        assert [h.product_id for h in ann.search(query, limit=3).hits] == [
            h.product_id for h in exact.search(query, limit=3).hits
        ]
    assert ann._load().uses_ann and (tmp_path / "ann" / "hnsw.faiss").exists()


def test_bad_input_is_refused(engine: SearchEngine) -> None:
    for call in (
        lambda: engine.search("lamp", limit=0),
        lambda: engine.search("lamp", limit=1000),
        lambda: engine.search("   "),
        lambda: engine.search("lamp", filters=SearchFilters(price_min=10, price_max=5)),
        lambda: engine.search(None),  # type: ignore[arg-type]
    ):
        with pytest.raises(InvalidInput):
            call()
