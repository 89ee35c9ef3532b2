"""The fidelity check fails outputs whose product changed: pixels, text or colour."""

from __future__ import annotations

import numpy as np
import pytest

from shopcopilot.studio.compose import composite, resample_product
from shopcopilot.studio.cutout import Cutout, cut_out
from shopcopilot.studio.fidelity import check_fidelity, source_text
from shopcopilot.studio.images import LoadedImage
from shopcopilot.studio.scenes import SceneSpec, make_scene
from shopcopilot.studio.slots import Slot, place


@pytest.fixture(scope="module")
def label_cutout(label_photo) -> Cutout:
    return cut_out(LoadedImage(np.asarray(label_photo).copy(), None, "PNG", "RGB"))


def _render(cutout: Cutout, slot: Slot):
    x0, y0, x1, y1 = cutout.bbox
    placement = place(x1 - x0, y1 - y0, slot)
    layer = resample_product(cutout, placement)
    output = composite(make_scene(slot.width, slot.height, SceneSpec()), layer)
    return output, resample_product(cutout, placement)


def test_untouched_render_passes(label_cutout: Cutout) -> None:
    output, reference = _render(label_cutout, Slot("s", 800, 800))
    report = check_fidelity(output, label_cutout, reference, text_before=source_text(label_cutout))
    assert report.passed, report.reasons
    assert report.pixels["changed"] == 0 and report.pixels["compared"] > 10_000


def test_one_changed_product_pixel_fails(label_cutout: Cutout) -> None:
    output, reference = _render(label_cutout, Slot("s", 800, 800))
    ys, xs = np.nonzero(reference.core)
    output[reference.y + ys[len(ys) // 2], reference.x + xs[len(xs) // 2]] ^= 1
    report = check_fidelity(output, label_cutout, reference)
    assert not report.passed and report.pixels["changed"] == 1


def test_recoloured_product_fails_on_colour(label_cutout: Cutout) -> None:
    output, reference = _render(label_cutout, Slot("s", 800, 800))
    x0, y0, x1, y1 = reference.bbox
    region = output[y0:y1, x0:x1]
    region[reference.core] = region[reference.core][:, [2, 1, 0]]  # blue box turned brown
    report = check_fidelity(output, label_cutout, reference)
    assert not report.passed and report.colour["delta_e"] > 10


def test_changed_text_fails_on_ocr(label_cutout: Cutout) -> None:
    from studio_samples import labelled_product

    output, reference = _render(label_cutout, Slot("s", 800, 800))
    # paste a product whose label says something else into the same place
    fake = np.asarray(labelled_product(("ORGANIC", "TEA 900g"))).copy()
    forged = Cutout(rgb=fake, alpha=label_cutout.alpha, bbox=label_cutout.bbox, mask_source="test")
    x0, y0, x1, y1 = reference.bbox
    forged_layer = resample_product(forged, place(*_size(label_cutout), Slot("s", 800, 800)))
    output[y0:y1, x0:x1][reference.core] = forged_layer.rgb[reference.core]
    report = check_fidelity(output, label_cutout, reference, text_before=source_text(label_cutout))
    assert not report.passed
    assert any("500" in line for line in report.text["missing"]), report.text


def _size(cutout: Cutout) -> tuple[int, int]:
    x0, y0, x1, y1 = cutout.bbox
    return x1 - x0, y1 - y0


def test_shared_source_colours_give_the_same_report(label_cutout: Cutout) -> None:
    from shopcopilot.studio.fidelity import source_colours

    output, reference = _render(label_cutout, Slot("s", 640, 900))
    shared = check_fidelity(output, label_cutout, reference, colours=source_colours(label_cutout))
    alone = check_fidelity(output, label_cutout, reference)
    assert shared.passed and shared.to_dict() == alone.to_dict()


def test_pixel_check_counts_core_changes_only(label_cutout: Cutout) -> None:
    output, reference = _render(label_cutout, Slot("s", 800, 800))
    soft_ys, soft_xs = np.nonzero((reference.alpha > 0) & (reference.alpha < 1))
    output[reference.y + soft_ys, reference.x + soft_xs] ^= 7  # edge pixels are blended anyway: not compared
    assert check_fidelity(output, label_cutout, reference).pixels["changed"] == 0
    ys, xs = np.nonzero(reference.core)
    picked = np.random.default_rng(0).choice(len(ys), 25, replace=False)
    output[reference.y + ys[picked], reference.x + xs[picked], 2] ^= 4  # one channel, by 4
    pixels = check_fidelity(output, label_cutout, reference).pixels
    assert pixels["changed"] == 25 and pixels["max_abs_diff"] == 4
    assert pixels["compared"] == int(reference.core.sum())
    assert pixels["mean_abs_diff"] == round(25 * 4 / pixels["compared"], 4)
