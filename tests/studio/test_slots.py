"""Slots: the product always fits inside the safe margins, whatever the aspect ratios."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from shopcopilot.errors import InvalidInput
from shopcopilot.studio.slots import Slot, load_slots, place, resolve_slots


def test_default_slots_include_the_required_four() -> None:
    slots = load_slots()
    sizes = {(s.width, s.height) for s in slots.values()}
    assert {(800, 800), (750, 1000), (1920, 1080), (1080, 1920)} <= sizes
    assert [s.name for s in resolve_slots(None)] == ["square", "portrait", "banner", "story"]


@pytest.mark.parametrize("product", [(100, 900), (900, 100), (333, 333), (1024, 683), (5, 7), (4000, 3000)])
def test_product_is_never_cropped_and_margins_are_kept(product: tuple[int, int]) -> None:
    for slot in load_slots().values():
        p = place(*product, slot)
        margin = round(slot.margin * min(slot.width, slot.height))
        assert p.x >= margin and p.y >= margin
        assert p.x + p.width <= slot.width - margin and p.y + p.height <= slot.height - margin
        # aspect ratio preserved to within rounding of one pixel
        assert abs(p.width / p.height - product[0] / product[1]) <= product[0] / product[1] * (
            2 / min(p.width, p.height)
        )
        # the product fills the safe area along one side, unless the upscale cap stops it
        assert (
            p.scale == slot.max_upscale
            or max(p.width - (slot.width - 2 * margin), p.height - (slot.height - 2 * margin)) >= -1
        )


def test_bottom_anchor_stands_on_the_bottom_margin() -> None:
    slot = Slot("floor", 800, 800, margin=0.1, anchor="bottom")
    p = place(400, 200, slot)
    assert p.y + p.height == 800 - 80


def test_slots_from_toml_and_ad_hoc_sizes(tmp_path: Path) -> None:
    path = tmp_path / "slots.toml"
    path.write_text('[[slots]]\nname = "wide"\nwidth = 1200\nheight = 400\nmargin = 0.05\n')
    slots = load_slots(path)
    assert slots["wide"].height == 400
    chosen = resolve_slots(["wide", "640x480"], slots)
    assert [(s.width, s.height) for s in chosen] == [(1200, 400), (640, 480)]


@pytest.mark.parametrize(
    "entry",
    [
        {"name": "x", "width": 0, "height": 10},
        {"name": "bad name!", "width": 100, "height": 100},
        {"name": "m", "width": 100, "height": 100, "margin": 0.6},
        {"name": "a", "width": 100},
    ],
)
def test_bad_slot_specs_are_refused(tmp_path: Path, entry: dict) -> None:
    import json

    path = tmp_path / "slots.json"
    path.write_text(json.dumps({"slots": [entry]}))
    with pytest.raises(InvalidInput):
        load_slots(path)


def test_unknown_slot_name_is_refused() -> None:
    with pytest.raises(InvalidInput, match="unknown slot"):
        resolve_slots(["billboard"])


def test_every_pair_of_sizes_places_inside() -> None:
    for w, h in itertools.product([16, 99, 800], [16, 333, 1920]):
        p = place(w, h, Slot("s", 750, 1000))
        assert 0 < p.width <= 750 and 0 < p.height <= 1000
