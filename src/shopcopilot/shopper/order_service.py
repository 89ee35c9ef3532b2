"""Order service in chat, as the store's policy says: authenticate (email, or name + zip) before any order is
shown or changed; one shopper per conversation; track, cancel, modify, return, exchange through the order
operations; before any change, list the details and get an explicit yes."""

from __future__ import annotations

import re
from typing import Any

from shopcopilot.agent.blocks import Block, ConfirmationBlock, QuestionBlock, TextBlock
from shopcopilot.agent.engine import TurnContext
from shopcopilot.agent.guard import OwnershipError
from shopcopilot.agent.planner import ORDER_INTENTS, rule_intent
from shopcopilot.errors import ShopcopilotError
from shopcopilot.shopper import order_parsing as parse
from shopcopilot.shopper.answers import joined, option_label, options_label, product_label, value_label
from shopcopilot.shopper.cards import money
from shopcopilot.shopper.vocabulary import vocabulary

REASONS = ["no longer needed", "ordered by mistake"]
MAX_ORDERS_LISTED = 10


def t(ctx: TurnContext, en: str, zh: str, **values: Any) -> str:
    return (zh if ctx.zh else en).format(**values)


def _options(options: dict[str, Any], language: str = "en") -> str:
    return options_label(options, language)


_STATUS_ZH = {"pending": "待发货", "processed": "已处理", "delivered": "已送达", "cancelled": "已取消",
              "return requested": "退货处理中", "exchange requested": "换货处理中"}


def status_label(ctx: TurnContext, status: str) -> str:
    return _STATUS_ZH.get(status, status) if ctx.zh else status


def item_name(ctx: TurnContext, item: dict[str, Any]) -> str:
    """An order line's product name in the shopper's language (the order keeps the English snapshot)."""
    if not ctx.zh:
        return item["name"]
    info = vocabulary(ctx.session, ctx.resources).products.get(item.get("product_id", ""))
    return product_label(item["name"], info.name_zh if info else None, "zh")


def describe_order(ctx: TurnContext, order: dict[str, Any]) -> str:
    lines = [t(ctx, "Order {id}: {status}.", "订单 {id}：{status}。", id=order["order_id"],
               status=status_label(ctx, order["status"]))]
    lines += [f"- {line}" for line in _item_lines(order, [item["item_id"] for item in order["items"]], ctx)]
    tracking = [tid for f in order.get("fulfillments", []) for tid in f.get("tracking_id", [])]
    if tracking:
        lines.append(t(ctx, "Tracking: {ids}", "物流单号：{ids}", ids=", ".join(tracking)))
    return "\n".join(lines)


def _ask(ctx: TurnContext, slot: str, text: str, choices: list[str] | None = None) -> list[Block]:
    ctx.state.awaiting = slot
    return [QuestionBlock(slot=slot, text=text, choices=choices or [])]


# --- authentication -------------------------------------------------------------------------------------------

def ask_to_authenticate(ctx: TurnContext, intent: str) -> list[Block]:
    ctx.state.resume_intent = intent
    return _ask(ctx, "auth", t(
        ctx, "Before I can look at orders, please tell me the email on your account, or your first and last "
        "name and zip code.", "查看订单前需要验证身份：请提供账户邮箱，或您的姓名和邮编。"))


def _try_authenticate(ctx: TurnContext) -> str | None:
    """Find the user the message identifies (email, or name + zip); None when it identifies no one."""
    found = None
    address = parse.email(ctx.message)
    try:
        if address:
            found = ctx.call("find_user_id_by_email", {"email": address})
        else:
            name_zip = parse.name_and_zip(ctx.message)
            if name_zip:
                first, last, zip_code = name_zip
                found = ctx.call("find_user_id_by_name_zip",
                                 {"first_name": first, "last_name": last, "zip": zip_code})
    except ShopcopilotError:
        return None
    if isinstance(found, dict):
        found = found.get("user_id")
    return str(found) if found else None


def authenticate(ctx: TurnContext) -> list[Block]:
    state = ctx.state
    user_id = _try_authenticate(ctx)
    if user_id is None:
        return _ask(ctx, "auth", t(
            ctx, "I could not find an account with those details. Please check the email, or the name and zip code.",
            "没有找到与这些信息匹配的账户，请核对邮箱，或姓名和邮编。"))
    if state.authenticated_user_id and state.authenticated_user_id != user_id:
        ctx.trace.flags.append("ownership_denied")
        state.awaiting = None
        return [TextBlock(t(ctx, "This conversation already belongs to another account; I can only help one "
                                 "shopper per conversation.", "本次对话已属于另一个账户，每次对话只能为一位顾客服务。"))]
    state.authenticated_user_id = user_id
    state.awaiting = None
    intro = TextBlock(t(ctx, "Thanks, you are verified.", "谢谢，身份已验证。"))
    intent = state.resume_intent or rule_intent(ctx.message)
    state.resume_intent = None
    if intent in ORDER_INTENTS:
        return [intro, *order_service(ctx, intent=intent, fresh_details=False)]
    return [intro, TextBlock(t(ctx, "How can I help with your orders?", "请问需要我如何帮您处理订单？"))]


# --- the order flows ------------------------------------------------------------------------------------------

def order_service(ctx: TurnContext, intent: str | None = None, fresh_details: bool = True) -> list[Block]:
    state = ctx.state
    intent = intent or ctx.plan.intent
    if intent not in ORDER_INTENTS:
        intent = (state.flow or {}).get("intent", "order_status")
    if not state.flow or state.flow.get("intent") != intent:
        state.flow = {"intent": intent, "order_id": None, "item_ids": [], "new_item_ids": [],
                      "reason": None, "payment_method_id": None, "address": None}
    state.pending = None
    flow = state.flow
    if not state.authenticated_user_id:
        user_id = _try_authenticate(ctx)
        if user_id is None:
            _absorb(ctx, flow, None, None)
            return ask_to_authenticate(ctx, intent)
        state.authenticated_user_id = user_id
    user = ctx.call("get_user_details", {"user_id": state.authenticated_user_id})
    mentioned = parse.order_id(ctx.message)
    if mentioned and mentioned != flow.get("order_id"):
        flow.update(order_id=mentioned, item_ids=[], new_item_ids=[])
    if not flow.get("order_id"):
        flow["order_id"] = _same_order(ctx, user)
    if not flow.get("order_id"):
        if intent == "address_change":
            return _address_change(ctx, flow, user, None)
        # Each of the shopper's orders is read once: to find the one meant, else to list them.
        orders = [ctx.call("get_order_details", {"order_id": order_id})
                  for order_id in user.get("orders", [])[:MAX_ORDERS_LISTED]]
        flow["order_id"] = _implied_order(ctx, intent, orders)
        if not flow["order_id"]:
            return _choose_order(ctx, intent, orders)
    try:
        order = ctx.call("get_order_details", {"order_id": flow["order_id"]})
    except OwnershipError:
        ctx.trace.flags.append("ownership_denied")
        wrong = flow["order_id"]
        flow["order_id"] = None
        return [TextBlock(t(ctx, "I cannot find order {id} among your orders; I can only help with your own orders.",
                            "您的账户下没有订单 {id}，我只能处理您本人的订单。", id=wrong))]
    state.slots = {**state.slots, "last_order_id": flow["order_id"]}
    before = dict(flow)
    _absorb(ctx, flow, user, order)
    if flow == before and ctx.plan.source == "state" and (ctx.analysis.product_ids or ctx.analysis.options):
        in_order = {item["product_id"] for item in order["items"]}
        if not set(ctx.analysis.product_ids) & in_order:
            # The shopper moved on to something else (e.g. shopping): leave the order request.
            from shopcopilot.shopper.discover import discover

            state.flow = None
            state.awaiting = None
            return discover(ctx)
    handler = {
        "order_status": _status, "order_cancel": _cancel, "order_return": _return, "order_exchange": _exchange,
        "order_modify": _modify, "address_change": _address_change,
    }[intent]
    return handler(ctx, flow, user, order)


def _absorb(ctx: TurnContext, flow: dict[str, Any], user: dict | None, order: dict | None) -> None:
    """Take every detail the message gives (later messages add to or correct earlier ones)."""
    text = ctx.message
    flow["reason"] = parse.cancel_reason(text) or flow.get("reason")
    if parse.order_id(text):
        flow["order_id"] = parse.order_id(text)
    if user is not None:
        flow["payment_method_id"] = parse.payment_method(text, user, order) or flow.get("payment_method_id")
    flow["address"] = parse.address(text) or flow.get("address")
    if order is not None:
        vocab = vocabulary(ctx.session, ctx.resources)
        which, target = parse.split_target(text)
        items = parse.order_items(which, order, vocab)
        if items:
            flow["item_ids"] = items
            flow["new_item_ids"] = []
        if flow["intent"] in ("order_exchange", "order_modify") and flow["item_ids"] and target:
            by_id = {item["item_id"]: item for item in order["items"]}
            new_ids: list[str] = []
            for item_id in flow["item_ids"]:
                new_id, _ = parse.replacement_variant(ctx.session, by_id[item_id], target, vocab)
                new_ids.append(new_id or "")
            if all(new_ids):
                flow["new_item_ids"] = new_ids


_SAME_ORDER = re.compile(
    r"\b(?:it|that order|this order|the same order|that one)\b|这个订单|那个订单|这单|那单|刚才的订单|刚才那个", re.I)
_STATUS_FOR = {"order_cancel": "pending", "order_modify": "pending", "order_return": "delivered",
               "order_exchange": "delivered"}


def _same_order(ctx: TurnContext, user: dict[str, Any]) -> str | None:
    """"it" / "这个订单": the order just talked about."""
    last = ctx.state.slots.get("last_order_id")
    return last if last and _SAME_ORDER.search(ctx.message) and last in user.get("orders", []) else None


def _implied_order(ctx: TurnContext, intent: str, orders: list[dict[str, Any]]) -> str | None:
    """The one order a request can mean without naming it: "return the skateboard" is the only order (in the state
    the request needs) that holds a skateboard; "我想换货" with one delivered order is that order."""
    wanted_status = _STATUS_FOR.get(intent)
    named = set(ctx.analysis.product_ids)
    if not named and not wanted_status:
        return None
    fitting = [order for order in orders if wanted_status is None or order["status"] == wanted_status]
    if named:
        fitting = [order for order in fitting if named & {item["product_id"] for item in order["items"]}]
    return fitting[0]["order_id"] if len(fitting) == 1 else None


def _choose_order(ctx: TurnContext, intent: str, orders: list[dict[str, Any]]) -> list[Block]:
    wanted_status = _STATUS_FOR.get(intent)
    lines: list[str] = []
    choices: list[str] = []
    for order in orders:
        names = ("、" if ctx.zh else ", ").join(item_name(ctx, item) for item in order["items"])
        lines.append(f"- {order['order_id']}: {status_label(ctx, order['status'])} ({names})")
        if wanted_status is None or order["status"] == wanted_status:
            choices.append(order["order_id"])
    if not lines:
        return [TextBlock(t(ctx, "You have no orders with us.", "您还没有订单。"))]
    head = t(ctx, "Your orders:", "您的订单：")
    if intent == "order_status":
        return [TextBlock("\n".join([head, *lines]))]
    return [TextBlock("\n".join([head, *lines])),
            *_ask(ctx, "order_id", t(ctx, "Which order is it about?", "请问是哪个订单？"), choices)]


def _require_status(ctx: TurnContext, order: dict[str, Any], required: str, action_en: str, action_zh: str):
    if order["status"] == required:
        return None
    ctx.state.flow = None
    ctx.state.awaiting = None
    return [TextBlock(t(ctx, "Order {id} is {status}; only a {required} order can be {action}.",
                        "订单 {id} 的状态是 {status}，只有 {required} 状态的订单才能{action}。",
                        id=order["order_id"], status=order["status"], required=required,
                        action=action_zh if ctx.zh else action_en))]


def _status(ctx: TurnContext, flow, user, order) -> list[Block]:
    ctx.state.flow = None
    ctx.state.awaiting = None
    return [TextBlock(describe_order(ctx, order))]


def _confirm(ctx: TurnContext, tool: str, arguments: dict[str, Any], details: list[str], extra: str = "") -> list[Block]:
    ctx.state.pending = {"tool": tool, "arguments": arguments, "details": details}
    ctx.state.awaiting = "confirmation"
    prompt = t(ctx, "Shall I go ahead? Reply 'yes' to confirm.", "是否确认执行？回复“是的”或“确认”继续。")
    if extra:
        prompt = f"{extra} {prompt}"
    return [ConfirmationBlock(action=tool, arguments=arguments, details=details, prompt=prompt)]


def _payment_choices(ctx: TurnContext, user, order, *, refund_only: bool) -> list[Block]:
    choices = []
    original = [p["payment_method_id"] for p in order.get("payment_history", []) if p["transaction_type"] == "payment"]
    for method_id, method in user.get("payment_methods", {}).items():
        if refund_only and method_id not in original[:1] and method.get("source") != "gift_card":
            continue  # refunds go to the original method or a gift card
        choices.append(method_id)
    return _ask(ctx, "payment_method", t(ctx, "Which payment method should be used?", "请选择支付方式（用于付款或退款）："),
                choices)


def _item_lines(order, item_ids: list[str], ctx: TurnContext | None = None) -> list[str]:
    by_id = {item["item_id"]: item for item in order["items"]}
    if ctx is not None and ctx.zh:
        return [f"{item_name(ctx, by_id[i])}（{_options(by_id[i]['options'], 'zh')}）{money(by_id[i]['price'])}，商品 {i}"
                for i in item_ids if i in by_id]
    return [f"{by_id[i]['name']} ({_options(by_id[i]['options'])}) {money(by_id[i]['price'])}, item {i}"
            for i in item_ids if i in by_id]


def _cancel(ctx: TurnContext, flow, user, order) -> list[Block]:
    refused = _require_status(ctx, order, "pending", "cancelled", "取消")
    if refused:
        return refused
    if not flow.get("reason"):
        return _ask(ctx, "reason", t(ctx, "Why would you like to cancel: 'no longer needed' or 'ordered by mistake'?",
                                     "请问取消原因是“不再需要”还是“买错了”？"), REASONS)
    details = [t(ctx, "Cancel order {id}", "取消订单 {id}", id=order["order_id"]),
               *_item_lines(order, [item["item_id"] for item in order["items"]], ctx),
               t(ctx, "Reason: {reason}", "原因：{reason}", reason=flow["reason"]),
               t(ctx, "The total is refunded to the original payment method.", "款项将原路退回。")]
    return _confirm(ctx, "cancel_pending_order", {"order_id": order["order_id"], "reason": flow["reason"]}, details)


def _items_question(ctx: TurnContext, order, verb_en: str, verb_zh: str) -> list[Block]:
    choices = [item["item_id"] for item in order["items"]]
    if len(choices) == 1 and ctx.state.flow is not None:  # one item: that is the item meant
        ctx.state.flow["item_ids"] = choices
        return []
    lines = [f"- {line}" for line in _item_lines(order, choices, ctx)]
    return [TextBlock("\n".join(lines)),
            *_ask(ctx, "items", t(ctx, "Which items would you like to {verb}?", "您想{verb}哪些商品？",
                                  verb=verb_zh if ctx.zh else verb_en), choices)]


def _return(ctx: TurnContext, flow, user, order) -> list[Block]:
    refused = _require_status(ctx, order, "delivered", "returned", "退货")
    if refused:
        return refused
    if not flow["item_ids"] and (asked := _items_question(ctx, order, "return", "退")):
        return asked
    if not flow.get("payment_method_id"):
        return _payment_choices(ctx, user, order, refund_only=True)
    details = [t(ctx, "Return from order {id}:", "订单 {id} 退货：", id=order["order_id"]),
               *_item_lines(order, flow["item_ids"], ctx),
               t(ctx, "Refund to: {pm}", "退款至：{pm}", pm=flow["payment_method_id"])]
    args = {"order_id": order["order_id"], "item_ids": flow["item_ids"],
            "payment_method_id": flow["payment_method_id"]}
    return _confirm(ctx, "return_delivered_order_items", args, details)


def _replacement_lines(ctx: TurnContext, order, flow) -> tuple[list[str], float]:
    from shopcopilot.catalog.models import Variant

    by_id = {item["item_id"]: item for item in order["items"]}
    lines: list[str] = []
    difference = 0.0
    for old_id, new_id in zip(flow["item_ids"], flow["new_item_ids"], strict=True):
        old, new = by_id[old_id], ctx.session.get(Variant, new_id)
        difference += new.price - old["price"]
        lines.append(f"{old['name']}: ({_options(old['options'])}) {money(old['price'])} -> "
                     f"({_options(new.options)}) {money(new.price)}, item {new_id}")
    return lines, round(difference, 2)


_OPTION_WORDS = {"color": r"\bcolou?rs?\b|颜色", "size": r"\bsizes?\b|尺码|尺寸|大小", "material": r"\bmaterials?\b|材质"}


def _new_items_question(ctx: TurnContext, order, flow) -> list[Block]:
    vocab = vocabulary(ctx.session, ctx.resources)
    by_id = {item["item_id"]: item for item in order["items"]}
    item = by_id[flow["item_ids"][0]]
    options = vocab.products[item["product_id"]].options if item["product_id"] in vocab.products else {}
    lang = ctx.language
    listing = ("；" if ctx.zh else "; ").join(
        f"{option_label(name, lang)}: " + joined([value_label(name, v, lang) for v in values], lang)
        for name, values in options.items())
    question = t(ctx, "What should the {name} ({current}) become? Options: {listing}",
                 "{name}（{current}）想换成什么款式？可选：{listing}",
                 name=item_name(ctx, item), current=_options(item["options"], lang), listing=listing)
    lacking = [word for word, pattern in _OPTION_WORDS.items()
               if re.search(pattern, ctx.message, re.I) and not any(word in name.lower() for name in options)]
    if lacking:  # "换成别的颜色" for a product that has no colours: say so instead of asking again
        question = t(ctx, "The {name} has no {option} to choose. ", "{name}没有{option}可选。",
                     name=item_name(ctx, item), option=option_label(lacking[0], lang)) + question
    return _ask(ctx, "new_items", question)


def _exchange(ctx: TurnContext, flow, user, order, *, modify: bool = False) -> list[Block]:
    status, verb_en, verb_zh = ("pending", "modified", "修改") if modify else ("delivered", "exchanged", "换货")
    refused = _require_status(ctx, order, status, verb_en, verb_zh)
    if refused:
        return refused
    if not flow["item_ids"] and (asked := _items_question(ctx, order, "change" if modify else "exchange",
                                                          "修改" if modify else "换")):
        return asked
    if not flow["new_item_ids"]:
        return _new_items_question(ctx, order, flow)
    if not flow.get("payment_method_id"):
        return _payment_choices(ctx, user, order, refund_only=False)
    lines, difference = _replacement_lines(ctx, order, flow)
    tool = "modify_pending_order_items" if modify else "exchange_delivered_order_items"
    head = t(ctx, "Change items of order {id}:", "修改订单 {id} 的商品：", id=order["order_id"]) if modify else \
        t(ctx, "Exchange in order {id}:", "订单 {id} 换货：", id=order["order_id"])
    details = [head, *lines,
               t(ctx, "Price difference: {d}, settled with {pm}", "差价：{d}，通过 {pm} 结算",
                 d=money(difference), pm=flow["payment_method_id"])]
    reminder = t(ctx, "This can be done only once: is this every item you want to change?",
                 "此操作只能进行一次：以上是否为您要更改的全部商品？")
    args = {"order_id": order["order_id"], "item_ids": flow["item_ids"], "new_item_ids": flow["new_item_ids"],
            "payment_method_id": flow["payment_method_id"]}
    return _confirm(ctx, tool, args, details, reminder)


def _modify(ctx: TurnContext, flow, user, order) -> list[Block]:
    text = ctx.message.lower()
    if flow.get("address") or "address" in text or "地址" in text:
        return _address_change(ctx, flow, user, order)
    if ("payment" in text or "pay " in text or "支付" in text) and not flow["item_ids"]:
        refused = _require_status(ctx, order, "pending", "modified", "修改")
        if refused:
            return refused
        if not flow.get("payment_method_id"):
            return _payment_choices(ctx, user, order, refund_only=False)
        details = [t(ctx, "Pay for order {id} with {pm} instead", "订单 {id} 改用 {pm} 支付", id=order["order_id"],
                     pm=flow["payment_method_id"])]
        return _confirm(ctx, "modify_pending_order_payment",
                        {"order_id": order["order_id"], "payment_method_id": flow["payment_method_id"]}, details)
    return _exchange(ctx, flow, user, order, modify=True)


def _address_change(ctx: TurnContext, flow, user, order) -> list[Block]:
    if order is not None:
        refused = _require_status(ctx, order, "pending", "modified", "修改")
        if refused:
            return refused
    if not flow.get("address"):
        return _ask(ctx, "address", t(ctx, "What is the new address? Please write it as: street, apt/suite "
                                           "(optional), city, state, zip.",
                                      "新地址是什么？请按“街道, 门牌(可选), 城市, 州, 邮编”的格式填写。"))
    address = flow["address"]
    line = ", ".join(v for v in (address["address1"], address["address2"], address["city"], address["state"],
                                 address["zip"], address["country"]) if v)
    if order is not None:
        details = [t(ctx, "Ship order {id} to: {a}", "订单 {id} 改寄到：{a}", id=order["order_id"], a=line)]
        return _confirm(ctx, "modify_pending_order_address", {"order_id": order["order_id"], **address}, details)
    details = [t(ctx, "Change your default address to: {a}", "将默认地址改为：{a}", a=line)]
    return _confirm(ctx, "modify_user_address", {"user_id": user["user_id"], **address}, details)


# --- confirmation ---------------------------------------------------------------------------------------------

def confirm(ctx: TurnContext) -> list[Block]:
    pending = ctx.state.pending
    ctx.state.pending = None
    ctx.state.awaiting = None
    ctx.state.flow = None
    if not pending:
        return [TextBlock(t(ctx, "There is nothing waiting for confirmation.", "当前没有待确认的操作。"))]
    try:
        result = ctx.call(pending["tool"], pending["arguments"], confirmed=True)
    except ShopcopilotError as exc:
        return [TextBlock(t(ctx, "That did not go through: {m} Nothing was changed.", "操作未完成：{m} 未做任何更改。",
                            m=exc.message))]
    done = t(ctx, "Done.", "已完成。")
    if isinstance(result, dict) and "order_id" in result:
        return [TextBlock(f"{done}\n{describe_order(ctx, result)}")]
    return [TextBlock(done)]


def decline(ctx: TurnContext) -> list[Block]:
    ctx.state.pending = None
    ctx.state.awaiting = None
    ctx.state.flow = None
    return [TextBlock(t(ctx, "OK, I have not changed anything.", "好的，没有做任何更改。"))]
