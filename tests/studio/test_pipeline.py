"""End to end on real photos: every slot delivered, product pixels identical to the resampled source."""

from __future__ import annotations

import json

import numpy as np
import pytest
from skimage import data

from shopcopilot.studio.images import LoadedImage
from shopcopilot.studio.pipeline import RenderOptions, render, write_outputs


def _photo(rgb: np.ndarray) -> LoadedImage:
    return LoadedImage(rgb=rgb, alpha=None, source_format="PNG", source_mode="RGB")


@pytest.mark.parametrize(
    ("name", "scene"), [("coffee", "studio"), ("chelsea", "palette"), ("astronaut", "surface")]
)
def test_real_photo_renders_every_default_slot_faithfully(name: str, scene: str, studio_artifacts) -> None:
    result = render(_photo(getattr(data, name)()), RenderOptions.from_dict({"scene": scene, "ocr": False}))
    written = write_outputs(result, studio_artifacts / f"{name}_{scene}")
    assert len(result.results) == 4
    for item in result.results:
        report = item.report
        assert report["delivered"] and report["faithful"], report["reasons"]
        assert item.image.shape == (item.slot.height, item.slot.width, 3)
        pixels = report["fidelity"]["pixels"]
        assert pixels["compared"] > 1000 and pixels["changed"] == 0
        assert report["fidelity"]["colour"]["delta_e"] <= 2.0
        saved = json.loads(
            (studio_artifacts / f"{name}_{scene}" / f"{item.slot.name}.report.json").read_text()
        )
        assert saved["file"] == f"{item.slot.name}.png"
    assert sum(p.suffix == ".png" for p in written) == 4


def test_text_on_the_product_is_read_before_and_after(label_photo, studio_artifacts) -> None:
    options = RenderOptions.from_dict({"slots": ["square", "banner"], "scene": "gradient", "filter": "vivid"})
    result = render(_photo(np.asarray(label_photo)), options)
    write_outputs(result, studio_artifacts / "label_gradient_vivid")
    for item in result.results:
        text = item.report["fidelity"]["text"]
        assert text["checked"] and any("ORGANIC" in line.upper() for line in text["before"]), text
        assert not text["missing"] and item.delivered


def test_full_image_filter_is_marked_as_changing_the_product(coffee) -> None:
    options = RenderOptions.from_dict(
        {"slots": ["square"], "filter": "mono", "filter_scope": "image", "ocr": False}
    )
    item = render(_photo(coffee), options).results[0]
    assert item.report["faithful"] is False and item.report["product_changed"] is True
    assert any("filter" in reason for reason in item.report["reasons"])
    assert (
        np.abs(item.image[..., 0].astype(int) - item.image[..., 2]).max() == 0
    )  # really mono, product included


def test_scene_filter_leaves_the_product_alone(coffee) -> None:
    plain = render(_photo(coffee), RenderOptions.from_dict({"slots": ["square"], "ocr": False})).results[0]
    cool = render(
        _photo(coffee), RenderOptions.from_dict({"slots": ["square"], "filter": "cool", "ocr": False})
    )
    item = cool.results[0]
    assert item.report["faithful"]
    core = item.image != plain.image
    assert core.any()  # the scene changed ...
    p = item.report["placement"]
    centre = (
        slice(p["y"] + p["height"] // 3, p["y"] + 2 * p["height"] // 3),
        slice(p["x"] + p["width"] // 3, p["x"] + 2 * p["width"] // 3),
    )
    assert np.array_equal(item.image[centre], plain.image[centre])  # ... the middle of the cup did not


def test_photo_background_with_dust_is_repaired(coffee, label_photo) -> None:
    from studio_samples import encode

    backdrop = np.full((600, 900, 3), 200, np.uint8)
    backdrop[300:303, 100:103] = 20  # a speck of dust
    from PIL import Image

    options = RenderOptions.from_dict(
        {"slots": ["banner"], "scene": {"kind": "photo"}, "ocr": False, "harmonise": False, "shadow": False}
    )
    item = render(_photo(coffee), options, background=encode(Image.fromarray(backdrop))).results[0]
    assert item.delivered
    assert item.image[:, :200].min() > 150  # the dust did not make it into the banner's left side
