"""Backgrounds generated at any size: studio sweep, gradients, surfaces/textures, product palettes, or a photo.

Every scene is made for the exact slot size, so a new aspect ratio gives more scene, never a stretched one.
Textures come from seeded noise, so the same request gives the same pixels.
"""

from __future__ import annotations

import colorsys
from dataclasses import dataclass, field
from functools import lru_cache

import cv2
import numpy as np

from shopcopilot.errors import InvalidInput

SCENE_KINDS = ("studio", "gradient", "radial", "surface", "texture", "palette", "photo", "plain")
SURFACES = ("wood", "marble", "concrete", "linen")


@dataclass(frozen=True)
class SceneSpec:
    kind: str = "studio"
    colors: tuple[str, ...] = ()  # hex colours; defaults depend on the kind (palette: taken from the product)
    surface: str = "marble"
    seed: int = 7
    blur_photo: float = 0.0  # background photos: gaussian sigma in px at 1000 px, for depth of field

    def __post_init__(self) -> None:
        if self.kind not in SCENE_KINDS:
            raise InvalidInput(f"unknown scene {self.kind!r}; choose from {SCENE_KINDS}", code="bad_scene")
        if self.surface not in SURFACES:
            raise InvalidInput(f"unknown surface {self.surface!r}; choose from {SURFACES}", code="bad_scene")
        for color in self.colors:
            parse_hex(color)


@dataclass
class SceneContext:
    """What a scene may depend on besides its size: the product's colours and an uploaded photo."""

    product_colors: list[tuple[int, int, int]] = field(default_factory=list)
    photo: np.ndarray | None = None


def parse_hex(color: str) -> tuple[int, int, int]:
    text = color.strip().lstrip("#")
    if len(text) == 3:
        text = "".join(ch * 2 for ch in text)
    try:
        if len(text) != 6:
            raise ValueError
        return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)
    except ValueError:
        raise InvalidInput(f"{color!r} is not a colour; use #rrggbb", code="bad_scene") from None


def _colors(spec: SceneSpec, defaults: tuple[str, ...]) -> list[np.ndarray]:
    names = spec.colors or defaults
    return [np.array(parse_hex(c), np.float32) for c in names]


def _pair(spec: SceneSpec, first: str, second: str) -> tuple[np.ndarray, np.ndarray]:
    given = _colors(spec, ())
    if len(given) >= 2:
        return given[0], given[1]
    base = given[0] if given else np.array(parse_hex(first), np.float32)
    return base, (base * 0.65 if given else np.array(parse_hex(second), np.float32))


def _mix(a: np.ndarray, b: np.ndarray, t: np.ndarray) -> np.ndarray:
    """a*(1-t) + b*t per channel, as a + (b-a)*t.

    Two colours mixed by a full HxW field are computed plane by plane and interleaved by `cv2.merge`: numpy's
    broadcasting of an (H, W, 1) operand against 3 channels is several times slower than contiguous planes.
    """
    if a.ndim == 1 and b.ndim == 1 and t.ndim == 2 and min(t.shape) > 1:
        return cv2.merge([a[c] + (b[c] - a[c]) * t for c in range(3)])
    return a + (b - a) * t[..., None]


def _shade(colour: np.ndarray, field: np.ndarray) -> np.ndarray:
    """`colour` (3,) or (H, 1, 3) times a brightness field (H, W) as an HxWx3 image, plane by plane."""
    colour = colour.reshape(-1, 1, 3)
    return cv2.merge([field * colour[:, :, c] for c in range(3)])


def _axes(width: int, height: int) -> tuple[np.ndarray, np.ndarray]:
    """x in [0,1] as a (1, W) row and y in [0,1] as an (H, 1) column: smooth scenes are built from these by
    broadcasting, so most of the arithmetic runs on W + H values, not W x H."""
    ys = np.linspace(0.0, 1.0, height, dtype=np.float32)[:, None]
    xs = np.linspace(0.0, 1.0, width, dtype=np.float32)[None, :]
    return xs, ys


def _noise(width: int, height: int, cells: tuple[int, int], seed: int) -> np.ndarray:
    """Smooth value noise in [0,1]: random cells upsampled with a cubic filter."""
    rng = np.random.default_rng(seed)
    small = rng.random((max(2, cells[1]), max(2, cells[0])), dtype=np.float32)
    return np.clip(cv2.resize(small, (width, height), interpolation=cv2.INTER_CUBIC), 0.0, 1.0)


GRAIN_TILE = 512


@lru_cache(maxsize=8)  # 3 MB a tile; a process uses one or two (seed, strength) pairs
def _grain_tile(seed: int, strength: float) -> np.ndarray:
    """The same grain in the three channels (luminance grain), stored interleaved so that adding it is a plain
    contiguous add."""
    tile = np.random.default_rng(seed + 1).standard_normal((GRAIN_TILE, GRAIN_TILE), dtype=np.float32)
    tile = np.repeat((tile * np.float32(strength))[..., None], 3, axis=2)
    tile.flags.writeable = False
    return tile


def _add_grain(image: np.ndarray, seed: int, strength: float) -> np.ndarray:
    """Add fine grain in place (and return `image`): it avoids banding of smooth gradients in 8-bit output.

    The grain is a seeded 512 px tile of gaussian noise repeated over the image (a 1-level dither has no visible
    period), so a 1920x1080 scene does not pay for two million fresh normal samples.
    """
    height, width = image.shape[:2]
    tile = _grain_tile(seed, strength)
    for y in range(0, height, GRAIN_TILE):
        for x in range(0, width, GRAIN_TILE):
            block = image[y : y + GRAIN_TILE, x : x + GRAIN_TILE]
            block += tile[: block.shape[0], : block.shape[1]]
    return image


def studio_sweep(width: int, height: int, spec: SceneSpec) -> np.ndarray:
    """A paper sweep: wall fading into a lighter floor through a soft curve, with a gentle vignette."""
    wall, floor = _colors(spec, ("#e9e7e4", "#fbfaf8"))
    xs, ys = _axes(width, height)
    horizon = 0.62
    t = 1.0 / (1.0 + np.exp(-(ys - horizon) * 9.0))
    rows = _mix(wall, floor, t)  # (H, 1, 3): the sweep depends on y only
    vignette = 1.0 - 0.10 * (((xs - 0.5) * 1.6) ** 2 + ((ys - 0.55) * 1.2) ** 2)
    return _add_grain(_shade(rows, vignette), spec.seed, 0.8)


def linear_gradient(width: int, height: int, spec: SceneSpec) -> np.ndarray:
    top, bottom = _colors(spec, ("#f4f1ec", "#d9d4cc"))
    _, ys = _axes(width, height)
    image = np.empty((height, width, 3), np.float32)
    image[:] = _mix(top, bottom, ys)  # (H, 1, 3) broadcast along the rows
    return _add_grain(image, spec.seed, 0.8)


def radial_gradient(width: int, height: int, spec: SceneSpec) -> np.ndarray:
    inner, outer = _colors(spec, ("#ffffff", "#d8dde3"))
    xs, ys = _axes(width, height)
    aspect = width / height
    # In place on one HxW plane: the distance to the centre, normalised, clipped, then t = d**1.5 = d*sqrt(d).
    dist = ((xs - 0.5) * aspect) ** 2 + (ys - 0.5) ** 2
    np.sqrt(dist, out=dist)
    dist *= np.float32(1.0 / (0.5 * np.hypot(aspect, 1.0)))
    np.clip(dist, 0.0, 1.0, out=dist)
    return _add_grain(_mix(inner, outer, dist * np.sqrt(dist)), spec.seed, 0.8)


def surface(width: int, height: int, spec: SceneSpec) -> np.ndarray:
    """A wall and a table top: the product stands on the surface's front edge region."""
    wall = _colors(spec, ("#ece8e2",))[0]
    top = texture(width, height, spec)
    _, ys = _axes(width, height)
    horizon = 0.58
    t = np.clip((ys - horizon) / 0.02 + 0.5, 0.0, 1.0)
    wall_img = wall * (0.92 + 0.08 * (ys / horizon))[..., None]
    return _mix(wall_img, top, t)


def texture(width: int, height: int, spec: SceneSpec) -> np.ndarray:
    seed, scale = spec.seed, max(width, height) / 1000.0
    if spec.surface == "wood":
        base, dark = _pair(spec, "#b98a5e", "#7a5434")
        warp = _noise(width, height, (4, 24), seed) * 18.0
        _, ys = _axes(width, height)
        rings = 0.5 + 0.5 * np.sin((ys * 60.0 / max(scale, 0.5) + warp) * 1.3)
        fine = _noise(width, height, (max(2, width // 3), 40), seed + 2)
        t = np.clip(rings * 0.7 + fine * 0.3, 0, 1) ** 1.5
        return _mix(base, dark, t * 0.8)
    if spec.surface == "marble":
        base, vein = _pair(spec, "#f3f1ee", "#9a9590")
        xs, ys = _axes(width, height)
        turbulence = sum(_noise(width, height, (3 * 2**k, 3 * 2**k), seed + k) / 2**k for k in range(4))
        veins = np.abs(np.sin((xs * 3.0 + ys * 2.0 + turbulence * 2.2) * np.pi))
        t = (1.0 - veins) ** 10
        return _add_grain(_mix(base, vein, t * 0.6), seed, 1.2)
    if spec.surface == "concrete":
        base = _colors(spec, ("#b7b4ae",))[0]
        blotch = _noise(width, height, (8, 8), seed) - 0.5
        speck = _noise(width, height, (width // 4 + 2, height // 4 + 2), seed + 3) - 0.5
        return _add_grain(_shade(base, 1.0 + 0.10 * blotch + 0.08 * speck), seed, 3.0)
    base = _colors(spec, ("#e6ddd0",))[0]  # linen
    rng = np.random.default_rng(seed)
    threads_x = rng.random(width, dtype=np.float32)[None, :]
    threads_y = rng.random(height, dtype=np.float32)[:, None]
    weave = 1.0 + 0.05 * (threads_x - 0.5) + 0.05 * (threads_y - 0.5)
    return _add_grain(_shade(base, weave), seed, 1.5)


def palette_colors(product_colors: list[tuple[int, int, int]]) -> tuple[str, str]:
    """A light tint and a deeper shade of the product's main colour: a background that belongs to the product."""
    r, g, b = product_colors[0] if product_colors else (200, 200, 200)
    hue, light, sat = colorsys.rgb_to_hls(r / 255, g / 255, b / 255)
    sat = min(sat, 0.45)
    tint = colorsys.hls_to_rgb(hue, 0.93, sat * 0.6)
    shade = colorsys.hls_to_rgb(hue, 0.78, sat * 0.8)
    return tuple("#" + "".join(f"{round(v * 255):02x}" for v in c) for c in (tint, shade))  # type: ignore[return-value]


def photo_background(width: int, height: int, spec: SceneSpec, photo: np.ndarray) -> np.ndarray:
    """Cover-fit the merchant's photo (crop the overflow, never stretch), optionally defocused."""
    ph, pw = photo.shape[:2]
    scale = max(width / pw, height / ph)
    size = (max(width, round(pw * scale)), max(height, round(ph * scale)))
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
    resized = cv2.resize(photo, size, interpolation=interpolation)
    x0, y0 = (size[0] - width) // 2, (size[1] - height) // 2
    image = resized[y0 : y0 + height, x0 : x0 + width].astype(np.float32)
    if spec.blur_photo > 0:
        sigma = spec.blur_photo * max(width, height) / 1000.0
        image = cv2.GaussianBlur(image, (0, 0), sigma)
    return image


def make_scene(width: int, height: int, spec: SceneSpec, context: SceneContext | None = None) -> np.ndarray:
    """The scene as HxWx3 uint8."""
    context = context or SceneContext()
    if spec.kind == "studio":
        image = studio_sweep(width, height, spec)
    elif spec.kind == "gradient":
        image = linear_gradient(width, height, spec)
    elif spec.kind == "radial":
        image = radial_gradient(width, height, spec)
    elif spec.kind == "surface":
        image = surface(width, height, spec)
    elif spec.kind == "texture":
        image = texture(width, height, spec)
    elif spec.kind == "palette":
        colors = spec.colors or palette_colors(context.product_colors)
        image = radial_gradient(width, height, SceneSpec(kind="radial", colors=tuple(colors), seed=spec.seed))
    elif spec.kind == "photo":
        if context.photo is None:
            raise InvalidInput("scene 'photo' needs a background photo upload", code="bad_scene")
        image = photo_background(width, height, spec, context.photo)
    else:
        color = _colors(spec, ("#ffffff",))[0]
        return np.full((height, width, 3), np.clip(np.round(color), 0, 255).astype(np.uint8), np.uint8)
    return to_uint8(image)


def to_uint8(image: np.ndarray) -> np.ndarray:
    """Round and saturate a float image to uint8 in one pass (OpenCV's saturate_cast), not clip + add + cast."""
    image = np.ascontiguousarray(image, dtype=np.float32)
    return cv2.addWeighted(image, 1.0, image, 0.0, 0.0, dtype=cv2.CV_8U)
