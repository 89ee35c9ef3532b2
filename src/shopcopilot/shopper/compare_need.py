"""The shopper's stated need in a comparison: the words worth looking for in the products' own texts, how often a
text mentions one of them, and whether the need is about spending less."""

from __future__ import annotations

import re

from shopcopilot.shopper.compare_facts import Compared
from shopcopilot.shopper.vocabulary import EN_SYNONYMS, ZH_PRODUCT_NAMES

_BUDGET_NEED = re.compile(
    r"\bcheap|\bbudget\b|\bafford|\bsave money\b|\binexpensive\b|便宜|实惠|省钱|性价比|预算", re.I
)
# Words of a request that say nothing about what the product is for.
_STOP = {
    "the", "and", "for", "with", "that", "this", "want", "need", "something", "which", "one", "better", "compare",
    "what", "are", "is", "to", "of", "in", "on", "my", "me", "it", "or", "vs", "versus", "between", "a", "an", "i",
    "you", "do", "should", "buy", "get", "use", "using", "them", "two", "both", "help", "choose", "make", "like",
    "good", "best", "would", "could", "every", "day", "products", "product", "items", "thing", "things",
}  # fmt: skip
_STOP_ZH = {"比较", "对比", "哪个", "需要", "想要", "适合", "一个", "用来", "帮我"}


def need_terms(need: str) -> list[str]:
    """The words of a stated need worth looking for in product texts (English words, Chinese segments)."""
    terms: list[str] = [w for w in re.findall(r"[a-z][a-z-]{2,}", need.lower()) if w not in _STOP]
    chinese = "".join(re.findall(r"[\u4e00-\u9fff]+", need))
    if chinese:
        import jieba

        terms += [w for w in jieba.lcut(chinese) if len(w) >= 2 and w not in _STOP_ZH]
    return list(dict.fromkeys(terms))


def terms_beyond_names(need: str, items: list[Compared]) -> list[str]:
    """The need's terms, less the words that name the compared products ("烧水壶" in "电热水壶和烧水壶哪个好"):
    naming a product is not a need."""
    names = " ".join(
        f"{i.title} {i.name_en} {i.name_zh} {' '.join(ZH_PRODUCT_NAMES.get(i.name_en, []))} "
        f"{' '.join(EN_SYNONYMS.get(i.name_en, []))}"
        for i in items
    ).lower()
    return [t for t in need_terms(need) if t.lower() not in names]


def is_budget_need(need: str) -> bool:
    return bool(_BUDGET_NEED.search(need))


def _stem(term: str) -> str:
    """A crude English stem, enough for 'making' to meet 'make' and 'kettles' to meet 'kettle'."""
    if term.endswith("ing") and len(term) > 5:
        return term[:-3]
    if term.endswith("s") and len(term) > 4:
        return term[:-1]
    return term


def hit_count(term: str, text: str) -> int:
    """How often `text` mentions `term`: Chinese as a substring, English from the start of a word, stemmed."""
    if re.search(r"[\u4e00-\u9fff]", term):
        return text.count(term)
    return len(re.findall(rf"\b{re.escape(_stem(term))}", text))


def mentions(term: str, text: str) -> bool:
    return hit_count(term, text) > 0
