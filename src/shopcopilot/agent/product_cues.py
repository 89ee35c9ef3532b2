"""Cues that a message asks about a product already on screen (who/when it suits, how to use and care for it,
what stands out) rather than for new products. The planner routes on them; the answer comes from the product's
knowledge (`shopper/product_answers.py`)."""

from __future__ import annotations

import re

SUITS = re.compile(
    r"good for|suitable|\bsuits?\b|right for|works? for|ok(ay)? for|fit for|who(?:'s| is)? it for|"
    r"\b(winter|summer|rain|snow|beginners?|kids?|child(ren)?|seniors?|elderly|travel(ling)?)\b|"
    r"适合|适不适合|适用|冬天|夏天|雨天|下雪|老人|长辈|小孩|孩子|新手|送人",
    re.I,
)
USAGE = re.compile(
    r"how (do|to|should|can) (i |you |we )?(use|clean|wash|care for|store|maintain|look after)|\bcare\b|"
    r"maintenance|怎么用|如何使用|使用方法|怎么洗|清洗|清洁|保养|护理|怎么保存|注意事项",
    re.I,
)
FEATURES = re.compile(
    r"what(?:'s| is) (special|good)|\bfeatures?\b|\bpros\b|any good|worth it|highlights|"
    r"好不好|怎么样|特点|卖点|优点|亮点",
    re.I,
)
# "it", "this one", "这个": the message points at something already shown.
POINTS_AT_SHOWN = re.compile(r"\b(it|this|that|these|those|they|them|this one|that one)\b|这个|这款|那个|那款|它|这双|这件", re.I)


def asks_about_product(text: str) -> bool:
    return bool(SUITS.search(text) or USAGE.search(text) or FEATURES.search(text))
