"""Listing from photo: 1-5 photos of a product -> a draft listing the merchant edits and publishes.

The first photo is the main one: it is cut out (the studio's cutout), its product pixels give the colours and go to
the ImageNet classifier on a white ground. Text is read on every photo. Each field of the draft says in `evidence`
what it was derived from, so the merchant can check it before publishing.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy.orm import Session

from shopcopilot.errors import InvalidInput
from shopcopilot.merchant.attributes import OcrLine, extract_attributes
from shopcopilot.merchant.category_mapper import map_category, store_categories
from shopcopilot.merchant.colours import dominant_colours
from shopcopilot.merchant.copywriting import ListingFacts, write_copy
from shopcopilot.merchant.price_band import suggest_price_band

if TYPE_CHECKING:
    from shopcopilot.models.llm.base import LLM

MAX_PHOTOS = 5
MIN_LABEL_SCORE = 0.15  # below this the classifier's guess is not used as the product's noun
MAX_VARIANTS = 24

Classify = Callable[[np.ndarray], list[tuple[str, float]]]


def default_classify() -> Classify | None:
    """The EfficientNet-Lite0 classifier, or None when the vision extra is not installed."""
    from shopcopilot.models.classifier import ClassifierUnavailable, image_classifier

    try:
        classifier = image_classifier()
    except ClassifierUnavailable:
        return None
    return lambda rgb: [(label.name, label.score) for label in classifier.classify(rgb, top=5)]


def on_white(
    rgb: np.ndarray, alpha: np.ndarray, bbox: tuple[int, int, int, int], pad: int = 12
) -> np.ndarray:
    """The product alone on a white ground, cropped to its box: what the classifier should look at."""
    x0, y0, x1, y1 = bbox
    h, w = alpha.shape
    x0, y0, x1, y1 = max(0, x0 - pad), max(0, y0 - pad), min(w, x1 + pad), min(h, y1 + pad)
    a = alpha[y0:y1, x0:x1, None]
    out = rgb[y0:y1, x0:x1].astype(np.float32) * a + 255.0 * (1 - a)
    return out.clip(0, 255).astype(np.uint8)


def _ocr_lines(rgb: np.ndarray) -> list[OcrLine]:
    from shopcopilot.models.ocr import read_text

    lines = []
    for line in read_text(rgb, min_score=0.6):
        ys = [point[1] for point in line.box]
        lines.append(OcrLine(line.text, line.score, float(max(ys) - min(ys))))
    return lines


def _variant_options(colours: list[str], sizes: list[str], capacity: str | None) -> tuple[dict, list[dict]]:
    axes: dict[str, list[str]] = {}
    if colours:
        axes["color"] = colours
    if sizes:
        axes["size"] = sizes
    if capacity:
        axes["capacity"] = [capacity]
    combos = list(itertools.islice(itertools.product(*axes.values()), MAX_VARIANTS)) if axes else [()]
    variants = [dict(zip(axes, combo, strict=True)) for combo in combos]
    return axes, variants


def draft_listing(
    photos: Sequence[bytes | str | Path],
    *,
    session: Session,
    merchant_id: str,
    classify: Classify | None | str = "default",
    embedder: Any | None = None,
    llm: LLM | None = None,
    search_engine: Any | None = None,
) -> dict:
    """The draft as JSON-ready data: category, brand, colours, title, description, selling_points, price_band,
    attributes, variant options and evidence. `classify="default"` loads the bundled classifier (None skips it)."""
    from shopcopilot.studio.cutout import cut_out
    from shopcopilot.studio.images import load_image

    if not photos:
        raise InvalidInput("send at least one photo of the product", code="no_photos")
    if len(photos) > MAX_PHOTOS:
        raise InvalidInput(f"send at most {MAX_PHOTOS} photos, not {len(photos)}", code="too_many_photos")
    images = [load_image(photo) for photo in photos]
    evidence: dict[str, Any] = {}

    cutout = cut_out(images[0])
    colours = dominant_colours(cutout.rgb, cutout.core)
    evidence["colours"] = (
        f"k-means in CIELAB over {int(cutout.core.sum())} product pixels of photo 1 (mask: {cutout.mask_source}), "
        "background excluded; nearest named colour by CIEDE2000"
    )

    lines: list[OcrLine] = []
    seen: set[str] = set()
    for image in images:
        for line in _ocr_lines(image.rgb):
            if line.text.lower() not in seen:
                seen.add(line.text.lower())
                lines.append(line)
    attributes = extract_attributes(lines)
    evidence.update(attributes.evidence)

    classifier = default_classify() if classify == "default" else classify
    labels: list[tuple[str, float]] = []
    if callable(classifier):
        labels = classifier(on_white(cutout.rgb, cutout.alpha, cutout.bbox))
        evidence["classifier"] = [{"label": name, "score": round(score, 3)} for name, score in labels]
    elif classify is None:
        evidence["classifier"] = "skipped (not asked for); category from text only"
    else:
        evidence["classifier"] = "not available (install the `vision` extra); category from text only"

    if embedder is None:
        from shopcopilot.models.embedder import get_embedder

        embedder = get_embedder()
    candidates = store_categories(session, merchant_id)
    label_names = [name for name, score in labels[:3] if score >= 0.05]
    ocr_words = [line.text for line in lines][:12]
    matches = map_category(candidates, label_names, ocr_words, embedder)
    category = matches[0].to_dict() if matches else None
    if category:
        evidence["category"] = (
            f"embedding match of classifier labels {label_names} and OCR words {ocr_words[:6]} to the store's "
            f"{len(candidates)} categories (runner-up: {matches[1].id if len(matches) > 1 else None})"
        )

    noun, noun_source = _noun(labels, lines, candidates, category)
    evidence["noun"] = noun_source
    colour_names = [c.name for c in colours]
    facts = ListingFacts(
        noun=noun,
        brand=attributes.brand,
        model=attributes.model,
        colours=colour_names,
        material=attributes.material,
        capacity=attributes.capacity,
        sizes=attributes.sizes,
        specs=attributes.specs,
        category=category["name"] if category else None,
    )
    copy = write_copy(facts, llm)
    evidence["copy"] = (
        "LLM from the facts above, checked against them" if copy.mode == "llm" else "template from the facts above"
    ) + (f" ({copy.fallback_reason})" if copy.fallback_reason else "")

    query = " ".join(p for p in (noun, attributes.material, attributes.capacity) if p)
    band = suggest_price_band(
        session,
        merchant_id,
        query=query,
        category_id=category["id"] if category else None,
        search_engine=search_engine,
        product_type=noun,
    )
    evidence["price_band"] = band.basis
    axes, variants = _variant_options(colour_names, attributes.sizes, attributes.capacity)
    for variant in variants:
        variant.update({"price": band.suggested, "stock": 0})
    return {
        "category": category,
        "category_alternatives": [m.to_dict() for m in matches[1:4]],
        "brand": attributes.brand,
        "model": attributes.model,
        "colours": [c.to_dict() for c in colours],
        "title": copy.title,
        "description": copy.description,
        "selling_points": copy.selling_points,
        "price_band": band.to_dict(),
        "attributes": attributes.to_dict(),
        "options": axes,
        "variants": [
            {
                "options": {k: v for k, v in variant.items() if k not in ("price", "stock")},
                "price": variant["price"],
                "stock": variant["stock"],
            }
            for variant in variants
        ],
        "ocr_text": [line.text for line in lines],
        "photos": len(images),
        "evidence": evidence,
    }


def _noun(labels, lines, candidates, category) -> tuple[str, str]:
    """What the product is called: a store product type named on the label, else the classifier's label, else the
    category."""
    text = " ".join(line.text.lower() for line in lines)
    names = sorted({name for c in candidates for name in c.examples}, key=len, reverse=True)
    for name in names:
        if name.lower() in text:
            return name, f"store product type {name!r} written on the product"
    if labels and labels[0][1] >= MIN_LABEL_SCORE:
        return labels[0][0], f"classifier label {labels[0][0]!r} ({labels[0][1]:.2f})"
    if category:
        return category["name"], "category name (no confident classifier label)"
    return "product", "nothing identified the product"
