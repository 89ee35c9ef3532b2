"""Attributes read from the text on a product (OCR lines): brand, model, material, size, capacity and other specs.

Every attribute keeps the OCR line it came from, so the draft can show its evidence. Rules, not guesses: a value
that no line supports is left out rather than invented.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

MATERIALS: dict[str, tuple[str, ...]] = {
    "stainless steel": ("stainless steel", "stainless", "不锈钢"),
    "aluminium": ("aluminium", "aluminum", "铝合金", "铝"),
    "cotton": ("cotton", "纯棉", "棉"),
    "polyester": ("polyester", "涤纶"),
    "leather": ("leather", "真皮", "皮革"),
    "wool": ("wool", "羊毛"),
    "silk": ("silk", "真丝"),
    "nylon": ("nylon", "尼龙"),
    "glass": ("glass", "玻璃"),
    "ceramic": ("ceramic", "陶瓷"),
    "bamboo": ("bamboo", "竹"),
    "wood": ("wooden", "wood", "实木", "木"),
    "plastic": ("plastic", "bpa free", "bpa-free", "塑料"),
    "silicone": ("silicone", "硅胶"),
    "carbon fiber": ("carbon fiber", "carbon fibre", "碳纤维"),
    "rubber": ("rubber", "橡胶"),
    "canvas": ("canvas", "帆布"),
}

_CAPACITY = re.compile(
    r"(\d+(?:[.,]\d+)?)\s*(ml|mL|ML|l|L|oz|OZ|fl\.? ?oz|毫升|升|mAh|mah|MAH|GB|gb|TB|tb)\b", re.I
)
_SIZE_LETTER = re.compile(r"(?:^|\b|尺码[:：]?\s*)(XXS|XS|S|M|L|XL|XXL|XXXL|2XL|3XL)(?:\b|$)")
_DIMENSIONS = re.compile(
    r"(\d+(?:\.\d+)?)\s*[x×*]\s*(\d+(?:\.\d+)?)(?:\s*[x×*]\s*(\d+(?:\.\d+)?))?\s*(mm|cm|m|in|inch|\")", re.I
)
_LENGTH = re.compile(r"(\d+(?:\.\d+)?)\s*(inch|in|\"|cm|mm)\b", re.I)
_SPECS = {
    "power": re.compile(r"(\d+(?:\.\d+)?)\s*(W|w|kW|瓦)(?![a-z])"),
    "voltage": re.compile(r"(\d+(?:\.\d+)?)\s*(V|v|伏)(?![a-z])"),
    "weight": re.compile(r"(\d+(?:\.\d+)?)\s*(kg|g|lb|lbs|克|千克|公斤)\b", re.I),
    "pieces": re.compile(r"(\d+)\s*(pcs|pieces|pack|件|只|个装)\b", re.I),
}
_MODEL = re.compile(
    r"\b(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])[A-Z0-9]{1,6}(?:-[A-Z0-9]{1,8})+\b|\b[A-Z]{1,4}\d{2,6}[A-Z]?\b"
)
_MODEL_LABEL = re.compile(
    r"(?:model|型号|货号)\s*(?:no\.?|number)?\s*[:：#]?\s*([A-Za-z0-9][A-Za-z0-9-]{1,20})", re.I
)
_BRAND_LABEL = re.compile(r"(?:brand|品牌)\s*[:：]\s*(\S+)", re.I)
_STOPWORDS = {
    "new",
    "the",
    "and",
    "with",
    "for",
    "made",
    "in",
    "of",
    "model",
    "brand",
    "size",
    "free",
    "bpa",
    "premium",
    "quality",
    "original",
    "official",
    "edition",
    "series",
    "pro",
    "max",
}


@dataclass
class OcrLine:
    text: str
    score: float = 1.0
    height: float = 0.0  # box height in pixels: the brand is usually the largest lettering


@dataclass
class Attributes:
    brand: str | None = None
    model: str | None = None
    material: str | None = None
    sizes: list[str] = field(default_factory=list)
    capacity: str | None = None
    specs: dict[str, str] = field(default_factory=dict)
    evidence: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict:
        out: dict = {}
        if self.material:
            out["material"] = self.material
        if self.sizes:
            out["size"] = self.sizes[0] if len(self.sizes) == 1 else self.sizes
        if self.capacity:
            out["capacity"] = self.capacity
        out.update(self.specs)
        return out


def _line_of(lines: Sequence[OcrLine], needle: str) -> str:
    for line in lines:
        if needle.lower() in line.text.lower():
            return line.text
    return needle


def _normalise_capacity(number: str, unit: str) -> str:
    unit_map = {
        "毫升": "ml",
        "升": "L",
        "l": "L",
        "ml": "ml",
        "mah": "mAh",
        "gb": "GB",
        "tb": "TB",
        "oz": "oz",
    }
    key = unit.lower().replace(" ", "").replace(".", "")
    if key.startswith("floz"):
        key = "oz"
    return f"{number.replace(',', '.')}{unit_map.get(key, unit_map.get(unit, unit))}"


def find_material(text: str) -> str | None:
    lowered = text.lower()
    for name, words in MATERIALS.items():
        if any(word in lowered for word in words):
            return name
    return None


def _brand(lines: Sequence[OcrLine], model: str | None) -> tuple[str | None, str | None]:
    for line in lines:
        match = _BRAND_LABEL.search(line.text)
        if match:
            return match.group(1).strip(" ,.;"), line.text
    # Otherwise the tallest line of mostly letters that is not a spec, a size or a material.
    candidates = []
    for line in lines:
        text = line.text.strip()
        words = re.findall(r"[A-Za-z][A-Za-z&'.-]+|[\u4e00-\u9fff]{2,6}", text)
        if not words or len(words) > 3 or any(ch.isdigit() for ch in text):
            continue
        if find_material(text) or (model and model in text):
            continue
        word = words[0]
        if word.lower() in _STOPWORDS or len(word) < 2:
            continue
        candidates.append((line.height, line.score, word, text))
    if not candidates:
        return None, None
    _, _, word, text = max(candidates, key=lambda c: (c[0], c[1]))
    return word, text


def extract_attributes(lines: Sequence[OcrLine]) -> Attributes:
    """Attributes from OCR lines (top to bottom)."""
    attrs = Attributes()
    text = "\n".join(line.text for line in lines)

    for line in lines:
        match = _MODEL_LABEL.search(line.text)
        if match:
            attrs.model, attrs.evidence["model"] = match.group(1), f"OCR: {line.text!r}"
            break
    if attrs.model is None:
        for line in lines:
            if _CAPACITY.search(line.text) or _DIMENSIONS.search(line.text):
                continue
            match = _MODEL.search(line.text)
            if match:
                attrs.model, attrs.evidence["model"] = match.group(0), f"OCR: {line.text!r}"
                break

    brand, source = _brand(lines, attrs.model)
    if brand:
        attrs.brand, attrs.evidence["brand"] = brand, f"OCR (largest lettering): {source!r}"

    material = find_material(text)
    if material:
        attrs.material = material
        source = next((line.text for line in lines if find_material(line.text) == material), text)
        attrs.evidence["material"] = f"OCR: {source!r}"

    capacity = _CAPACITY.search(text)
    if capacity:
        attrs.capacity = _normalise_capacity(capacity.group(1), capacity.group(2))
        attrs.evidence["capacity"] = f"OCR: {_line_of(lines, capacity.group(0))!r}"

    dimensions = _DIMENSIONS.search(text)
    if dimensions:
        parts = [p for p in dimensions.groups()[:3] if p]
        attrs.specs["dimensions"] = "×".join(parts) + " " + dimensions.group(4).replace('"', "in")
        attrs.evidence["dimensions"] = f"OCR: {_line_of(lines, dimensions.group(0))!r}"
    for line in lines:
        for match in _SIZE_LETTER.finditer(line.text):
            if match.group(1) not in attrs.sizes and (len(line.text.strip()) <= 24):
                attrs.sizes.append(match.group(1))
                attrs.evidence.setdefault("size", f"OCR: {line.text!r}")
    if not attrs.sizes and not dimensions:
        length = _LENGTH.search(text)
        if length:
            attrs.sizes.append(f"{length.group(1)} {length.group(2).replace(chr(34), 'in')}")
            attrs.evidence["size"] = f"OCR: {_line_of(lines, length.group(0))!r}"

    for name, pattern in _SPECS.items():
        match = pattern.search(text)
        if match and not (capacity and match.group(0) in capacity.group(0)):
            attrs.specs[name] = f"{match.group(1)}{match.group(2)}"
            attrs.evidence[name] = f"OCR: {_line_of(lines, match.group(0))!r}"
    return attrs
