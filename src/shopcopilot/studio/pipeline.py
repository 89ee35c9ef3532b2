"""The studio pipeline: photo -> cutout -> (per slot) scene -> repair -> harmonise -> filter -> shadow -> composite
-> fidelity. Each stage is a plain function in its own module; this module only sequences them and times them.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from pathlib import Path

import numpy as np

from shopcopilot.errors import InvalidInput
from shopcopilot.studio import filters as look
from shopcopilot.studio.compose import composite, resample_product
from shopcopilot.studio.cutout import Cutout, cut_out
from shopcopilot.studio.fidelity import (
    SourceColours,
    _kmeans_lab,
    _sample,
    check_fidelity,
    source_colours,
    source_text,
)
from shopcopilot.studio.harmonise import harmonise_scene, lab_stats
from shopcopilot.studio.images import LoadedImage, load_image, save_image
from shopcopilot.studio.repair import remove_blemishes
from shopcopilot.studio.scenes import SceneContext, SceneSpec, make_scene
from shopcopilot.studio.shadow import ShadowSpec, apply_shadow, shadow_map
from shopcopilot.studio.slots import Slot, load_slots, place, resolve_slots
from shopcopilot.studio.upscale import UPSCALE_METHODS

MATTING_METHODS = ("guided", "closed_form", "none")


@dataclass
class RenderOptions:
    slots: list[str] | None = None  # names from the slots file, or WIDTHxHEIGHT; None = the four defaults
    scene: SceneSpec = field(default_factory=SceneSpec)
    shadow: bool = True
    harmonise: bool = True
    repair: bool = True  # inpaint dust/blemishes in an uploaded background photo
    filter: str | None = None
    filter_scope: str = (
        "scene"  # "image" changes the product too: explicit opt-in, output marked not faithful
    )
    upscaler: str = "lanczos"  # used only when a slot needs the product larger than in the photo
    matting: str = "guided"
    ocr: bool = True
    slots_file: str | None = None

    def __post_init__(self) -> None:
        look.check_filter(self.filter, self.filter_scope)
        if self.upscaler not in UPSCALE_METHODS:
            raise InvalidInput(f"upscaler must be one of {UPSCALE_METHODS}", code="bad_upscaler")
        if self.matting not in MATTING_METHODS:
            raise InvalidInput(f"matting must be one of {MATTING_METHODS}", code="bad_options")

    @classmethod
    def from_dict(cls, data: dict | None) -> RenderOptions:
        """Options from JSON (API/CLI); unknown keys are refused, not ignored."""
        data = dict(data or {})
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise InvalidInput(
                f"unknown studio options {unknown}; known: {sorted(known)}", code="bad_options"
            )
        scene = data.pop("scene", None)
        if isinstance(scene, str):
            scene = {"kind": scene}
        if scene is not None and not isinstance(scene, dict):
            raise InvalidInput("scene must be a name or an object", code="bad_scene")
        if isinstance(data.get("slots"), str):
            data["slots"] = [s for s in data["slots"].split(",") if s.strip()]
        try:
            spec = SceneSpec(**{**(scene or {}), "colors": tuple((scene or {}).get("colors", ()))})
            return cls(scene=spec, **data)
        except TypeError as exc:
            raise InvalidInput(f"bad studio options: {exc}", code="bad_options") from None

    def to_dict(self) -> dict:
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out["scene"] = {f.name: getattr(self.scene, f.name) for f in fields(self.scene)}
        out["scene"]["colors"] = list(self.scene.colors)
        return out


@dataclass
class SlotResult:
    slot: Slot
    image: np.ndarray | None  # None when not delivered
    report: dict

    @property
    def delivered(self) -> bool:
        return bool(self.report.get("delivered"))


@dataclass
class StudioResult:
    cutout: Cutout
    results: list[SlotResult]
    timings: dict[str, float]
    notes: list[str]


class Timer:
    def __init__(self) -> None:
        self.totals: dict[str, float] = defaultdict(float)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.totals[name] += time.perf_counter() - start


def product_colours(cutout: Cutout, k: int = 3) -> list[tuple[int, int, int]]:
    """The product's main colours, most common first (for palette scenes)."""
    from skimage.color import lab2rgb, rgb2lab

    pixels = _sample(cutout.rgb[cutout.core], 2000).astype(np.float64) / 255.0
    if len(pixels) == 0:
        return []
    centres, counts = _kmeans_lab(rgb2lab(pixels[None])[0], k=k)
    rgb = lab2rgb(centres[None])[0] * 255
    return [tuple(int(round(v)) for v in rgb[i]) for i in np.argsort(-counts)]


def render_slot(
    cutout: Cutout,
    slot: Slot,
    options: RenderOptions,
    context: SceneContext,
    *,
    subject_lab: np.ndarray,
    text_before: list[str] | None,
    timer: Timer,
    colours: SourceColours | None = None,
) -> SlotResult:
    """One slot: only what depends on the slot happens here (placement, resampling, scene, shadow, composite and
    the checks of this output); everything about the photo itself comes in precomputed."""
    x0, y0, x1, y1 = cutout.bbox
    placement = place(x1 - x0, y1 - y0, slot)
    size = (slot.width, slot.height)
    with timer.stage("resample"):
        layer = resample_product(cutout, placement, options.upscaler)
    with timer.stage("scene"):
        scene = make_scene(slot.width, slot.height, options.scene, context)
    if options.harmonise:
        with timer.stage("harmonise"):
            scene = harmonise_scene(scene, subject_lab)
    if options.filter and options.filter_scope == "scene":
        with timer.stage("filter"):
            scene = look.apply_filter(scene, options.filter)
    if options.shadow:
        with timer.stage("shadow"):
            scene = apply_shadow(scene, shadow_map(layer.alpha, (layer.x, layer.y), size, ShadowSpec()))
    with timer.stage("composite"):
        image = composite(scene, layer, in_place=True)  # the scene was made for this slot alone
    with timer.stage("fidelity"):
        # The reference is made again, independently of the layer used above (Real-ESRGAN is too slow to run
        # twice; there the colour and text checks are the independent witnesses).
        reference = (
            layer if options.upscaler == "realesrgan" else resample_product(cutout, placement, "lanczos")
        )
    with timer.stage("fidelity_text" if text_before is not None else "fidelity"):
        fidelity = check_fidelity(image, cutout, reference, text_before=text_before, colours=colours)
    faithful = fidelity.passed
    delivered = fidelity.passed
    reasons = list(fidelity.reasons)
    if options.filter and options.filter_scope == "image":
        with timer.stage("filter"):
            image = look.apply_filter(image, options.filter)
        faithful = False
        reasons.append(
            f"full-image filter {options.filter!r} requested (filter_scope=image): the product was changed"
        )
    report = {
        "slot": {"name": slot.name, "width": slot.width, "height": slot.height, "margin": slot.margin},
        "placement": {
            "scale": round(placement.scale, 5),
            "x": placement.x,
            "y": placement.y,
            "width": placement.width,
            "height": placement.height,
        },
        "delivered": delivered,
        "faithful": faithful,
        "product_changed": not faithful,
        "reasons": reasons,
        "fidelity": fidelity.to_dict(),
        "scene": options.to_dict()["scene"],
        "filter": {"name": options.filter, "scope": options.filter_scope} if options.filter else None,
        "mask_source": cutout.mask_source,
    }
    return SlotResult(slot=slot, image=image if delivered else None, report=report)


def prepare(
    photo: bytes | str | Path | LoadedImage, options: RenderOptions, timer: Timer
) -> tuple[Cutout, list[str]]:
    with timer.stage("load"):
        image = photo if isinstance(photo, LoadedImage) else load_image(photo)
    with timer.stage("cutout"):
        cutout = cut_out(image, matting=options.matting)  # type: ignore[arg-type]
    return cutout, list(image.notes)


def render(
    photo: bytes | str | Path | LoadedImage,
    options: RenderOptions | None = None,
    *,
    background: bytes | str | Path | None = None,
) -> StudioResult:
    options = options or RenderOptions()
    timer = Timer()
    slots = resolve_slots(options.slots, load_slots(Path(options.slots_file)) if options.slots_file else None)
    if options.scene.kind == "photo" and background is None:
        raise InvalidInput("scene 'photo' needs a background photo", code="bad_scene")
    context = SceneContext()
    if background is not None:
        with timer.stage("load"):
            context.photo = load_image(background).rgb
        if options.repair:
            with timer.stage("repair"):
                context.photo = remove_blemishes(context.photo).rgb
    cutout, notes = prepare(photo, options, timer)
    if options.scene.kind == "palette":
        context.product_colors = product_colours(cutout)
    # Once per photo, shared by every slot: the product's colour statistics for harmonisation and for the
    # fidelity colour check, and (when asked) the text on the product.
    with timer.stage("photo_stats"):
        subject_lab = lab_stats(cutout.rgb, cutout.core)
        colours = source_colours(cutout)
    text_before = None
    if options.ocr:
        with timer.stage("fidelity_text"):
            text_before = source_text(cutout)
    results = [
        render_slot(
            cutout,
            slot,
            options,
            context,
            subject_lab=subject_lab,
            text_before=text_before,
            timer=timer,
            colours=colours,
        )
        for slot in slots
    ]
    for result in results:
        result.report["source_notes"] = notes
    return StudioResult(cutout=cutout, results=results, timings=dict(timer.totals), notes=notes)


def write_outputs(result: StudioResult, out_dir: Path) -> list[Path]:
    """`<slot>.png` for each delivered image and `<slot>.report.json` for every slot (delivered or not)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for item in result.results:
        name = item.slot.name
        if item.image is not None:
            written.append(save_image(item.image, out_dir / f"{name}.png"))
            item.report["file"] = f"{name}.png"
        report_path = out_dir / f"{name}.report.json"
        report_path.write_text(json.dumps(item.report, indent=2, ensure_ascii=False), encoding="utf-8")
        written.append(report_path)
    return written
