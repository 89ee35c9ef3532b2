"""Publishing a draft on real tables with the real studio: every display slot is rendered by default, each image at
its slot's size with the product untouched; an invalid listing writes nothing."""

from __future__ import annotations

import json

import pytest
from PIL import Image
from sqlalchemy import func, select

from mini_store import build_mini_store
from product_photos import product_photo
from shopcopilot.catalog.models import Product, ProductContent
from shopcopilot.errors import InvalidInput
from shopcopilot.merchant.publish import listing_slots, publish_listing
from shopcopilot.studio.slots import load_slots

LISTING = {
    "title": "Aquapeak Bottle",
    "description": "A stainless steel bottle.",
    "selling_points": ["750ml capacity"],
    "brand": "AQUAPEAK",
    "category": "audio",
    "variants": [{"options": {"color": "red"}, "price": 24.5, "stock": 3}],
}


@pytest.fixture
def store(empty_db):
    build_mini_store(empty_db)
    return empty_db


@pytest.fixture
def image_root(tmp_path):
    return tmp_path / "listing_images"  # tmp_path itself holds the database


def test_every_slot_of_the_studio_is_rendered_by_default(store, image_root) -> None:
    studio_slots = load_slots()
    assert set(listing_slots()) == set(studio_slots) >= {"square", "portrait", "banner", "story", "thumbnail"}
    with store.session() as s:
        created = publish_listing(s, "m1", LISTING, photo=product_photo(), image_root=image_root)
    images = created["images"]
    assert [image["slot"] for image in images] == list(studio_slots)
    for image in images:
        slot = studio_slots[image["slot"]]
        assert image["faithful"] is True
        assert image["path"].startswith(str(image_root / created["product_id"]))
        with Image.open(image["path"]) as rendered:
            assert rendered.size == (slot.width, slot.height) == (image["width"], image["height"])
        report = json.loads((image_root / created["product_id"] / f"{slot.name}.report.json").read_text())
        assert report["fidelity"]["pixels"]["changed"] == 0
    with store.session() as s:
        content = s.get(ProductContent, created["product_id"])
        assert [image["slot"] for image in content.images] == list(studio_slots)
        assert content.features == ["750ml capacity"] and content.keywords == ["AQUAPEAK"]


def test_named_slots_are_the_only_ones_rendered(store, image_root) -> None:
    with store.session() as s:
        created = publish_listing(
            s, "m1", LISTING, photo=product_photo(), slots=("thumbnail", "300x600"), image_root=image_root
        )
    assert [(i["slot"], i["width"], i["height"]) for i in created["images"]] == [
        ("thumbnail", 400, 400),
        ("300x600", 300, 600),
    ]
    assert sorted(p.name for p in (image_root / created["product_id"]).glob("*.png")) == [
        "300x600.png",
        "thumbnail.png",
    ]


def test_without_a_photo_there_are_no_images(store, image_root) -> None:
    with store.session() as s:
        created = publish_listing(s, "m1", LISTING, image_root=image_root)
    assert created["images"] == [] and not image_root.exists()


@pytest.mark.parametrize(
    "change",
    [
        {"title": " "},
        {"variants": []},
        {"variants": [{"options": {"color": "red"}, "price": 0}]},
        {"category": "no-such-category"},
        {"selling_points": "not a list"},
    ],
    ids=["no-title", "no-variants", "zero-price", "unknown-category", "points-not-a-list"],
)
def test_an_invalid_listing_writes_nothing(store, image_root, change) -> None:
    with store.session() as s, pytest.raises(InvalidInput):
        publish_listing(s, "m1", {**LISTING, **change}, photo=product_photo(), image_root=image_root)
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(Product)) == 3  # the mini store's own
    assert not image_root.exists()


def test_a_broken_photo_writes_nothing(store, image_root) -> None:
    # the error is caught inside the unit of work, which then commits: publish must not have added rows before it
    with store.session() as s, pytest.raises(InvalidInput, match="not an image"):
        publish_listing(s, "m1", LISTING, photo=b"not a photo", image_root=image_root)
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(Product)) == 3
    assert not image_root.exists()
