"""Images the studio tests make: a labelled product shot, and encoding helpers."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def labelled_product(
    text: tuple[str, ...] = ("ORGANIC", "TEA 500g"), size: tuple[int, int] = (640, 480)
) -> Image.Image:
    """A blue box with white text on a light backdrop: a product shot whose text and colour the tests know."""
    image = Image.new("RGB", size, (232, 230, 226))
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.rounded_rectangle((w * 0.28, h * 0.16, w * 0.72, h * 0.86), radius=18, fill=(28, 64, 150))
    font = ImageFont.truetype(FONT, max(18, h // 11))
    for i, line in enumerate(text):
        draw.text((w * 0.32, h * (0.34 + 0.16 * i)), line, font=font, fill=(250, 250, 250))
    return image


def encode(image: Image.Image, fmt: str = "PNG", **save) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **save)
    return buffer.getvalue()
