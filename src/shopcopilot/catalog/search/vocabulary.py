"""The catalog's real option vocabulary (option name -> value -> count), categories and product names.

The query parser only recognises option values the catalog actually has, so a filter never asks for something
no product could match. Option names are compared lower-cased; a value found under several names that share a
last word ("color", "dial color", "lens color") is filed under that word, and a filter on "color" matches them all.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

# Values that are ordinary words in a sentence ("no", "high", "light") and would become surprising filters.
UNPARSED_VALUES = frozenset(
    [
        "none",
        "yes",
        "no",
        "high",
        "low",
        "light",
        "dark",
        "fixed",
        "custom",
        "plain",
        "graphic",
        "basic",
        "professional",
        "art",
        "fresh",
        "full",
        "half",
        "standard",
        "not",
        "resistant",
        "intermediate",
        "beginner",
        "expert",
        "smart",
        "sensors",
        "timer",
    ]
) | frozenset({"not resistant", "smart sensors"})


def option_matches(option_name: str, key: str) -> bool:
    """Does a variant's option `option_name` answer a filter on `key`? ("dial color" answers "color")."""
    name = option_name.lower()
    return name == key or name.endswith(" " + key)


@dataclass
class Vocabulary:
    options: dict[str, Counter] = field(default_factory=dict)  # lower option name -> Counter(lower value)
    categories: dict[str, str] = field(default_factory=dict)  # lower name or name_zh -> category id
    product_names: set[str] = field(default_factory=set)  # lower product names (small catalogs only)

    @classmethod
    def from_rows(
        cls,
        variant_options: Iterable[dict],
        categories: Iterable[tuple[str, str | None, str | None]] = (),
        product_names: Iterable[str] = (),
    ) -> Vocabulary:
        options: dict[str, Counter] = defaultdict(Counter)
        for option_set in variant_options:
            for name, value in (option_set or {}).items():
                if isinstance(value, str | int | float) and str(value).strip():
                    options[str(name).lower()][str(value).strip().lower()] += 1
        cats: dict[str, str] = {}
        for cat_id, name, name_zh in categories:
            for label in (name, name_zh):
                if label:
                    cats[label.lower()] = cat_id
        return cls(options=dict(options), categories=cats, product_names={n.lower() for n in product_names})

    def __post_init__(self) -> None:
        self._value_keys: dict[str, str] | None = None

    def merge(self, other: Vocabulary) -> None:
        self._value_keys = None
        for name, counts in other.options.items():
            self.options.setdefault(name, Counter()).update(counts)
        self.categories.update(other.categories)
        self.product_names |= other.product_names

    def value_keys(self) -> dict[str, str]:
        """lower value -> the filter key it is filed under (see the module docstring)."""
        if self._value_keys is None:
            self._value_keys = self._compute_value_keys()
        return self._value_keys

    def _compute_value_keys(self) -> dict[str, str]:
        names_of: dict[str, Counter] = defaultdict(Counter)
        for name, counts in self.options.items():
            for value, count in counts.items():
                names_of[value][name] += count
        keys: dict[str, str] = {}
        for value, names in names_of.items():
            last_words = {name.split()[-1] for name in names}
            if len(names) > 1 and len(last_words) == 1:
                keys[value] = last_words.pop()
            else:
                keys[value] = names.most_common(1)[0][0]
        return keys

    def switch_options(self) -> set[str]:
        """Options that are a yes/no switch ("waterproof": yes | no): their name in a query asks for "yes"."""
        return {
            name
            for name, counts in self.options.items()
            if set(counts) <= {"yes", "no"} and "yes" in counts and name not in UNPARSED_VALUES
        }

    def to_json(self) -> dict:
        return {
            "options": {name: dict(counts) for name, counts in self.options.items()},
            "categories": self.categories,
            "product_names": sorted(self.product_names),
        }

    @classmethod
    def from_json(cls, data: dict) -> Vocabulary:
        return cls(
            options={name: Counter(counts) for name, counts in data.get("options", {}).items()},
            categories=dict(data.get("categories", {})),
            product_names=set(data.get("product_names", [])),
        )
