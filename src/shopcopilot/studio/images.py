"""Safe image loading: every upload passes here before any pixel is touched.

Refuses empty, truncated and non-image files and decompression bombs (a pixel cap checked from the header, before
decoding); normalises EXIF rotation, CMYK, palette, 16-bit and alpha inputs to 8-bit RGB (+ alpha when present).
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from shopcopilot.errors import InvalidInput

MAX_PIXELS = 40_000_000  # ~ a 7300x5500 photo; anything larger is refused before decoding
MAX_BYTES = 30 * 1024 * 1024
MIN_SIDE = 16
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "BMP", "TIFF", "GIF", "MPO"}


class ImageError(InvalidInput):
    """The upload is not an image we can use; the message says why and what to send instead."""

    code = "bad_image"


@dataclass
class LoadedImage:
    rgb: np.ndarray  # HxWx3 uint8
    alpha: np.ndarray | None  # HxW uint8, only when the file carried real transparency
    source_format: str
    source_mode: str
    notes: list[str] = field(default_factory=list)

    @property
    def size(self) -> tuple[int, int]:
        return self.rgb.shape[1], self.rgb.shape[0]


def _read_bytes(source: bytes | str | Path) -> bytes:
    if isinstance(source, bytes | bytearray):
        return bytes(source)
    path = Path(source)
    if not path.is_file():
        raise ImageError(f"image file not found: {path}", code="image_not_found")
    if path.stat().st_size > MAX_BYTES:
        raise ImageError(f"{path.name} is larger than {MAX_BYTES // 2**20} MB; send a smaller photo")
    return path.read_bytes()


def probe(data: bytes, *, max_pixels: int = MAX_PIXELS) -> tuple[str, tuple[int, int]]:
    """Format and size from the header alone (cheap): refuses what `load_image` would refuse early."""
    if not data:
        raise ImageError("the file is empty (0 bytes); upload a JPEG, PNG or WebP photo", code="empty_image")
    if len(data) > MAX_BYTES:
        raise ImageError(
            f"the file is larger than {MAX_BYTES // 2**20} MB; send a smaller photo", code="too_large"
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                fmt, size = image.format or "?", image.size
    except UnidentifiedImageError:
        raise ImageError(
            "the file is not an image; upload a JPEG, PNG or WebP photo", code="not_an_image"
        ) from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageError(_bomb_message(max_pixels), code="image_too_large") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise ImageError(
            f"the image header is damaged ({exc}); re-export the photo", code="corrupt_image"
        ) from None
    if fmt not in ALLOWED_FORMATS:
        raise ImageError(
            f"{fmt} images are not supported; upload a JPEG, PNG or WebP photo", code="unsupported_format"
        )
    width, height = size
    if width * height > max_pixels:
        raise ImageError(_bomb_message(max_pixels, size), code="image_too_large")
    if min(width, height) < MIN_SIDE:
        raise ImageError(
            f"the image is {width}x{height}; send a photo at least {MIN_SIDE} px a side", code="too_small"
        )
    return fmt, size


def _bomb_message(max_pixels: int, size: tuple[int, int] | None = None) -> str:
    what = f"{size[0]}x{size[1]} pixels" if size else "too many pixels"
    return (
        f"the image has {what}; the limit is {max_pixels / 1e6:.0f} megapixels: downscale it and upload again"
    )


def load_image(source: bytes | str | Path, *, max_pixels: int = MAX_PIXELS) -> LoadedImage:
    data = _read_bytes(source)
    fmt, _ = probe(data, max_pixels=max_pixels)
    notes: list[str] = []
    try:
        with Image.open(io.BytesIO(data)) as opened:
            opened.load()  # a truncated file fails here, not later inside a pipeline stage
            mode = opened.mode
            orientation = _exif_orientation(opened)
            image = ImageOps.exif_transpose(opened)
            if orientation not in (None, 1):
                notes.append(f"turned upright from EXIF orientation {orientation}")
    except (OSError, SyntaxError, ValueError) as exc:
        raise ImageError(
            f"the image data is truncated or damaged ({exc}); re-export or re-upload the photo",
            code="corrupt_image",
        ) from None
    rgb, alpha = _to_rgb_alpha(image, notes)
    return LoadedImage(rgb=rgb, alpha=alpha, source_format=fmt, source_mode=mode, notes=notes)


def _exif_orientation(image: Image.Image) -> int | None:
    try:
        return image.getexif().get(0x0112)
    except Exception:  # a damaged EXIF block must not stop the image itself
        return None


def _to_rgb_alpha(image: Image.Image, notes: list[str]) -> tuple[np.ndarray, np.ndarray | None]:
    mode = image.mode
    if mode == "CMYK":
        notes.append("converted from CMYK")
        image = image.convert("RGB")
    elif mode == "P":
        notes.append("converted from a palette")
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    elif mode in ("I;16", "I;16B", "I;16L", "I"):
        notes.append(f"reduced from {mode} to 8 bits")
        array = np.asarray(image, dtype=np.float64)
        scale = 255.0 / max(float(array.max()), 1.0)
        image = Image.fromarray(np.clip(array * scale, 0, 255).astype(np.uint8), "L")
    elif mode == "F":
        array = np.asarray(image, dtype=np.float64)
        lo, hi = float(array.min()), float(array.max())
        image = Image.fromarray(((array - lo) / max(hi - lo, 1e-9) * 255).astype(np.uint8), "L")
    if image.mode in ("LA", "PA", "RGBa", "La"):
        image = image.convert("RGBA")
    if image.mode == "RGBA":
        rgba = np.asarray(image)
        alpha = rgba[..., 3]
        if alpha.min() == 255:  # an opaque alpha channel carries nothing
            return np.ascontiguousarray(rgba[..., :3]), None
        notes.append("kept the file's transparency as the product mask")
        return np.ascontiguousarray(rgba[..., :3]), np.ascontiguousarray(alpha)
    if image.mode != "RGB":
        image = image.convert("RGB")
    return np.ascontiguousarray(np.asarray(image)), None


def encode_png(rgb: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, "PNG", compress_level=1)
    return buffer.getvalue()


def save_image(rgb: np.ndarray, path: Path) -> Path:
    """PNG (lossless, so the fidelity report holds for the file) unless the suffix asks for JPEG/WebP."""
    path.parent.mkdir(parents=True, exist_ok=True)
    suffix = path.suffix.lower()
    image = Image.fromarray(rgb)
    if suffix in (".jpg", ".jpeg"):
        image.save(path, "JPEG", quality=95, subsampling=0)
    elif suffix == ".webp":
        image.save(path, "WEBP", lossless=True)
    else:
        image.save(path, "PNG", compress_level=1)
    return path
