"""Tokenising mixed English/Chinese text the same way at index and query time.

FTS engines do not split Chinese into words, so Chinese runs are segmented with jieba (a private tokenizer that
knows the lexicon's words) and every document or query reaches the full-text engine as space-separated tokens.
English words are lower-cased, split at hyphens (keeping the joined form too: "t-shirt" -> t, shirt, tshirt) and
lightly singularised so that "boots" finds "boot".
"""

from __future__ import annotations

import logging
import re
import threading
from functools import lru_cache

import jieba

from shopcopilot.catalog.search.lexicon import chinese_words

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_CJK_RUN = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+"
# Lexicon words that mix scripts ("T恤", "V领") are taken whole before the script split would cut them.
_MIXED = "|".join(
    sorted((re.escape(w) for w in chinese_words() if re.search(r"[A-Za-z0-9]", w)), key=len, reverse=True)
)
_RUNS = re.compile(rf"(?:{_MIXED})(?:{_CJK_RUN})?|{_CJK_RUN}|[A-Za-z0-9]+(?:[-'.][A-Za-z0-9]+)*", re.I)
_WORD = re.compile(r"[a-z0-9]+")

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "the",
        "for",
        "with",
        "to",
        "of",
        "in",
        "on",
        "at",
        "by",
        "or",
        "is",
        "are",
        "be",
        "i",
        "me",
        "my",
        "we",
        "you",
        "it",
        "this",
        "that",
        "want",
        "need",
        "looking",
        "some",
        "any",
        "something",
        "please",
        "find",
        "show",
        "buy",
        "get",
        "good",
        "nice",
        "one",
    ]
) | frozenset(
    [
        "的",
        "了",
        "和",
        "与",
        "或",
        "我",
        "我们",
        "你",
        "想",
        "要",
        "买",
        "找",
        "一个",
        "一款",
        "一件",
        "一双",
        "个",
        "件",
        "款",
        "双",
        "吗",
        "呢",
        "吧",
        "有",
        "给",
        "是",
        "请",
        "帮",
        "推荐",
        "什么",
    ]
)

_tokenizer: jieba.Tokenizer | None = None
_tokenizer_lock = threading.Lock()


def segmenter() -> jieba.Tokenizer:
    """A private jieba tokenizer (jieba's global one is shared with other modules) that keeps lexicon words whole."""
    global _tokenizer
    with _tokenizer_lock:
        if _tokenizer is None:
            jieba.setLogLevel(logging.WARNING)
            tokenizer = jieba.Tokenizer()
            for word in chinese_words():
                tokenizer.add_word(word, freq=200_000)
            _tokenizer = tokenizer
        return _tokenizer


def has_chinese(text: str) -> bool:
    return bool(CJK.search(text))


def singular(word: str) -> str:
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def english_tokens(text: str) -> list[str]:
    """Lower-cased, singularised words; hyphenated words also give their joined form."""
    return list(_english_tokens(text))


@lru_cache(maxsize=65536)
def _english_tokens(text: str) -> tuple[str, ...]:
    tokens: list[str] = []
    for chunk in re.findall(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*", text):
        parts = _WORD.findall(chunk.lower())
        tokens.extend(singular(part) for part in parts)
        if len(parts) > 1:
            tokens.append(singular("".join(parts)))
    return tuple(tokens)


@lru_cache(maxsize=4096)
def chinese_words_of(run: str, for_index: bool = False) -> tuple[str, ...]:
    tokenizer = segmenter()
    words = tokenizer.cut_for_search(run) if for_index else tokenizer.cut(run)
    return tuple(word for word in words if word.strip())


def segment(text: str) -> list[str]:
    """The words of `text` in order: Chinese runs segmented by jieba, English runs kept whole (not normalised)."""
    words: list[str] = []
    for match in _RUNS.finditer(text):
        run = match.group(0)
        if CJK.search(run):
            words.extend(chinese_words_of(run))
        else:
            words.append(run)
    return words


def index_tokens(text: str) -> list[str]:
    """Tokens for the full-text index: English normalised, Chinese segmented in search mode (sub-words too)."""
    tokens: list[str] = []
    for match in _RUNS.finditer(text):
        run = match.group(0)
        if CJK.search(run):
            tokens.extend(word.lower() for word in chinese_words_of(run, for_index=True))
        else:
            tokens.extend(english_tokens(run))
    return tokens


def query_tokens(text: str) -> list[str]:
    """Distinct tokens of a query, stopwords dropped, in order of appearance."""
    seen: dict[str, None] = {}
    for match in _RUNS.finditer(text):
        run = match.group(0)
        words = chinese_words_of(run) if CJK.search(run) else english_tokens(run)
        for word in words:
            token = word.lower()
            if token and token not in STOPWORDS:
                seen.setdefault(token, None)
    return list(seen)
