"""Which language a message is written in: the assistant answers in the shopper's language (English or Chinese)."""

from __future__ import annotations

import re

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")

SUPPORTED = ("en", "zh")


def detect_language(text: str, default: str = "en") -> str:
    """'zh' when the message carries Chinese characters that outweigh its Latin words, else 'en'.

    Chinese shoppers often type product names or ids in Latin letters ("我想退 #W123 的 Water Bottle"),
    so one Chinese character per two Latin words is enough to call it Chinese.
    """
    cjk = len(_CJK.findall(text))
    if cjk == 0:
        return default if not _LATIN_WORD.search(text) else "en"
    latin = len(_LATIN_WORD.findall(text))
    return "zh" if cjk * 2 >= latin else "en"


def has_chinese(text: str) -> bool:
    return bool(_CJK.search(text))
