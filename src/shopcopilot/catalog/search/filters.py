"""Structured filters and the rules that apply them to variants: plain functions, testable without a database.

A product matches when at least one of its variants satisfies every filter at once (a blue *and* cotton variant
under the budget, not a blue one and a cotton one). Option keys match option names by their last word, so a
filter on "color" also reads "dial color" and "lens color" (see `vocabulary.option_matches`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from shopcopilot.catalog.search.query_parser import ParsedQuery
from shopcopilot.catalog.search.text import english_tokens, has_chinese
from shopcopilot.catalog.search.vocabulary import option_matches
from shopcopilot.errors import InvalidInput


@dataclass
class SearchFilters:
    price_min: float | None = None
    price_max: float | None = None
    options: dict[str, list[str]] = field(default_factory=dict)  # key -> any of these values
    excluded: dict[str, list[str]] = field(default_factory=dict)  # key -> none of these values
    available_only: bool = False
    category_id: str | None = None
    merchant_id: str | None = None

    def validate(self) -> SearchFilters:
        for label, price in (("price_min", self.price_min), ("price_max", self.price_max)):
            if price is not None and (not isinstance(price, int | float) or price < 0):
                raise InvalidInput(f"{label} must be a non-negative number, got {price!r}")
        if self.price_min is not None and self.price_max is not None and self.price_min > self.price_max:
            raise InvalidInput(
                f"price_min ({self.price_min}) is above price_max ({self.price_max}); swap them"
            )
        for label, mapping in (("options", self.options), ("excluded", self.excluded)):
            if not isinstance(mapping, dict) or not all(
                isinstance(values, list | tuple) and all(isinstance(v, str) for v in values)
                for values in mapping.values()
            ):
                raise InvalidInput(
                    f"{label} must map an option name to a list of values, e.g. {{'color': ['blue']}}"
                )
        return self

    @property
    def constrains_variants(self) -> bool:
        return bool(
            self.price_min is not None
            or self.price_max is not None
            or self.options
            or self.excluded
            or self.available_only
        )

    def to_dict(self) -> dict:
        return asdict(self)


def _lower(mapping: dict[str, list[str]]) -> dict[str, list[str]]:
    return {key.lower(): [value.lower() for value in values] for key, values in mapping.items() if values}


def merge_filters(
    parsed: ParsedQuery, explicit: SearchFilters | None, merchant_id: str | None
) -> SearchFilters:
    """The filters a search applies: what the caller gave wins over what the parser read from the text."""
    explicit = (explicit or SearchFilters()).validate()
    options = _lower(parsed.options)
    options.update(_lower(explicit.options))
    excluded = _lower(parsed.excluded)
    for key, values in _lower(explicit.excluded).items():
        excluded[key] = sorted({*excluded.get(key, []), *values})
    for key, values in excluded.items():
        if key in options:
            options[key] = [v for v in options[key] if v not in values]
    merged = SearchFilters(
        price_min=explicit.price_min if explicit.price_min is not None else parsed.price_min,
        price_max=explicit.price_max if explicit.price_max is not None else parsed.price_max,
        options={key: values for key, values in options.items() if values},
        excluded=excluded,
        available_only=explicit.available_only or parsed.available_only,
        category_id=explicit.category_id or parsed.category,
        merchant_id=merchant_id or explicit.merchant_id,
    )
    return merged.validate()


def variant_matches(options: dict, price: float, available: bool, filters: SearchFilters) -> bool:
    if filters.available_only and not available:
        return False
    if filters.price_min is not None and price < filters.price_min:
        return False
    if filters.price_max is not None and price > filters.price_max:
        return False
    lowered = [(str(name).lower(), str(value).lower()) for name, value in (options or {}).items()]
    for key, wanted in filters.options.items():
        if not any(option_matches(name, key) and value in wanted for name, value in lowered):
            return False
    for key, unwanted in filters.excluded.items():
        if any(option_matches(name, key) and value in unwanted for name, value in lowered):
            return False
    return True


def name_is_excluded(name: str, name_zh: str | None, excluded_terms: list[str]) -> bool:
    """ "no earbuds" drops products whose name says earbuds (English words, or Chinese characters in name_zh)."""
    if not excluded_terms:
        return False
    words = set(english_tokens(name))
    for term in excluded_terms:
        if has_chinese(term):
            if name_zh and term in name_zh:
                return True
        elif (tokens := english_tokens(term)) and set(tokens) <= words:
            return True
    return False
