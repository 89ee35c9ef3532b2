"""Build src/shopcopilot/data/everyday_store.json from the hand-written tables in scripts/everyday_tables/.

Run: .venv/bin/python scripts/make_everyday_store.py   (re-run after editing a table; commit the JSON too)

Table format (one `.txt` file per group of categories; blocks separated by blank lines):

    == snacks                                   <- category id for the blocks that follow
    Name | 中文名 | kind | UNIT Q1=P1 Q2 Q3=P3 | flavor: original, spicy
    Description. | 描述。
    Feature one; feature two; feature three | 特点一；特点二；特点三
    Who and when it suits. | 适合谁、什么时候。
    u: Optional usage overriding the kind's usage. | 可选：覆盖默认用法。
    # tag another-tag

The 4th header field gives the sized variants: a unit (g, ml, pcs, m, sheets...) and quantities; the first
quantity carries a price, later ones may carry their own or are derived with an economy of scale (bigger pack costs
more but less per unit). `opt NAME: V1=P1, V2=P2` instead lists explicit option values (a size in cm, a colour)
with their own prices. The optional 5th field crosses every size with the values of one more option at the same
price. Ids are assigned in table order (EV-0001...): append new products at the end of a table to keep them stable.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TABLES = Path(__file__).resolve().parent / "everyday_tables"
DATA = ROOT / "src" / "shopcopilot" / "data"
OUT = DATA / "everyday_store.json"

sys.path.insert(0, str(Path(__file__).resolve().parent))
from everyday_tables.kinds import KINDS  # noqa: E402

# Price of a pack k times larger is k**SCALE times the price: per-unit price falls as packs grow.
SCALE = 0.86
TABLE_ORDER = [
    "food.txt",
    "fresh.txt",
    "kitchen.txt",
    "party.txt",
    "travel.txt",
    "home.txt",
    "care.txt",
    "pets.txt",
]


def _charm(price: float) -> float:
    """Round down to a price ending in 9 cents (2.83 -> 2.79), never below 0.49."""
    if price < 1:
        return max(0.49, round(price, 2))
    return round(math.floor((price - 0.09) * 10 + 1e-9) / 10 + 0.09, 2)


def quantity_label(quantity: float, unit: str) -> str:
    if unit == "g" and quantity >= 1000:
        return f"{quantity / 1000:g} kg"
    if unit == "ml" and quantity >= 1000:
        return f"{quantity / 1000:g} L"
    return f"{quantity:g} {unit}"


def parse_sizes(spec: str) -> tuple[str, str, list[tuple[str, float, float]]]:
    """Returns (unit, option name, [(option value, unit_quantity, price)])."""
    if spec.startswith("opt "):
        name, _, values = spec[4:].partition(":")
        rows = []
        for item in values.split(","):
            value, _, price = item.strip().rpartition("=")
            rows.append((value.strip(), 1.0, float(price)))
        return "pcs", name.strip(), rows
    unit, *items = spec.split()
    rows = []
    base_q = base_p = None
    for item in items:
        q_text, _, p_text = item.partition("=")
        quantity = float(q_text)
        if p_text:
            price = float(p_text)
        else:
            assert base_q is not None, f"first size needs a price: {spec}"
            price = _charm(base_p * (quantity / base_q) ** SCALE)
        base_q, base_p = quantity, price
        rows.append((quantity_label(quantity, unit), quantity, price))
    return unit, "pack size", rows


def stock_for(variant_id: str) -> tuple[bool, int]:
    """Deterministic stock levels; about one variant in 25 is sold out."""
    h = int(hashlib.sha256(variant_id.encode()).hexdigest()[:8], 16)
    if h % 25 == 0:
        return False, 0
    return True, 8 + h % 240


def split_pair(line: str) -> tuple[str, str]:
    en, sep, zh = line.partition(" | ")
    if not sep:
        raise ValueError(f"expected 'english | 中文': {line!r}")
    return en.strip(), zh.strip()


def parse_block(lines: list[str], category: str) -> dict:
    head = [part.strip() for part in lines[0].split("|")]
    name, name_zh, kind, sizes = head[:4]
    extra = head[4] if len(head) > 4 else ""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r} for {name}")
    description, description_zh = split_pair(lines[1])
    features_en, features_zh = split_pair(lines[2])
    features = [f.strip() for f in features_en.split(";") if f.strip()]
    features_z = [f.strip() for f in features_zh.split("；") if f.strip()]
    suits, suits_zh = split_pair(lines[3])
    kind_info = KINDS[kind]
    usage, usage_zh = kind_info["usage"], kind_info["usage_zh"]
    tags: list[str] = []
    for line in lines[4:]:
        if line.startswith("u: "):
            usage, usage_zh = split_pair(line[3:])
        elif line.startswith("#"):
            tags += line[1:].split()
        else:
            raise ValueError(f"unexpected line in {name}: {line!r}")
    unit, option_name, size_rows = parse_sizes(sizes)
    cross: list[tuple[str, str]] = [("", "")]
    if extra:
        cross_name, _, values = extra.partition(":")
        cross = [(cross_name.strip(), v.strip()) for v in values.split(",")]
    variants = []
    for cross_name, cross_value in cross:
        for value, quantity, price in size_rows:
            options = {option_name: value}
            if cross_name:
                options[cross_name] = cross_value
            variants.append({"options": options, "unit_quantity": quantity, "price": round(price, 2)})
    return {
        "name": name,
        "name_zh": name_zh,
        "category": category,
        "kind": kind,
        "consumable": kind_info["consumable"],
        "unit": unit,
        "description": description,
        "description_zh": description_zh,
        "features": features,
        "features_zh": features_z,
        "suits": suits,
        "suits_zh": suits_zh,
        "usage": usage,
        "usage_zh": usage_zh,
        "tags": tags,
        "variants": variants,
    }


def read_tables() -> list[dict]:
    products: list[dict] = []
    for file_name in TABLE_ORDER:
        category = ""
        block: list[str] = []
        text = (TABLES / file_name).read_text(encoding="utf-8")
        for raw in [*text.splitlines(), ""]:
            line = raw.strip()
            if line.startswith("== "):
                category = line[3:].strip()
            elif line:
                block.append(line)
            elif block:
                products.append(parse_block(block, category))
                block = []
    for number, product in enumerate(products, start=1):
        product["id"] = f"EV-{number:04d}"
        for position, variant in enumerate(product["variants"], start=1):
            variant["id"] = f"{product['id']}-{position}"
            variant["available"], variant["stock"] = stock_for(variant["id"])
    return products


def check(products: list[dict]) -> list[str]:
    """Everything a reader of the JSON relies on; the tests repeat the important parts."""
    problems = []
    lexicon = json.loads((DATA / "option_lexicon.json").read_text(encoding="utf-8"))
    categories = {c["id"] for c in json.loads((DATA / "categories.json").read_text(encoding="utf-8"))}
    names = set()
    for p in products:
        where = f"{p['id']} {p['name']}"
        if p["name"] in names:
            problems.append(f"{where}: duplicate name")
        names.add(p["name"])
        if p["category"] not in categories:
            problems.append(f"{where}: unknown category {p['category']}")
        if not 3 <= len(p["features"]) <= 5 or len(p["features"]) != len(p["features_zh"]):
            problems.append(f"{where}: needs 3-5 features in both languages")
        for variant in p["variants"]:
            for option, value in variant["options"].items():
                if option not in lexicon["names"]:
                    problems.append(f"{where}: option name {option!r} missing from the lexicon")
                known = value in lexicon["values"] or value in lexicon["by_option"].get(option, {})
                if option != "pack size" and not known and not re.fullmatch(r"[\d.]+ \w+", value):
                    problems.append(f"{where}: option value {value!r} missing from the lexicon")
                if option == "pack size" and value.split()[-1] not in lexicon["units"]:
                    problems.append(f"{where}: unit of {value!r} missing from the lexicon")
        groups: dict[str, list[dict]] = {}
        for variant in p["variants"]:
            rest = json.dumps(
                {k: v for k, v in variant["options"].items() if k != "pack size"}, sort_keys=True
            )
            groups.setdefault(rest, []).append(variant)
        for group in groups.values():
            group = sorted(group, key=lambda v: v["unit_quantity"])
            for small, big in zip(group, group[1:], strict=False):
                if small["unit_quantity"] == big["unit_quantity"]:
                    continue
                if big["price"] <= small["price"] or (
                    big["price"] / big["unit_quantity"] > small["price"] / small["unit_quantity"] + 1e-9
                ):
                    problems.append(
                        f"{where}: pack prices inconsistent {small['options']} -> {big['options']}"
                    )
    return problems


def main() -> int:
    products = read_tables()
    problems = list(dict.fromkeys(check(products)))
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    store = {
        "merchant": {"id": "everyday", "name": "Everyday Goods Market", "name_zh": "日常好物超市"},
        "currency": "USD",
        "licence": "Written for the shopcopilot project (see src/shopcopilot/data/README.md).",
        "products": products,
    }
    OUT.write_text(json.dumps(store, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    by_category: dict[str, int] = {}
    for p in products:
        by_category[p["category"]] = by_category.get(p["category"], 0) + 1
    variants = sum(len(p["variants"]) for p in products)
    print(f"{len(products)} products, {variants} variants -> {OUT.relative_to(ROOT)}")
    for category, count in sorted(by_category.items()):
        print(f"  {category:22} {count}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
