"""Listing from photo with the real cutout, OCR, embedder and classifier."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from product_photos import product_photo
from shopcopilot.catalog.models import Merchant, Product, Variant
from shopcopilot.errors import InvalidInput
from shopcopilot.merchant.listing_draft import draft_listing

REQUIRED = {
    "category",
    "brand",
    "colours",
    "title",
    "description",
    "selling_points",
    "price_band",
    "attributes",
    "evidence",
}


@pytest.fixture
def bottle_store(empty_db):
    with empty_db.session() as s:
        s.add(Merchant(id="retail", name="Retail store"))
        s.flush()
        for pid, name, prices in (
            ("wb", "Water Bottle", (20.0, 30.0)),
            ("cm", "Coffee Maker", (90.0, 110.0)),
            ("hb", "Hiking Boots", (200.0, 240.0)),
        ):
            s.add(Product(id=pid, merchant_id="retail", name=name))
            s.flush()
            for n, price in enumerate(prices):
                s.add(Variant(id=f"{pid}{n}", product_id=pid, price=price, options={"n": str(n)}))
    return empty_db


def test_draft_from_a_photo_with_known_colour_and_text(bottle_store):
    with bottle_store.session() as s:
        draft = draft_listing(
            [product_photo(body=(30, 90, 200))], session=s, merchant_id="retail", classify=None
        )
    assert set(draft) >= REQUIRED
    assert draft["brand"] == "AQUAPEAK"
    assert draft["colours"][0]["name"] == "blue"
    assert "grey" not in [c["name"] for c in draft["colours"]] and "white" not in [
        c["name"] for c in draft["colours"]
    ]
    assert draft["attributes"]["material"] == "stainless steel"
    assert draft["attributes"]["capacity"] == "750ml"
    assert draft["category"]["id"] == "sports-fitness"  # the store's category of Water Bottle
    assert "Water Bottle" in draft["title"] and "AQUAPEAK" in draft["title"]
    assert draft["price_band"]["similar_products"][0]["name"] == "Water Bottle"
    assert 20.0 <= draft["price_band"]["suggested"] <= 30.0
    assert draft["variants"][0]["options"] == {"color": "blue", "capacity": "750ml"}
    for key in ("colours", "brand", "material", "capacity", "category", "price_band"):
        assert key in draft["evidence"]


def test_draft_uses_the_classifier_on_a_packaged_photo(bottle_store):
    from skimage import data

    buffer = io.BytesIO()
    Image.fromarray(data.coffee()).save(buffer, "PNG")
    with bottle_store.session() as s:
        draft = draft_listing([buffer.getvalue()], session=s, merchant_id="retail")
    labels = [entry["label"] for entry in draft["evidence"]["classifier"]]
    assert {"espresso", "cup", "coffee mug"} & set(labels[:3])
    assert draft["category"]["id"] == "kitchen"


def test_bad_photo_counts_are_refused(bottle_store):
    with bottle_store.session() as s:
        with pytest.raises(InvalidInput):
            draft_listing([], session=s, merchant_id="retail", classify=None)
        with pytest.raises(InvalidInput):
            draft_listing([b"x"] * 6, session=s, merchant_id="retail", classify=None)
        with pytest.raises(InvalidInput):
            draft_listing([b"not an image"], session=s, merchant_id="retail", classify=None)


def test_draft_copy_from_an_llm_is_checked_against_what_the_photo_shows(bottle_store):
    from shopcopilot.models.llm.function_model import FunctionLLM

    good = {
        "title": "AQUAPEAK 750ml Stainless Steel Water Bottle",
        "description": "A stainless steel AQUAPEAK bottle in blue that holds 750ml.",
        "selling_points": ["Holds 750ml", "Stainless steel"],
    }
    red = {**good, "description": "A stainless steel AQUAPEAK bottle in red that holds 750ml."}
    photo = product_photo(body=(30, 90, 200))

    def draft_with(reply: dict) -> dict:
        with bottle_store.session() as s:
            llm = FunctionLLM(lambda messages, info: reply)
            return draft_listing([photo], session=s, merchant_id="retail", classify=None, llm=llm)

    drafted, refused = draft_with(good), draft_with(red)
    assert drafted["title"] == good["title"] and drafted["selling_points"] == good["selling_points"]
    assert drafted["evidence"]["copy"] == "LLM from the facts above, checked against them"
    assert refused["description"] != red["description"] and "blue" in refused["description"]
    assert refused["evidence"]["copy"].startswith("template") and "red" in refused["evidence"]["copy"]
