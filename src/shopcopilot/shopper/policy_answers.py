"""Questions about the store's rules ("what is your return policy?", "取消订单多久退款"), answered from its
knowledge bases with citations -- in rule mode too, no LLM needed -- and the answer to a stray "yes" with nothing
waiting for one."""

from __future__ import annotations

from shopcopilot.agent.blocks import Block, CitedAnswerBlock, TextBlock
from shopcopilot.agent.engine import TurnContext
from shopcopilot.agent.guard import is_negative

_NO_KNOWLEDGE = (
    "I cannot look up the store's policies right now. I can still help you find products or handle your orders.",
    "暂时无法查询店铺政策。我仍可以帮您找商品或处理订单。",
)
_NOT_FOUND = (
    "I could not find this in the store's policies. Could you ask it another way, or tell me which order it is "
    "about?",
    "店铺政策里没有找到相关内容。您可以换个说法，或告诉我是哪个订单。",
)
_FOLLOW_UP = (
    "If it is about one of your orders, tell me which one and I can help with it.",
    "如果涉及您的某个订单，告诉我订单号，我来帮您处理。",
)
_NOTHING_PENDING = (
    "There is nothing waiting for a yes right now. What can I help you with: finding a product, your cart, "
    "or an order?",
    "目前没有需要您确认的事项。请问需要什么帮助：找商品、购物车，还是订单？",
)
_OK_NOTHING_PENDING = (
    "All right. Is there anything else I can help you with?",
    "好的。还有什么可以帮您的吗？",
)


def _say(ctx: TurnContext, pair: tuple[str, str]) -> str:
    return pair[1] if ctx.zh else pair[0]


def policy_question(ctx: TurnContext) -> list[Block]:
    if "store_knowledge" not in ctx.registry:
        return [TextBlock(_say(ctx, _NO_KNOWLEDGE))]
    ctx.state.awaiting = None
    answer = ctx.call("store_knowledge", {"question": ctx.message})
    if not answer["found"]:
        return [TextBlock(_say(ctx, _NOT_FOUND))]
    blocks: list[Block] = [CitedAnswerBlock(text=answer["answer"], citations=list(answer["citations"]))]
    if ctx.state.authenticated_user_id:
        blocks.append(TextBlock(_say(ctx, _FOLLOW_UP)))
    return blocks


def acknowledge(ctx: TurnContext) -> list[Block]:
    """A bare yes/no with no question or confirmation open: say so briefly and offer help (never a search)."""
    return [TextBlock(_say(ctx, _OK_NOTHING_PENDING if is_negative(ctx.message) else _NOTHING_PENDING))]
