"""Planners decide which skill answers a turn and which tools it plans to call.

`Planner` is the interface; `RulePlanner` is the deterministic one (correct with no LLM). A later `LLMPlanner`
chooses among the same typed tools, and a fallback composition (LLM first, rules when its proposal is invalid)
is just another `Planner`.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Protocol

from shopcopilot.agent.guard import is_affirmative, is_negative
from shopcopilot.agent.memory import parse_statement
from shopcopilot.agent.product_cues import POINTS_AT_SHOWN, USAGE, asks_about_product
from shopcopilot.agent.state import DialogueState, ordinal_reference, price_direction
from shopcopilot.catalog.search.budget import parse_budget

ORDER_INTENTS = (
    "order_status", "order_cancel", "order_modify", "order_return", "order_exchange", "address_change",
)

SKILL_OF_INTENT = {
    "browse": "discover",
    "recommend": "recommend",
    "product_question": "product_question",
    "compare": "compare",
    "cart": "cart",
    "greeting": "greeting",
    "out_of_scope": "out_of_scope",
    "coupon_fill": "elsewhere",
    "plan": "elsewhere",
    "write_post": "elsewhere",
    "policy_question": "policy",
    "acknowledge": "acknowledge",
    **{intent: "order" for intent in ORDER_INTENTS},
}
# The dialogue state's order-service questions (the slot `state.awaiting` names while a request is collected).
ORDER_SLOTS = {"auth", "order_id", "reason", "items", "payment_method", "new_items", "address"}
# The skills that carry an order request on; any other plan leaves it (its details are kept to come back to).
FLOW_SKILLS = {"order", "authenticate", "confirm", "decline"}
# A router prediction at least this sure of another intent means the shopper started something else.
LEAVE_FLOW_CONFIDENCE = 0.6

# The tools each skill may call, shown as the plan in the trace.
SKILL_STEPS = {
    "discover": ["search_products", "product_card"],
    "recommend": ["recommend_products", "product_card"],
    "product_question": ["product_card"],
    "compare": ["product_card"],
    "cart": ["add_to_cart", "view_cart"],
    "order": ["get_user_details", "get_order_details", "<order operation after confirmation>"],
    "authenticate": ["find_user_id_by_email | find_user_id_by_name_zip"],
    "confirm": ["<the pending order operation>"],
    "remember": ["remember"],
    "explain": ["product_card"],
    "memory": ["list_memory"],
    "policy": ["store_knowledge"],
    "acknowledge": [],
}


@dataclass
class Plan:
    intent: str
    confidence: float
    skill: str
    steps: list[str] = field(default_factory=list)
    source: str = "rules"
    """rules, router, or state (the dialogue state decided: a pending confirmation, an open question)."""


@dataclass
class PlanInput:
    message: str
    state: DialogueState
    mentions_product: bool = False
    mentions_option: bool = False


class Planner(Protocol):
    name: str

    def plan(self, request: PlanInput) -> Plan: ...


_ORDER_ID = re.compile(r"#?W\d{7}\b", re.I)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
_ZIP = re.compile(r"\b\d{5}\b")
_IDENTITY = re.compile(r"\bzip\b|\bmy name\b|\bi am\b|\bi'm\b|邮编|我叫|我是|名字", re.I)

_CUES: list[tuple[str, re.Pattern[str]]] = [
    ("order_cancel", re.compile(r"\bcancel\b|取消", re.I)),
    ("order_return", re.compile(r"\breturn\b|\brefund\b|退货|退掉|退回|退款", re.I)),
    ("order_exchange", re.compile(r"\bexchange\b|\bswap\b|换货|换成|调换", re.I)),
    ("address_change", re.compile(r"\b(?:my|default)\s+(?:default\s+)?address\b|默认地址|收货地址|地址", re.I)),
    ("order_modify", re.compile(r"\b(?:modify|change|update)\b.*\b(?:order|payment|item)s?\b|修改订单|改订单|更换支付|修改支付", re.I)),
    ("order_status", re.compile(
        r"\bwhere\s+is\s+my\b|\btrack|\border\s+status\b|\bstatus\s+of\b|\bmy\s+orders?\b|物流|快递|到哪|订单状态|我的订单|查订单",
        re.I)),
    ("cart", re.compile(r"\b(?:add|put)\b.*\b(?:cart|basket)\b|\bmy\s+cart\b|\bview\s+cart\b|加入购物车|加购|放进购物车|购物车", re.I)),
    ("compare", re.compile(r"\bcompare\b|\bdifference between\b|\bversus\b|\bvs\.?\b|比较|对比|区别", re.I)),
    ("recommend", re.compile(r"\brecommend|\bsuggest|\bsomething for me\b|\bpick for me\b|推荐|适合我|"
                             r"\bgifts? (?:for|ideas?)\b|\b(?:birthday |christmas |anniversary )?presents? for\b|"
                             r"礼物|送给", re.I)),
    ("greeting", re.compile(r"^\s*(?:hi|hello|hey|good (?:morning|afternoon|evening)|你好|您好|嗨|哈喽)[\s!.,。！]*$", re.I)),
]
_WHY = re.compile(r"\bwhy\b|为什么|为何|理由", re.I)
_MEMORY_LIST = re.compile(r"what do you (?:know|remember) about me|my preferences|你记得我什么|我的偏好", re.I)
_QUESTION = re.compile(
    r"\?|？|\bhow much\b|\bdoes it\b|\bis it\b|\bwhat (?:sizes|colou?rs|options)\b|\bdo you have\b.*\bin\b|"
    r"多少钱|有没有|有什么颜色|有哪些|吗",
    re.I,
)
_CART_ADD = re.compile(r"\b(?:add|put|buy)\b|加入|加购|买", re.I)

# Questions about the store's rules, not about one of the shopper's orders: "what is your return policy?",
# "how long does a refund take?", "退货政策是什么", "取消订单多久退款". "I want to return my kettle" is none of them.
_POLICY_WORDS = re.compile(r"\bpolic(?:y|ies)\b|\bterms and conditions\b|政策|规定|规则|条款", re.I)
_HOW_LONG = re.compile(
    r"\bhow (?:long|many (?:business |working )?days|soon|quickly|fast)\b|\bwhen (?:will|do|does|would)\b.*"
    r"\b(?:refund|money)\b|多久|几天|多长时间|多少天|什么时候(?:能|会)?(?:到账|退回|退款)", re.I)
_POLICY_TOPIC = re.compile(
    r"\brefund|\breturn|\bcancel|\bexchange|\bship|\bdeliver|退款|退货|退换|取消|换货|到账|发货|配送|送达", re.I)
_GENERAL_RULE = re.compile(
    r"\b(?:can|could|may) (?:i|you|we)\b.{0,40}\b(?:return|exchange|cancel)\b.{0,40}"
    r"\b(?:after|within|once|if)\b|\bdo you (?:accept|allow|offer|take)\b.{0,20}\b(?:returns?|refunds?|exchanges?)\b|"
    r"\bwhat (?:payment methods?|ways to pay)\b|可以退货吗|能退货吗|支持退货|支持退款|能不能退|可不可以退", re.I)


# Rules asked about in general: an item described, not one of the shopper's ("can I return an opened item?"),
# shipping costs and destinations, how many times something may be done, in English and Chinese.
_RULE_ABOUT_ANY = re.compile(
    r"\b(?:can|could|may) (?:i|you|we)\b(?:(?!\bmy\b).){0,30}\b(?:return|exchange|cancel|refund|swap)\b"
    r"(?:(?!\bmy\b).){0,30}\b(?:an?|opened|used|worn|unused|sale|discounted|items?|something|anything|products?|"
    r"gifts?|clearance)\b|"
    r"\bdo you (?:ship|deliver)\b|\bwho pays\b|\bshipping (?:costs?|fees?|charges?)\b|\bfree (?:shipping|returns?)\b|"
    r"\bhow many times\b.{0,40}\b(?:exchange|modify|change|return|cancel)|"
    r"\bcan i (?:still )?change (?:the |my )?(?:shipping |delivery )?address\b.{0,30}\b(?:after|once)\b|"
    r"运费|邮费|包邮|运费险|(?:几|多少)次|(?:拆封|开封|用过|穿过|试穿|打折|特价).{0,8}(?:退|换)|"
    r"(?:国际|海外|境外|国外).{0,6}(?:发货|配送|寄|邮)|下单后.{0,6}(?:改|换).{0,4}地址",
    re.I,
)


def is_policy_question(text: str) -> bool:
    """A question about the store's rules (answered from its knowledge bases), not a request about an order."""
    if _ORDER_ID.search(text):
        return False  # "how long until order #W1234567 is refunded" is about that order
    if _POLICY_WORDS.search(text) or _GENERAL_RULE.search(text) or _RULE_ABOUT_ANY.search(text):
        return True
    return bool(_HOW_LONG.search(text) and _POLICY_TOPIC.search(text))


_REASON_WORDS = re.compile(
    r"mistake|by accident|wrong|no longer|don't need|do not need|not needed|changed my mind|"
    r"买错|下错|误|不需要|不想要|用不上|不要了|错了", re.I)
_PAYMENT_WORDS = re.compile(
    r"\bcard\b|credit|debit|paypal|gift|\boriginal\b|same (?:card|method|payment)|credit_card|gift_card|"
    r"信用卡|借记卡|礼品卡|原支付|原路|原来的|原付款|支付方式", re.I)
_ALL_WORDS = re.compile(r"\b(?:all|everything|both|every item|the whole)\b|全部|都|所有|两个|整单", re.I)


def answers_open_question(request: PlanInput) -> bool:
    """Whether the message can be an answer to the order service's open question (the slot in `awaiting`)."""
    text, state = request.message, request.state
    slot = state.awaiting or ""
    if _ORDER_ID.search(text) or _EMAIL.search(text) or _ZIP.search(text):
        return True
    if is_affirmative(text) or is_negative(text) or ordinal_reference(text) is not None:
        return True
    if slot != "auth" and (request.mentions_product or request.mentions_option):
        return True
    if slot == "auth":
        return bool(_IDENTITY.search(text))
    if slot == "reason":
        return bool(_REASON_WORDS.search(text))
    if slot == "payment_method":
        return bool(_PAYMENT_WORDS.search(text))
    if slot == "address":
        return bool(re.search(r"\d", text))
    if slot in ("items", "new_items"):
        return bool(_ALL_WORDS.search(text))
    return False


def rule_intent(text: str, *, order_id_means_status: bool = True) -> str | None:
    """High-precision keyword cues; None when no cue fires. A bare order id reads as a status request unless
    `order_id_means_status` is False (while an order question is open, it is the answer)."""
    if is_policy_question(text):
        return "policy_question"
    has_order_context = bool(_ORDER_ID.search(text)) or bool(re.search(r"\border\b|订单", text, re.I))
    for intent, pattern in _CUES:
        if not pattern.search(text):
            continue
        # "return"/"exchange" without an order in sight may still be order service ("I want to return a
        # water bottle"); "cancel" without an order is not (it is 'never mind').
        if intent == "order_cancel" and not has_order_context:
            continue
        return intent
    if _ORDER_ID.search(text) and order_id_means_status:
        return "order_status"
    return None


_BUDGET_FILLER = re.compile(
    r"\b(?:my|the|a|budget|is|of|make it|let'?s say|say|how about|with|total|about|only|just|up to|max|under|"
    r"then|instead|now|please|ok|okay)\b|预算|就|改成|换成|大概|吧|呢|只有|一共|总共|左右|以内|那|[,.!?，。！？\s]",
    re.I,
)


_BARE_AMOUNT = re.compile(r"[$￥¥]\s*\d+(?:\.\d+)?|\d+(?:\.\d+)?\s*(?:元|块钱?|dollars?|bucks|美元|刀)", re.I)


def _only_a_budget(text: str) -> bool:
    """The message gives a budget and (almost) nothing else."""
    budget = parse_budget(text)
    remainder = budget.remainder
    if budget.price_max is None:
        bare = _BARE_AMOUNT.search(text)  # "make it $150", "5000块"
        if bare is None:
            return False
        remainder = text[: bare.start()] + " " + text[bare.end() :]
    return not _BUDGET_FILLER.sub("", remainder).strip()


_ROUTER_CACHE: OrderedDict[tuple[int, int, str], tuple[str, float]] = OrderedDict()
_ROUTER_CACHE_SIZE = 4096
_ROUTER_CACHE_LOCK = threading.Lock()


def _router_intent(text: str) -> tuple[str, float] | None:
    """The router's intent for `text`. Short everyday utterances ("yes", "add it to my cart", "hi") repeat across
    conversations, and a classification costs two e5 encodings, so results are cached per router state (the key
    holds the router's identity and its number of examples, which `add_examples` changes)."""
    try:
        from shopcopilot.agent.intents import get_router
    except ImportError:
        return None
    try:
        router = get_router()
        key = (id(router), len(router.examples), " ".join(text.lower().split()))
        with _ROUTER_CACHE_LOCK:
            cached = _ROUTER_CACHE.get(key)
            if cached is not None:
                _ROUTER_CACHE.move_to_end(key)
                return cached
        prediction = router.classify(text)
    except Exception:  # a router that cannot load must not stop the rules path
        return None
    result = prediction.intent, float(prediction.confidence)
    with _ROUTER_CACHE_LOCK:
        _ROUTER_CACHE[key] = result
        if len(_ROUTER_CACHE) > _ROUTER_CACHE_SIZE:
            _ROUTER_CACHE.popitem(last=False)
    return result


OUT_OF_SCOPE_SURE = 0.8


def _clearly_out_of_scope(text: str) -> bool:
    """"今天天气怎么样" while a size is being asked: not an answer to it (short answers like "10码" score far lower)."""
    routed = _router_intent(text)
    return bool(routed and routed[0] == "out_of_scope" and routed[1] >= OUT_OF_SCOPE_SURE)


class RulePlanner:
    """Dialogue state first (pending confirmation, open questions), then keyword cues, then the intent router."""

    name = "rules"

    def plan(self, request: PlanInput) -> Plan:
        text, state = request.message, request.state
        cue = rule_intent(text, order_id_means_status=not (state.flow and state.awaiting in ORDER_SLOTS))

        if state.pending:
            if is_affirmative(text):
                return self._plan("confirm", "confirm", 1.0, "state")
            if is_negative(text):
                return self._plan("decline", "decline", 1.0, "state")
        if state.awaiting == "auth" and (_EMAIL.search(text) or _ZIP.search(text)):
            return self._plan(state.resume_intent or "authenticate", "authenticate", 1.0, "state")
        if _EMAIL.search(text) or (_ZIP.search(text) and _IDENTITY.search(text)):
            # Identifying oneself is authentication whatever else is going on (and may be refused).
            return self._plan(state.resume_intent or "authenticate", "authenticate", 1.0, "rules")
        if (state.flow and state.awaiting in ORDER_SLOTS and (cue is None or cue == state.flow.get("intent"))
                and (answers_open_question(request) or not self._starts_something_else(text, state))):
            return self._plan(state.flow["intent"], "order", 1.0, "state")
        if not state.pending and not state.awaiting and (is_affirmative(text) or is_negative(text)):
            # A bare "yes"/"是的" with nothing waiting for it is neither a search nor a consent.
            return self._plan("acknowledge", "acknowledge", 1.0, "state")
        if state.awaiting == "cart" and cue in (None, "cart"):
            return self._plan("cart", "cart", 1.0, "state")
        if _MEMORY_LIST.search(text):
            return self._plan("memory", "memory", 1.0, "rules")
        if parse_statement(text):
            return self._plan("remember", "remember", 1.0, "rules")
        if _WHY.search(text) and (state.focus or state.results):
            return self._plan("explain", "explain", 1.0, "rules")
        shown = bool(state.focus or state.results)
        points = POINTS_AT_SHOWN.search(text) or USAGE.search(text)  # "how do I clean it", "怎么保养"
        if shown and asks_about_product(text) and points and not request.mentions_product:
            # "is it good for winter?", "这个适合老人吗": about what is on screen, not a new search or a plan.
            return self._plan("product_question", "product_question", 0.85, "state")
        if state.slots.get("plan_scenario") and _only_a_budget(text):
            # "预算5000元", "make it $500" right after a plan: the same plan at that budget.
            return self._plan("plan", "plan", 1.0, "state")
        if state.slots.get("gift_request") and _only_a_budget(text):
            return self._plan("recommend", "recommend", 1.0, "state")  # the same gift search at that budget
        if cue == "cart" or (
            _CART_ADD.search(text) and state.results and ordinal_reference(text) is not None and cue is None
        ):
            return self._plan("cart", "cart", 1.0, "rules")
        if cue:
            return self._plan(cue, SKILL_OF_INTENT[cue], 0.95, "rules")
        if state.results and _QUESTION.search(text) and ordinal_reference(text) is not None:
            return self._plan("product_question", "product_question", 0.9, "state")
        if state.awaiting and (state.awaiting.startswith("option:") or state.awaiting == "category") and (
                request.mentions_option or request.mentions_product or not _clearly_out_of_scope(text)):
            return self._plan("browse", "discover", 1.0, "state")  # the answer to the question asked
        if state.results and (ordinal_reference(text) is not None or price_direction(text)):
            skill = "product_question" if _QUESTION.search(text) and not price_direction(text) else "discover"
            return self._plan("product_question" if skill == "product_question" else "browse", skill, 0.9, "state")
        if state.focus and _QUESTION.search(text) and not request.mentions_product:
            return self._plan("product_question", "product_question", 0.85, "state")
        if state.results and request.mentions_option and not request.mentions_product:
            return self._plan("browse", "discover", 0.9, "state")  # "in blue" refines the last search
        routed = _router_intent(text)
        if routed and routed[0] in SKILL_OF_INTENT:
            intent, confidence = routed
            if intent == "out_of_scope" and request.mentions_product:
                intent = "browse"  # the store has what was named; searching beats refusing
            elif intent == "out_of_scope" and shown and asks_about_product(text) and (
                    POINTS_AT_SHOWN.search(text) or USAGE.search(text)):
                intent = "product_question"  # "怎么保养" after a product was shown; not "今天天气怎么样"
            return self._plan(intent, SKILL_OF_INTENT[intent], confidence, "router")
        if request.mentions_product or request.mentions_option:
            return self._plan("browse", "discover", 0.6, "rules")
        return self._plan("browse", "discover", 0.3, "rules")

    @staticmethod
    def _starts_something_else(text: str, state: DialogueState) -> bool:
        """A message that does not answer the open order question, and that the router confidently places
        under another intent, starts something new (the flow keeps its details for later)."""
        routed = _router_intent(text)
        # Another order intent is still the order service talking ("the one from last week" reads as status);
        # switching between order requests takes an explicit cue ("cancel ...", "exchange ...").
        return bool(routed and routed[0] not in ORDER_INTENTS and routed[1] >= LEAVE_FLOW_CONFIDENCE)

    @staticmethod
    def _plan(intent: str, skill: str, confidence: float, source: str) -> Plan:
        return Plan(intent=intent, confidence=confidence, skill=skill, steps=list(SKILL_STEPS.get(skill, [])),
                    source=source)
