"""Product photos the tests draw with Pillow: a known colour and known lettering, so what the merchant tools read
from them (brand, colour, material, capacity) can be checked exactly."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def product_photo(
    body: tuple[int, int, int] = (200, 30, 40),
    lines: tuple[tuple[str, int], ...] = (
        ("AQUAPEAK", 40),
        ("Water Bottle", 24),
        ("Stainless Steel", 24),
        ("750 ml", 28),
    ),
    background: tuple[int, int, int] = (236, 236, 232),
    size: tuple[int, int] = (640, 640),
) -> bytes:
    """A bottle-shaped product in a known colour with known white lettering, on a plain light backdrop."""
    image = Image.new("RGB", size, background)
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.rounded_rectangle((w * 0.25, h * 0.1, w * 0.75, h * 0.92), radius=40, fill=body)
    y = h * 0.22
    for text, font_size in lines:
        draw.text((w * 0.29, y), text, font=ImageFont.truetype(FONT, font_size), fill=(250, 250, 250))
        y += font_size * 2.2
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()
