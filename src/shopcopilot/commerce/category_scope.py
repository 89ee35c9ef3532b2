"""Whether a category lies inside another: the one rule behind category-scoped coupons."""

from __future__ import annotations

from collections.abc import Mapping


def in_category(category_id: str | None, wanted: str, parents: Mapping[str, str | None] | None) -> bool:
    """True when `category_id` is `wanted` or one of its descendants (`parents` maps child -> parent)."""
    seen: set[str] = set()
    while category_id is not None and category_id not in seen:
        if category_id == wanted:
            return True
        seen.add(category_id)
        category_id = parents.get(category_id) if parents else None
    return False
