"""Display slots (configurable from a JSON or TOML file) and where the product goes inside one.

The product is scaled to fit the slot's safe area, never cropped: a different aspect ratio gives more scene, never
a stretched or cut product.
"""

from __future__ import annotations

import json
import math
import tomllib
from dataclasses import dataclass
from pathlib import Path

from shopcopilot.config import PACKAGE_DATA
from shopcopilot.errors import InvalidInput

DEFAULT_SLOTS_FILE = PACKAGE_DATA / "studio" / "slots.json"
DEFAULT_SLOT_NAMES = ("square", "portrait", "banner", "story")
MAX_SLOT_SIDE = 8192
ANCHORS = ("center", "bottom")


@dataclass(frozen=True)
class Slot:
    name: str
    width: int
    height: int
    margin: float = 0.08
    anchor: str = "center"
    max_upscale: float = 4.0
    purpose: str = ""

    def __post_init__(self) -> None:
        if not self.name.replace("-", "").replace("_", "").isalnum():
            raise InvalidInput(
                f"slot name {self.name!r} may hold only letters, digits, - and _", code="bad_slot"
            )
        if not (16 <= self.width <= MAX_SLOT_SIDE and 16 <= self.height <= MAX_SLOT_SIDE):
            raise InvalidInput(f"slot {self.name}: sides must be 16..{MAX_SLOT_SIDE} px", code="bad_slot")
        if not 0.0 <= self.margin < 0.45:
            raise InvalidInput(f"slot {self.name}: margin must be in [0, 0.45)", code="bad_slot")
        if self.anchor not in ANCHORS:
            raise InvalidInput(f"slot {self.name}: anchor must be one of {ANCHORS}", code="bad_slot")
        if self.max_upscale < 1.0:
            raise InvalidInput(f"slot {self.name}: max_upscale must be >= 1", code="bad_slot")


@dataclass(frozen=True)
class Placement:
    """The product's crop is resized by `scale` to (width, height) and pasted with its top-left at (x, y)."""

    scale: float
    x: int
    y: int
    width: int
    height: int


def load_slots(path: Path | None = None) -> dict[str, Slot]:
    path = Path(path) if path else DEFAULT_SLOTS_FILE
    try:
        text = path.read_text(encoding="utf-8")
        raw = tomllib.loads(text) if path.suffix == ".toml" else json.loads(text)
    except FileNotFoundError:
        raise InvalidInput(f"slots file not found: {path}", code="bad_slot") from None
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InvalidInput(f"slots file {path} is not valid: {exc}", code="bad_slot") from None
    entries = raw.get("slots") if isinstance(raw, dict) else None
    if not isinstance(entries, list) or not entries:
        raise InvalidInput(f"slots file {path} needs a non-empty `slots` list", code="bad_slot")
    slots: dict[str, Slot] = {}
    for entry in entries:
        try:
            slot = Slot(**entry)
        except TypeError as exc:
            raise InvalidInput(f"slots file {path}: {exc}", code="bad_slot") from None
        slots[slot.name] = slot
    return slots


def resolve_slots(names: list[str] | None, available: dict[str, Slot] | None = None) -> list[Slot]:
    """Slots by name; a `WIDTHxHEIGHT` name is an ad-hoc slot with the default margin."""
    available = available or load_slots()
    chosen: list[Slot] = []
    for name in names or DEFAULT_SLOT_NAMES:
        if name in available:
            chosen.append(available[name])
            continue
        width, sep, height = name.lower().partition("x")
        if sep and width.isdigit() and height.isdigit():
            chosen.append(Slot(name=f"{width}x{height}", width=int(width), height=int(height)))
            continue
        raise InvalidInput(
            f"unknown slot {name!r}; choose from {sorted(available)} or give WIDTHxHEIGHT", code="bad_slot"
        )
    return chosen


def place(product_width: int, product_height: int, slot: Slot) -> Placement:
    """Fit the product into the slot's safe area (the slot minus its margin), centred or standing on the bottom."""
    margin = round(slot.margin * min(slot.width, slot.height))
    safe_w, safe_h = slot.width - 2 * margin, slot.height - 2 * margin
    scale = min(safe_w / product_width, safe_h / product_height, slot.max_upscale)
    # floor, so the rounded size never exceeds the safe area (never cropped, margins kept)
    width = max(1, min(safe_w, math.floor(product_width * scale)))
    height = max(1, min(safe_h, math.floor(product_height * scale)))
    x = margin + (safe_w - width) // 2
    y = margin + (safe_h - height) // 2 if slot.anchor == "center" else margin + safe_h - height
    return Placement(scale=scale, x=x, y=y, width=width, height=height)
