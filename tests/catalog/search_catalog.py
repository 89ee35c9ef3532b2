"""The catalog the search tests run on: the real retail store plus a second, smaller merchant."""

from __future__ import annotations

from pathlib import Path

from shopcopilot.catalog.models import Category, Merchant, Product, ProductContent, Variant
from shopcopilot.catalog.retail_io import RETAIL_MERCHANT_ID, load_retail
from shopcopilot.storage.db import Database

RETAIL_MERCHANT = RETAIL_MERCHANT_ID
OTHER_MERCHANT = "other-shop"


def add_second_merchant(database: Database) -> None:
    """A second merchant with two products (a tee with Chinese content only, and a lamp nobody can buy), so that
    merchant, category and availability filters and Chinese content have something to do."""
    with database.session() as session:
        session.add(Merchant(id=OTHER_MERCHANT, name="Other shop", name_zh="另一家店"))
        session.add(Category(id="apparel", name="Apparel", name_zh="服装"))
        session.flush()
        tee = Product(id="other-tee", merchant_id=OTHER_MERCHANT, category_id="apparel", name="Linen Tee")
        tee.name_zh = "亚麻短袖上衣"
        tee.variants.append(
            Variant(id="other-tee-1", options={"color": "blue", "size": "M", "material": "linen"}, price=35.0)
        )
        tee.content = ProductContent(
            description_zh="夏天穿的透气亚麻上衣，适合海边度假。", features_zh=["透气", "速干"]
        )
        lamp = Product(id="other-lamp", merchant_id=OTHER_MERCHANT, name="Reading Lamp")
        lamp.variants.append(
            Variant(id="other-lamp-1", options={"color": "white"}, price=25.0, available=False)
        )
        session.add_all([tee, lamp])


def build_search_catalog(database: Database, retail_dir: Path) -> None:
    """The real retail store (50 products, 591 variants, its shoppers and orders) and the second merchant."""
    with database.session() as session:
        load_retail(session, retail_dir)
    add_second_merchant(database)
