"""Turn a shopper's sentence (English or Chinese) into structured filters plus the text left to rank by.

`parse_query("蓝色棉质T恤 200元以内", vocabulary)` gives price_max=200, options={"color": ["blue"],
"material": ["cotton"]}, product_types=["t-shirt"]. Option values are recognised only when the catalog has them
(the vocabulary); negations ("not leather", "不要黑色") exclude the value or word that follows the cue.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from shopcopilot.catalog.search.budget import parse_budget
from shopcopilot.catalog.search.lexicon import EN_SYNONYMS, PRODUCT_TYPE_TERMS, ZH_TO_EN, en_to_zh, zh_to_en
from shopcopilot.catalog.search.text import CJK, STOPWORDS, english_tokens, has_chinese, segment, singular
from shopcopilot.catalog.search.vocabulary import UNPARSED_VALUES, Vocabulary

NEGATION_CUES: tuple[tuple[str, ...], ...] = (
    ("anything", "but"), ("other", "than"), ("don't", "want"), ("do", "not", "want"), ("dont", "want"),
    ("not",), ("no",), ("without",), ("non",), ("except",), ("excluding",), ("avoid",), ("never",),
    ("不要",), ("不想要",), ("别",), ("别要",), ("不含",), ("非",), ("除了",), ("没有",), ("不是",), ("不需要",),
    ("不用",), ("无",), ("不",),
)  # fmt: skip
# Filler between a negation cue and what it negates: "not made of leather", "不要太贵的", "no black color".
NEGATION_FILLER = frozenset(
    [
        "a",
        "an",
        "the",
        "any",
        "too",
        "made",
        "of",
        "in",
        "color",
        "colour",
        "material",
        "的",
        "要",
        "是",
        "太",
        "任何",
        "那种",
        "颜色",
        "材质",
        "色",
        "款",
    ]
)
_AVAILABLE = re.compile(r"\bin[- ]stock\b|\bavailable( now)?\b|有货|现货|有库存", re.I)
_SIZE_EN = re.compile(r"\bsize\s+([A-Za-z0-9.]+)\b", re.I)
_SIZE_ZH = re.compile(r"(\d+(?:\.\d+)?)\s*(?:码|号)")
_MAX_PHRASE = 4
PRICE_WORDS = frozenset(
    ["价格", "价位", "价钱", "预算", "之间", "在", "price", "priced", "budget", "cost", "dollar"]
)


@dataclass
class ParsedQuery:
    original: str
    text: str  # what is left to rank by: the query without price phrases and negations
    language: str  # 'en' | 'zh'
    price_min: float | None = None
    price_max: float | None = None
    options: dict[str, list[str]] = field(default_factory=dict)
    excluded: dict[str, list[str]] = field(default_factory=dict)
    excluded_terms: list[str] = field(default_factory=list)
    category: str | None = None  # category id
    product_types: list[str] = field(default_factory=list)  # English product-type words ("t-shirt")
    available_only: bool = False
    terms: list[str] = field(default_factory=list)  # full-text tokens, Chinese words with their translations
    translation: str = ""  # English words the lexicon found for Chinese ones (helps the embedding)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class _Phrase:
    kind: str  # 'type' | 'category' | 'value' | 'word'
    english: tuple[str, ...] = ()
    values: tuple[tuple[str, str], ...] = ()  # (filter key, value)
    category_id: str | None = None


def _norm(word: str) -> str:
    return word.lower() if CJK.search(word) else singular(word.lower())


def _phrase_key(text: str) -> tuple[str, ...]:
    return tuple(_norm(word) for word in segment(text))


_TABLES: dict[int, dict[tuple[str, ...], _Phrase]] = {}


def _phrase_table(vocabulary: Vocabulary) -> dict[tuple[str, ...], _Phrase]:
    key = _vocabulary_key(vocabulary)
    if key not in _TABLES:
        if len(_TABLES) > 8:
            _TABLES.clear()
        _TABLES[key] = _build_phrase_table(vocabulary)
    return _TABLES[key]


def _build_phrase_table(vocabulary: Vocabulary) -> dict[tuple[str, ...], _Phrase]:
    value_keys = vocabulary.value_keys()
    switches = vocabulary.switch_options()
    table: dict[tuple[str, ...], _Phrase] = {}

    def english_phrase(term: str) -> _Phrase | None:
        term = term.lower()
        if term in switches:  # "waterproof" / "防水" asks for waterproof=yes; "not waterproof" excludes it
            return _Phrase("value", (term,), ((term, "yes"),))
        if term in PRODUCT_TYPE_TERMS or term in vocabulary.product_names:
            return _Phrase("type", (term,))
        if term in vocabulary.categories:
            return _Phrase("category", (term,), category_id=vocabulary.categories[term])
        if term in value_keys and term not in UNPARSED_VALUES and not term.replace(".", "").isdigit():
            return _Phrase("value", (term,), ((value_keys[term], term),))
        return None

    for value in [*value_keys, *switches]:
        phrase = english_phrase(value)
        if phrase and phrase.kind == "value":
            table[_phrase_key(value)] = phrase
    for name in vocabulary.categories:
        table[_phrase_key(name)] = _Phrase("category", (name,), category_id=vocabulary.categories[name])
    for term in PRODUCT_TYPE_TERMS | vocabulary.product_names:
        table[_phrase_key(term)] = _Phrase("type", (term,))
    for word, targets in EN_SYNONYMS.items():
        targets = (word, *targets)
        phrases = [english_phrase(target) for target in targets]
        found = [phrase for phrase in phrases if phrase]
        if found:
            table[_phrase_key(word)] = _merge(found, targets)
    for zh, targets in ZH_TO_EN.items():
        found = [phrase for phrase in (english_phrase(target) for target in targets) if phrase]
        table[(zh,)] = _merge(found, targets) if found else _Phrase("word", targets)
    return table


def _merge(phrases: list[_Phrase], english: tuple[str, ...]) -> _Phrase:
    """One word may stand for several values ("大号" -> L, large) or types ("耳机" -> headphones, earbuds)."""
    kinds = [phrase.kind for phrase in phrases]
    kind = next(k for k in ("type", "category", "value") if k in kinds)
    chosen = [phrase for phrase in phrases if phrase.kind == kind]
    values = tuple(value for phrase in chosen for value in phrase.values)
    if kind == "type":
        english = tuple(dict.fromkeys(term for phrase in chosen for term in phrase.english))
    return _Phrase(kind, tuple(english), values, chosen[0].category_id)


def _vocabulary_key(vocabulary: Vocabulary) -> int:
    # The table depends on the vocabulary's content; its size is a cheap proxy that changes when it grows.
    return hash(
        (
            id(vocabulary),
            sum(map(len, vocabulary.options.values())),
            len(vocabulary.categories),
            len(vocabulary.product_names),
        )
    )


def parse_query(text: str, vocabulary: Vocabulary | None = None) -> ParsedQuery:
    """Parse a query; without a vocabulary only prices, negated words and product types are recognised."""
    vocabulary = vocabulary or Vocabulary()
    original = text.strip()
    parsed = ParsedQuery(original=original, text="", language="zh" if has_chinese(original) else "en")
    budget = parse_budget(original)
    parsed.price_min, parsed.price_max = budget.price_min, budget.price_max
    rest = budget.remainder
    if _AVAILABLE.search(rest):
        parsed.available_only = True
        rest = _AVAILABLE.sub(" ", rest)
    value_keys = vocabulary.value_keys() if vocabulary.options else {}
    for pattern in (_SIZE_EN, _SIZE_ZH):
        for match in list(pattern.finditer(rest)):
            size = match[1].lower()
            if value_keys.get(size, "").endswith("size"):
                _add(parsed.options, value_keys[size], size)
                rest = rest.replace(match[0], " ", 1)

    table = _phrase_table(vocabulary)
    words = _split_prefixed_negations(segment(rest))
    norms = [_norm(word) for word in words]
    kept: list[str] = []
    translations: list[str] = []
    negating = False
    i = 0
    while i < len(words):
        cue = _negation_at(norms, i)
        if cue:
            negating, i = True, i + cue
            continue
        if negating and norms[i] in NEGATION_FILLER:
            i += 1
            continue
        phrase, length = _longest_phrase(table, norms, i)
        span = words[i : i + length]
        i += length
        if negating:
            negating = False
            _exclude(parsed, phrase, span)
            continue
        kept.extend(span)
        if phrase is None:
            continue
        if CJK.search(span[0]):
            translations.extend(phrase.english)
        if phrase.kind == "value":
            for key, value in phrase.values:
                _add(parsed.options, key, value)
        elif phrase.kind == "type":
            parsed.product_types.extend(t for t in phrase.english if t not in parsed.product_types)
        elif phrase.kind == "category":
            parsed.category = phrase.category_id
    for key, values in parsed.excluded.items():
        if key in parsed.options:
            parsed.options[key] = [v for v in parsed.options[key] if v not in values]
            if not parsed.options[key]:
                del parsed.options[key]
    parsed.text = " ".join(
        word
        for word in kept
        if _norm(word) not in PRICE_WORDS and not (CJK.search(word) and word in STOPWORDS)
    ).strip()
    parsed.translation = " ".join(dict.fromkeys(translations))
    parsed.terms = _fulltext_terms(parsed, kept, table)
    return parsed


def _split_prefixed_negations(words: list[str]) -> list[str]:
    out: list[str] = []
    for word in words:
        if word.lower().startswith("non-") and len(word) > 4:
            out.extend(["non", word[4:]])
        else:
            out.append(word)
    return out


def _negation_at(norms: list[str], i: int) -> int:
    for cue in NEGATION_CUES:
        if tuple(norms[i : i + len(cue)]) == cue:
            return len(cue)
    return 0


def _longest_phrase(table: dict, norms: list[str], i: int) -> tuple[_Phrase | None, int]:
    for length in range(min(_MAX_PHRASE, len(norms) - i), 0, -1):
        phrase = table.get(tuple(norms[i : i + length]))
        if phrase:
            return phrase, length
    return None, 1


def _exclude(parsed: ParsedQuery, phrase: _Phrase | None, span: list[str]) -> None:
    if phrase and phrase.kind == "value":
        for key, value in phrase.values:
            _add(parsed.excluded, key, value)
    elif phrase:
        parsed.excluded_terms.extend(t for t in phrase.english if t not in parsed.excluded_terms)
    else:
        word = span[0].lower()
        if word not in STOPWORDS:
            parsed.excluded_terms.extend(zh_to_en(word) or (word,))


def _add(target: dict[str, list[str]], key: str, value: str) -> None:
    values = target.setdefault(key, [])
    if value not in values:
        values.append(value)


def _fulltext_terms(parsed: ParsedQuery, kept: list[str], table: dict) -> list[str]:
    """Tokens to rank by: the kept words (option values are filters, so they are left to the filter) plus the
    English of Chinese words and the Chinese of English product types (the index holds both languages)."""
    filter_values = {value for values in parsed.options.values() for value in values}
    terms: dict[str, None] = {}
    for word in kept:
        phrase = table.get((_norm(word),))
        if phrase and phrase.kind == "value" and all(v in filter_values for _, v in phrase.values):
            continue
        if _norm(word) in PRICE_WORDS or _norm(word) in STOPWORDS:
            continue
        if CJK.search(word):
            terms.setdefault(word.lower(), None)
            for english in phrase.english if phrase else ():
                for token in english_tokens(english):
                    terms.setdefault(token, None)
        else:
            for token in english_tokens(word):
                if token not in STOPWORDS and token not in filter_values:
                    terms.setdefault(token, None)
    for product_type in parsed.product_types:
        for token in english_tokens(product_type):
            terms.setdefault(token, None)
        for zh in en_to_zh(product_type)[:2]:
            terms.setdefault(zh.lower(), None)
    return list(terms)
