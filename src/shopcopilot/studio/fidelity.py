"""The fidelity report every output carries: is the product in the output the product in the photo?

Three independent checks on the product (the core: pixels whose alpha is exactly 1):
- pixels: the output's core pixels against the source resampled the same way (`compose.resample_product`, re-run
  here, not taken from the renderer): must be identical (max difference 0), i.e. nothing but resampling happened;
- text: OCR of the product on white, in the source and in the output. A line found in the source but not in the
  output fails, unless the source resampled to the output's scale also loses it (too small to read at that size);
- colour: CIEDE2000 between the product's dominant colour in the source and in the output (<= 2.0).
An output whose report fails is not delivered.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import asdict, dataclass, field

import cv2
import numpy as np
from skimage.color import deltaE_ciede2000, rgb2lab

from shopcopilot.studio.compose import ProductLayer
from shopcopilot.studio.cutout import Cutout

MAX_PIXEL_DIFF = 0
MAX_DELTA_E = 2.0
OCR_MIN_SCORE = 0.75  # lines read with less confidence are not a reliable witness either way
OCR_MATCH = 0.8


@dataclass
class FidelityReport:
    passed: bool
    reasons: list[str]
    pixels: dict
    colour: dict
    text: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


def _on_white(rgb: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    a = alpha[..., None]
    return (rgb.astype(np.float32) * a + 255.0 * (1 - a) + 0.5).astype(np.uint8)


def _normalise(text: str) -> str:
    return "".join(text.split()).casefold()


def _found(line: str, lines: list[str]) -> bool:
    """Letters may be misread a little; numbers (sizes, weights, prices) must match exactly."""
    target = _normalise(line)
    digits = re.findall(r"\d", target)
    return any(
        re.findall(r"\d", _normalise(c)) == digits
        and difflib.SequenceMatcher(None, target, _normalise(c)).ratio() >= OCR_MATCH
        for c in lines
    )


def _hex(rgb: np.ndarray) -> str:
    return "#" + "".join(f"{int(round(float(v))):02x}" for v in np.clip(rgb, 0, 255))


def _kmeans_lab(pixels: np.ndarray, k: int = 4, iterations: int = 12) -> tuple[np.ndarray, np.ndarray]:
    """Deterministic k-means (k-means++ seeding from a fixed seed) on Lab pixels: centres and counts."""
    rng = np.random.default_rng(0)
    k = min(k, len(pixels))
    centres = [pixels[rng.integers(len(pixels))]]
    for _ in range(1, k):
        d2 = np.min(((pixels[:, None, :] - np.array(centres)[None]) ** 2).sum(-1), axis=1)
        centres.append(pixels[rng.choice(len(pixels), p=d2 / d2.sum())] if d2.sum() > 0 else centres[0])
    centres = np.array(centres)
    for _ in range(iterations):
        labels = np.argmin(((pixels[:, None, :] - centres[None]) ** 2).sum(-1), axis=1)
        for j in range(k):
            if np.any(labels == j):
                centres[j] = pixels[labels == j].mean(axis=0)
    labels = np.argmin(((pixels[:, None, :] - centres[None]) ** 2).sum(-1), axis=1)
    return centres, np.bincount(labels, minlength=k)


def _sample(pixels: np.ndarray, limit: int = 3000) -> np.ndarray:
    if len(pixels) <= limit:
        return pixels
    return pixels[_sample_index(len(pixels), limit)]


def _sample_index(count: int, limit: int = 3000) -> np.ndarray:
    """The positions `_sample` keeps out of `count` items (a fixed seed: the same pixels on every run)."""
    if count <= limit:
        return np.arange(count)
    return np.random.default_rng(1).choice(count, limit, replace=False)


def _sample_masked(image: np.ndarray, mask: np.ndarray, limit: int = 3000) -> np.ndarray:
    """`_sample(image[mask])` without gathering every masked pixel first (a product core is ~10^6 pixels)."""
    flat = np.flatnonzero(mask)
    ys, xs = np.divmod(flat[_sample_index(len(flat), limit)], mask.shape[1])
    return image[ys, xs]


@dataclass
class SourceColours:
    """The source product's colour clusters: computed once per photo, shared by the checks of all its outputs."""

    sample: np.ndarray  # N x 3 float64 rgb in [0,1]
    lab: np.ndarray  # N x 3 Lab of `sample`
    centres: np.ndarray  # k x 3 Lab
    counts: np.ndarray  # k

    @property
    def dominant(self) -> int:
        return int(np.argmax(self.counts))


def source_colours(source: Cutout) -> SourceColours | None:
    """None when the source has no core pixels."""
    sample = _sample_masked(source.rgb, source.core).astype(np.float64) / 255.0
    if len(sample) == 0:
        return None
    lab = rgb2lab(sample[None])[0]
    centres, counts = _kmeans_lab(lab)
    return SourceColours(sample=sample, lab=lab, centres=centres, counts=counts)


def dominant_colour_check(
    source: Cutout, output_core_pixels: np.ndarray, colours: SourceColours | None = None
) -> dict:
    """`colours` is `source_colours(source)`, computed here when not given."""
    colours = colours if colours is not None else source_colours(source)
    after = _sample(output_core_pixels).astype(np.float64) / 255.0
    if colours is None or len(after) == 0:
        return {"delta_e": None, "dominant_before": None, "dominant_after": None, "max": MAX_DELTA_E}
    lab_after = rgb2lab(after[None])[0]
    centres, counts, dominant = colours.centres, colours.counts, colours.dominant
    # The output is measured against the *source's* clusters, so a small shift cannot swap which one dominates.
    labels = np.argmin(((lab_after[:, None, :] - centres[None]) ** 2).sum(-1), axis=1)
    members = lab_after[labels == dominant]
    after_centre = members.mean(axis=0) if len(members) else lab_after.mean(axis=0)
    delta = float(deltaE_ciede2000(centres[dominant][None], after_centre[None])[0])
    before_labels = np.argmin(((colours.lab[:, None] - centres[None]) ** 2).sum(-1), 1)
    before_rgb = np.mean(colours.sample[before_labels == dominant], 0)
    after_rgb = np.mean(after[labels == dominant], 0) if len(members) else after.mean(0)
    return {
        "dominant_before": _hex(before_rgb * 255),
        "dominant_after": _hex(after_rgb * 255),
        "share": round(float(counts[dominant] / counts.sum()), 3),
        "delta_e": round(delta, 3),
        "max": MAX_DELTA_E,
    }


def source_text(source: Cutout) -> list[str]:
    """Text on the product in the source photo (computed once per photo, shared by all its outputs)."""
    from shopcopilot.models.ocr import read_text

    rgb, alpha, _ = source.crop(pad=4)
    return [line.text for line in read_text(_on_white(rgb, alpha), min_score=OCR_MIN_SCORE)]


def text_check(before: list[str], output: np.ndarray, reference: ProductLayer) -> dict:
    from shopcopilot.models.ocr import read_text

    x0, y0, x1, y1 = reference.bbox
    seen = _on_white(output[y0:y1, x0:x1], reference.alpha)
    after = [line.text for line in read_text(seen, min_score=0.5)]
    missing = [line for line in before if not _found(line, after)]
    illegible: list[str] = []
    if missing:
        at_scale = [line.text for line in read_text(_on_white(reference.rgb, reference.alpha), min_score=0.5)]
        illegible = [line for line in missing if not _found(line, at_scale)]
        missing = [line for line in missing if line not in illegible]
    return {"before": before, "after": after, "missing": missing, "illegible_at_this_size": illegible}


def check_fidelity(
    output: np.ndarray,
    source: Cutout,
    reference: ProductLayer,
    *,
    text_before: list[str] | None = None,
    colours: SourceColours | None = None,
) -> FidelityReport:
    """`reference` must come from `resample_product` for this output's placement; `text_before=None` skips OCR;
    `colours` is `source_colours(source)` when the caller checks several outputs of one photo."""
    x0, y0, x1, y1 = reference.bbox
    core = reference.core
    seen = output[y0:y1, x0:x1]
    reasons: list[str] = []
    if seen.shape[:2] != core.shape:
        return FidelityReport(False, ["the product does not fit inside the output (it was cropped)"], {}, {})
    # Every core pixel is compared, in uint8 on the layer's box: |a-b| per channel, the largest channel per pixel.
    red, green, blue = cv2.split(cv2.absdiff(seen, reference.rgb))
    diff = cv2.max(cv2.max(red, green), blue)
    compared = int(np.count_nonzero(core))
    changed = int(np.count_nonzero((diff > MAX_PIXEL_DIFF) & core))
    core_diff = diff[core] if changed else None  # all zeros otherwise: no need to gather them
    pixels = {
        "compared": compared,
        "changed": changed,
        "max_abs_diff": int(core_diff.max()) if core_diff is not None else 0,
        "mean_abs_diff": round(float(core_diff.mean()), 4) if core_diff is not None else 0.0,
        "reference": f"source resampled: {reference.resampling}",
    }
    if compared == 0:
        reasons.append("no product pixels to compare (empty mask)")
    if changed:
        reasons.append(
            f"{changed} product pixels differ from the source (max difference {pixels['max_abs_diff']})"
        )
    colour = dominant_colour_check(source, _sample_masked(seen, core), colours)
    if colour["delta_e"] is not None and colour["delta_e"] > MAX_DELTA_E:
        reasons.append(f"the product's main colour shifted by dE {colour['delta_e']} (max {MAX_DELTA_E})")
    text: dict = {"checked": False}
    if text_before is not None:
        text = {"checked": True, **text_check(text_before, output, reference)}
        if text["missing"]:
            reasons.append(f"text on the product changed: {text['missing']} not found in the output")
    return FidelityReport(passed=not reasons, reasons=reasons, pixels=pixels, colour=colour, text=text)
