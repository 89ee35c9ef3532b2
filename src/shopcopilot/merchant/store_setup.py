"""Store setup: name suggestions, a logo (SVG, and PNG drawn from the same geometry), a storefront theme.

Names combine the category's words with style words and are checked against existing store names. The logo is a
monogram (or a round mark) in a palette taken from the product colours. The theme's banner is composed from product
cutouts (the studio's cutout; product pixels untouched) on a gradient in the palette.
"""

from __future__ import annotations

import io
import re
from html import escape
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from shopcopilot.catalog.models import Merchant, Product
from shopcopilot.config import var_dir
from shopcopilot.errors import InvalidInput, NotFound
from shopcopilot.merchant.colours import NAMED_COLOURS

LATIN_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
CJK_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
SUFFIXES = ("Co.", "House", "Studio", "Supply", "Goods", "Corner")
BANNER_SIZE = (1920, 600)


def _hex(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", hex_colour or ""):
        raise InvalidInput(f"colours are #rrggbb, not {hex_colour!r}", code="bad_colour")
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def colour_hex(name_or_hex: str) -> str:
    for name, name_zh, rgb in NAMED_COLOURS:
        if name_or_hex.lower() in (name, name_zh):
            return _hex(rgb)
    return _hex(_rgb(name_or_hex))


def _luminance(rgb: tuple[int, int, int]) -> float:
    return (0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]) / 255


def make_palette(colours: list[str]) -> dict:
    """primary/accent from the product colours, text in whichever of near-black/white reads on the primary."""
    hexes = [colour_hex(c) for c in colours if c] or ["#1e5ac8"]
    primary = hexes[0]
    accent = hexes[1] if len(hexes) > 1 else ("#f5f5f5" if _luminance(_rgb(primary)) < 0.5 else "#141414")
    text = "#ffffff" if _luminance(_rgb(primary)) < 0.55 else "#141414"
    return {"primary": primary, "accent": accent, "text": text, "background": "#fafafa"}


# -- names -----------------------------------------------------------------------------------------------------------
def suggest_store_names(
    session: Session, category_words: list[str], style_words: list[str], limit: int = 6
) -> list[dict]:
    words = [w.strip().title() for w in category_words if w and w.strip()]
    styles = [w.strip().title() for w in style_words if w and w.strip()]
    if not words:
        raise InvalidInput("give at least one category word, e.g. 'kitchen'", code="bad_name_request")
    taken = {name.lower() for name in session.scalars(select(func.lower(Merchant.name)))}
    candidates: list[str] = []
    for style in styles or [""]:
        for word in words:
            for suffix in SUFFIXES:
                candidates.append(" ".join(p for p in (style, word, suffix) if p))
    for word in words:
        candidates.append(f"The {word} Shelf")
    out, seen = [], set()
    for name in candidates:
        if name.lower() in seen:
            continue
        seen.add(name.lower())
        out.append({"name": name, "available": name.lower() not in taken})
    available = [c for c in out if c["available"]]
    return (available + [c for c in out if not c["available"]])[:limit]


# -- logo ------------------------------------------------------------------------------------------------------------
def monogram(name: str) -> str:
    cjk = re.findall(r"[\u4e00-\u9fff]", name)
    if cjk:
        return cjk[0]
    words = [w for w in re.findall(r"[A-Za-z0-9]+", name) if w.lower() not in ("the", "and", "of", "co")]
    return "".join(w[0] for w in words[:2]).upper() or "S"


def logo_svg(name: str, palette: dict, *, kind: str = "monogram", size: int = 512) -> str:
    if kind not in ("monogram", "mark"):
        raise InvalidInput("logo kind is 'monogram' or 'mark'", code="bad_logo")
    letters = escape(monogram(name))
    label = escape(name)
    c = size / 2
    if kind == "monogram":
        shape = f'<rect x="{size * 0.1:g}" y="{size * 0.05:g}" width="{size * 0.8:g}" height="{size * 0.62:g}" rx="{size * 0.12:g}" fill="{palette["primary"]}"/>'
    else:
        shape = (
            f'<circle cx="{c:g}" cy="{size * 0.36:g}" r="{size * 0.31:g}" fill="{palette["primary"]}"/>'
            f'<circle cx="{c:g}" cy="{size * 0.36:g}" r="{size * 0.25:g}" fill="none" stroke="{palette["accent"]}" stroke-width="{size * 0.02:g}"/>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 {size} {size}">'
        f'<rect width="{size}" height="{size}" fill="{palette["background"]}"/>{shape}'
        f'<text x="{c:g}" y="{size * 0.36:g}" text-anchor="middle" dominant-baseline="central" '
        f'font-family="DejaVu Sans, Noto Sans CJK SC, sans-serif" font-weight="bold" font-size="{size * 0.26:g}" '
        f'fill="{palette["text"]}">{letters}</text>'
        f'<text x="{c:g}" y="{size * 0.86:g}" text-anchor="middle" font-family="DejaVu Sans, Noto Sans CJK SC, sans-serif" '
        f'font-size="{size * 0.08:g}" fill="#222222">{label}</text></svg>'
    )


def _font(text: str, size: int) -> ImageFont.FreeTypeFont:
    path = CJK_FONT if re.search(r"[\u4e00-\u9fff]", text) and Path(CJK_FONT).exists() else LATIN_FONT
    return ImageFont.truetype(path, size)


def logo_png(name: str, palette: dict, *, kind: str = "monogram", size: int = 512) -> bytes:
    """The same logo as `logo_svg`, drawn with Pillow (no SVG renderer needed)."""
    logo_svg(name, palette, kind=kind, size=size)  # validates kind
    image = Image.new("RGB", (size, size), _rgb(palette["background"]))
    draw = ImageDraw.Draw(image)
    c = size / 2
    if kind == "monogram":
        draw.rounded_rectangle(
            (size * 0.1, size * 0.05, size * 0.9, size * 0.67),
            radius=size * 0.12,
            fill=_rgb(palette["primary"]),
        )
    else:
        r = size * 0.31
        draw.ellipse((c - r, size * 0.36 - r, c + r, size * 0.36 + r), fill=_rgb(palette["primary"]))
        r2 = size * 0.25
        draw.ellipse(
            (c - r2, size * 0.36 - r2, c + r2, size * 0.36 + r2),
            outline=_rgb(palette["accent"]),
            width=max(1, int(size * 0.02)),
        )
    letters = monogram(name)
    draw.text(
        (c, size * 0.36),
        letters,
        font=_font(letters, int(size * 0.26)),
        fill=_rgb(palette["text"]),
        anchor="mm",
    )
    draw.text((c, size * 0.86), name, font=_font(name, int(size * 0.08)), fill=(34, 34, 34), anchor="ms")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


# -- theme -----------------------------------------------------------------------------------------------------------
def compose_banner(
    photos: list[bytes | str | Path], palette: dict, size: tuple[int, int] = BANNER_SIZE
) -> np.ndarray:
    """Product cutouts side by side on a left-to-right gradient of the palette; product pixels are pasted as cut."""
    from shopcopilot.studio.cutout import cut_out
    from shopcopilot.studio.images import load_image

    width, height = size
    a, b = np.array(_rgb(palette["primary"]), float), np.array(_rgb(palette["background"]), float)
    t = np.linspace(0, 1, width)[None, :, None]
    canvas = (a * (1 - t) + b * t).repeat(height, axis=0)
    cutouts = [cut_out(load_image(photo)) for photo in photos[:4]]
    slot_w = width * 0.6 / max(1, len(cutouts))
    for i, cutout in enumerate(cutouts):
        rgb, alpha, _ = cutout.crop()
        scale = min(height * 0.8 / rgb.shape[0], slot_w * 0.9 / rgb.shape[1])
        new = (max(1, int(rgb.shape[1] * scale)), max(1, int(rgb.shape[0] * scale)))
        piece = np.asarray(Image.fromarray(rgb).resize(new, Image.Resampling.LANCZOS), float)
        mask = (
            np.asarray(
                Image.fromarray((alpha * 255).astype(np.uint8)).resize(new, Image.Resampling.LANCZOS), float
            )[..., None]
            / 255
        )
        x = int(width * 0.4 + i * slot_w + (slot_w - new[0]) / 2)
        y = int((height - new[1]) / 2)
        region = canvas[y : y + new[1], x : x + new[0]]
        canvas[y : y + new[1], x : x + new[0]] = piece * mask + region * (1 - mask)
    return canvas.clip(0, 255).astype(np.uint8)


def _featured(
    session: Session, merchant_id: str, product_ids: list[str] | None, limit: int = 4
) -> list[dict]:
    query = select(Product).where(Product.merchant_id == merchant_id).options(selectinload(Product.variants))
    if product_ids:
        query = query.where(Product.id.in_(product_ids))
    products = session.scalars(query.order_by(Product.position, Product.id)).all()
    if product_ids and len(products) != len(set(product_ids)):
        raise NotFound("some featured products are not in your store", code="product_not_found")
    return [
        {"product_id": p.id, "name": p.name, "price_from": min((v.price for v in p.variants), default=None)}
        for p in products[:limit]
    ]


def build_theme(
    session: Session,
    merchant_id: str,
    *,
    colours: list[str],
    photos: list[bytes | str | Path] | None = None,
    featured: list[str] | None = None,
    out_dir: Path | None = None,
) -> dict:
    """The storefront theme (palette, banner, featured products), saved on the merchant row."""
    merchant = session.get(Merchant, merchant_id)
    if merchant is None:
        raise NotFound(f"no merchant {merchant_id!r}", code="merchant_not_found")
    palette = make_palette(colours)
    theme: dict = {"palette": palette, "featured": _featured(session, merchant_id, featured), "banner": None}
    folder = out_dir or var_dir() / "store_themes" / merchant_id
    folder.mkdir(parents=True, exist_ok=True)
    if photos:
        banner = compose_banner(photos, palette)
        Image.fromarray(banner).save(folder / "banner.png")
        theme["banner"] = {
            "path": str(folder / "banner.png"),
            "width": banner.shape[1],
            "height": banner.shape[0],
        }
    (folder / "logo.svg").write_text(logo_svg(merchant.name, palette), encoding="utf-8")
    (folder / "logo.png").write_bytes(logo_png(merchant.name, palette))
    theme["logo"] = {"svg": str(folder / "logo.svg"), "png": str(folder / "logo.png")}
    merchant.theme = theme
    return theme
