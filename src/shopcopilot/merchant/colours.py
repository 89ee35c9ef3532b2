"""The product's colours, named: k-means in CIELAB over the cutout's core pixels (never the background), each centre
named by its nearest entry (CIEDE2000) in a small table of colour names a shopper would use, in English and Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Name, Chinese name, sRGB. Chosen to be the names shops use for variant options, not a painter's palette.
NAMED_COLOURS: tuple[tuple[str, str, tuple[int, int, int]], ...] = (
    ("black", "黑色", (20, 20, 20)),
    ("charcoal", "炭灰色", (54, 69, 79)),
    ("grey", "灰色", (128, 128, 128)),
    ("silver", "银色", (192, 192, 192)),
    ("white", "白色", (245, 245, 245)),
    ("ivory", "象牙白", (255, 250, 225)),
    ("beige", "米色", (222, 200, 160)),
    ("brown", "棕色", (120, 72, 40)),
    ("tan", "卡其色", (196, 150, 100)),
    ("red", "红色", (210, 30, 35)),
    ("burgundy", "酒红色", (120, 20, 40)),
    ("pink", "粉色", (245, 160, 190)),
    ("orange", "橙色", (245, 130, 30)),
    ("gold", "金色", (212, 175, 55)),
    ("yellow", "黄色", (250, 220, 40)),
    ("olive", "橄榄绿", (110, 115, 40)),
    ("green", "绿色", (40, 160, 70)),
    ("mint", "薄荷绿", (160, 225, 190)),
    ("teal", "蓝绿色", (0, 128, 128)),
    ("light blue", "浅蓝色", (150, 200, 240)),
    ("blue", "蓝色", (30, 90, 200)),
    ("navy", "藏青色", (25, 35, 90)),
    ("purple", "紫色", (120, 50, 160)),
    ("lavender", "薰衣草紫", (190, 170, 225)),
)
MIN_SHARE = 0.12  # a colour covering less than this share of the product is a detail, not a variant colour


@dataclass(frozen=True)
class NamedColour:
    name: str
    name_zh: str
    rgb: tuple[int, int, int]  # the cluster centre as seen in the photo
    share: float  # fraction of the product's pixels
    delta_e: float  # distance from the named colour (CIEDE2000)

    @property
    def hex(self) -> str:
        return "#{:02x}{:02x}{:02x}".format(*self.rgb)

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "name_zh": self.name_zh,
            "hex": self.hex,
            "share": round(self.share, 3),
            "delta_e": round(self.delta_e, 1),
        }


def _to_lab(rgb: np.ndarray) -> np.ndarray:
    from skimage.color import rgb2lab

    return rgb2lab(rgb.reshape(1, -1, 3).astype(np.float64) / 255.0)[0]


_TABLE_LAB: np.ndarray | None = None


def _table_lab() -> np.ndarray:
    global _TABLE_LAB
    if _TABLE_LAB is None:
        _TABLE_LAB = _to_lab(np.array([rgb for _, _, rgb in NAMED_COLOURS], dtype=np.float64))
    return _TABLE_LAB


def name_colour(rgb: tuple[int, int, int]) -> tuple[str, str, float]:
    """The nearest named colour (English, Chinese) and its CIEDE2000 distance."""
    from skimage.color import deltaE_ciede2000

    lab = _to_lab(np.array([rgb], dtype=np.float64))
    table = _table_lab()
    distances = deltaE_ciede2000(np.repeat(lab, len(table), axis=0), table)
    best = int(np.argmin(distances))
    return NAMED_COLOURS[best][0], NAMED_COLOURS[best][1], float(distances[best])


def kmeans_lab(lab: np.ndarray, k: int, iterations: int = 20, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Centres and pixel counts; k-means++ seeding with a fixed seed, so the same photo gives the same colours."""
    rng = np.random.default_rng(seed)
    k = max(1, min(k, len(lab)))
    centres = [lab[rng.integers(len(lab))]]
    for _ in range(1, k):
        d2 = np.min(((lab[:, None, :] - np.array(centres)[None]) ** 2).sum(-1), axis=1)
        if d2.sum() <= 0:
            break
        centres.append(lab[rng.choice(len(lab), p=d2 / d2.sum())])
    c = np.array(centres)
    for _ in range(iterations):
        assign = np.argmin(((lab[:, None, :] - c[None]) ** 2).sum(-1), axis=1)
        updated = np.array([lab[assign == i].mean(0) if np.any(assign == i) else c[i] for i in range(len(c))])
        if np.allclose(updated, c, atol=0.05):
            c = updated
            break
        c = updated
    assign = np.argmin(((lab[:, None, :] - c[None]) ** 2).sum(-1), axis=1)
    return c, np.bincount(assign, minlength=len(c))


def dominant_colours(
    rgb: np.ndarray, mask: np.ndarray, *, k: int = 4, max_pixels: int = 4000, min_share: float = MIN_SHARE
) -> list[NamedColour]:
    """The named colours of the masked pixels, most common first; clusters with the same name are merged."""
    from skimage.color import lab2rgb

    pixels = rgb[mask.astype(bool)]
    if len(pixels) == 0:
        return []
    if len(pixels) > max_pixels:
        pixels = pixels[np.random.default_rng(0).choice(len(pixels), max_pixels, replace=False)]
    centres, counts = kmeans_lab(_to_lab(pixels), k)
    total = float(counts.sum())
    merged: dict[str, dict] = {}
    for centre, count in sorted(zip(centres, counts, strict=True), key=lambda item: -item[1]):
        if count == 0:
            continue
        centre_rgb = tuple(int(round(v)) for v in np.clip(lab2rgb(centre[None, None])[0, 0] * 255, 0, 255))
        name, name_zh, distance = name_colour(centre_rgb)  # type: ignore[arg-type]
        entry = merged.setdefault(
            name, {"name_zh": name_zh, "rgb": centre_rgb, "share": 0.0, "delta_e": distance}
        )
        entry["share"] += count / total
    colours = [
        NamedColour(name, e["name_zh"], e["rgb"], e["share"], e["delta_e"]) for name, e in merged.items()
    ]
    colours.sort(key=lambda colour: -colour.share)
    kept = [colour for colour in colours if colour.share >= min_share]
    return kept or colours[:1]
