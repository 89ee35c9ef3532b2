import io
import xml.etree.ElementTree as ET

import numpy as np
from PIL import Image

from mini_store import build_mini_store
from product_photos import product_photo
from shopcopilot.catalog.models import Merchant
from shopcopilot.merchant.store_setup import (
    build_theme,
    logo_png,
    logo_svg,
    make_palette,
    suggest_store_names,
)


def test_names_are_checked_against_existing_stores(empty_db):
    build_mini_store(empty_db)
    with empty_db.session() as s:
        s.add(Merchant(id="m3", name="Cozy Kitchen Co."))
    with empty_db.session() as s:
        names = suggest_store_names(s, ["kitchen"], ["cozy"], limit=20)
    taken = [n for n in names if n["name"] == "Cozy Kitchen Co."]
    assert taken and taken[0]["available"] is False
    assert names[0]["available"] and "Kitchen" in names[0]["name"]


def test_logo_svg_and_png_share_palette_and_monogram():
    palette = make_palette(["navy", "gold"])
    svg = logo_svg("Trail Goods", palette)
    root = ET.fromstring(svg)
    texts = [el.text for el in root.iter() if el.tag.endswith("text")]
    assert texts[0] == "TG" and texts[1] == "Trail Goods"
    assert palette["primary"] == "#19235a" and palette["primary"] in svg
    png = np.asarray(Image.open(io.BytesIO(logo_png("Trail Goods", palette))).convert("RGB"))
    assert png.shape == (512, 512, 3)
    assert (np.abs(png.astype(int) - (25, 35, 90)).sum(-1) < 10).mean() > 0.2  # the navy tile


def test_theme_banner_is_composed_from_cutouts(empty_db, tmp_path):
    build_mini_store(empty_db)
    with empty_db.session() as s:
        theme = build_theme(s, "m1", colours=["red"], photos=[product_photo()], out_dir=tmp_path)
    banner = np.asarray(Image.open(theme["banner"]["path"]).convert("RGB"))
    assert banner.shape == (600, 1920, 3)
    red = np.abs(banner.astype(int) - (200, 30, 40)).sum(-1) < 12
    assert red[:, 760:].mean() > 0.05  # the product sits on the right part
    with empty_db.session() as s:
        assert s.get(Merchant, "m1").theme["palette"]["primary"] == theme["palette"]["primary"]
    assert [f["product_id"] for f in theme["featured"]] == ["p1", "p3"]
