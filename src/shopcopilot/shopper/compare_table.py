"""The comparison table: one row per attribute, the products' values aligned in columns, and what kind of row it
is ('shared', 'differs', 'only some', 'not comparable', or the values the products share). Options are aligned by
name across products, so a row shows the same attribute for every column."""

from __future__ import annotations

from typing import Any

from shopcopilot.shopper.answers import option_label, value_label
from shopcopilot.shopper.cards import money
from shopcopilot.shopper.compare_facts import Compared, price_range


def table_rows(items: list[Compared], language: str) -> list[dict[str, Any]]:
    """Category, price, price per unit (when any has one), availability, every option, then features."""
    zh = language == "zh"
    same_category = len({i.category_id for i in items}) == 1
    rows: list[dict[str, Any]] = [
        {
            "attribute": "类目" if zh else "category",
            "values": [i.category for i in items],
            "kind": "shared" if same_category else "differs",
        },
        {
            "attribute": "价格" if zh else "price",
            "values": [price_range(i) for i in items],
            "kind": "differs",
        },
    ]
    if any(i.per_unit for i in items):
        rows.append(_per_unit_row(items, zh))
    rows.append(
        {
            "attribute": "有货款式" if zh else "available variants",
            "values": [f"{i.available}/{i.variants}" for i in items],
            "kind": "differs",
        }
    )
    rows += _option_rows(items, language)
    if any(i.features for i in items):
        taken = {row["attribute"] for row in rows}
        label = "特点" if zh else "features"
        rows.append(
            {
                # A product option may itself be called "features"; one table must not show two such rows.
                "attribute": label if label not in taken else ("商品亮点" if zh else "highlights"),
                "values": ["; ".join(i.features) for i in items],
                "kind": "differs",
            }
        )
    return rows


def unit_of_comparison(items: list[Compared]) -> str | None:
    """The unit every product's price per unit is in; None when one has none or their units differ."""
    units = {i.per_unit[1] for i in items if i.per_unit}
    return next(iter(units)) if len(units) == 1 and all(i.per_unit for i in items) else None


def _per_unit_row(items: list[Compared], zh: bool) -> dict[str, Any]:
    units = {i.per_unit[1] for i in items if i.per_unit}
    return {
        "attribute": "单价" if zh else "price per unit",
        "values": [f"{money(i.per_unit[0])}/{i.per_unit[1]}" if i.per_unit else "-" for i in items],
        "kind": "differs" if len(units) == 1 else "not comparable",
    }


def _option_rows(items: list[Compared], language: str) -> list[dict[str, Any]]:
    zh = language == "zh"
    names: list[str] = []
    for item in items:
        names.extend(n for n in item.options if n not in names)
    rows = []
    for name in names:
        values = [item.options.get(name) for item in items]
        if all(values):
            kind = "shared" if all(v == values[0] for v in values) else "differs"
            common = set.intersection(*values)
            if kind == "differs" and common:
                kind = (
                    f"shares {', '.join(sorted(common))}" if not zh else f"共有 {'、'.join(sorted(common))}"
                )
        else:
            kind = "only some"
        shown = [sorted(value_label(name, x, language) for x in v) if v else [] for v in values]
        rows.append(
            {
                "attribute": option_label(name, language),
                "values": [("、" if zh else ", ").join(v) if v else "-" for v in shown],
                "kind": kind,
            }
        )
    return rows
