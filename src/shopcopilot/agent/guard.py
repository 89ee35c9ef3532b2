"""The policy guard: ownership (one shopper per conversation; other shoppers' orders stay out of reach),
explicit confirmation before consequential actions, and prompt-injection flags.

These checks run on every tool call whatever planner proposed it, so a planner cannot skip them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from shopcopilot.commerce.models import Order
from shopcopilot.errors import Forbidden

if TYPE_CHECKING:
    from shopcopilot.agent.tools import Tool, ToolContext


class OwnershipError(Forbidden):
    code = "not_your_record"


class ConfirmationRequired(Forbidden):
    code = "confirmation_required"


class AuthenticationRequired(Forbidden):
    code = "authentication_required"


def check_tool_call(tool: Tool, arguments: dict[str, Any], ctx: ToolContext, *, confirmed: bool) -> None:
    user = ctx.authenticated_user_id
    if tool.needs_authentication and not user:
        raise AuthenticationRequired(f"{tool.name} needs the shopper to be authenticated first")
    if "user_id" in arguments and arguments["user_id"] != user:
        raise OwnershipError("this conversation can only see the authenticated shopper's own profile")
    if "order_id" in arguments:
        order = ctx.session.get(Order, str(arguments["order_id"]))
        # An unknown order and someone else's order read the same, so ids cannot be probed.
        if order is None or order.shopper_id != user:
            raise OwnershipError(f"order {arguments['order_id']} is not among the authenticated shopper's orders")
    if tool.consequential and not confirmed:
        raise ConfirmationRequired(f"{tool.name} changes data: list the details and get an explicit yes first")


_YES = re.compile(
    r"^\s*(?:yes|yeah|yep|y|sure|confirm(?:ed)?|ok(?:ay)?,?\s*(?:go ahead|do it|proceed|confirm)|go ahead|"
    r"proceed|do it|please do|yes,? please|yes,? go ahead|yes,? confirm|yes,? do it|"
    r"是|是的|确认|确定|好的|好|可以|对|没问题|确认无误|是的，?确认)\s*[.!。！]*\s*$",
    re.I,
)
_NO = re.compile(
    r"^\s*(?:no|nope|n|don't|do not|stop|never ?mind|not now|no,? thanks|no,? don't|"
    r"不|不要|不用|不用了|算了|先不要|不确认|否)\s*[.!。！]*\s*$",
    re.I,
)


def is_affirmative(text: str) -> bool:
    """An explicit yes; anything vaguer is not consent."""
    return bool(_YES.match(text.strip()))


def is_negative(text: str) -> bool:
    return bool(_NO.match(text.strip()))


_INJECTION = re.compile(
    r"ignore (?:all |any |the )?(?:previous|prior|above|earlier) (?:instructions|rules|messages)"
    r"|disregard (?:the |your )?(?:rules|policy|instructions)|you are now|system prompt|developer mode"
    r"|act as (?:an? )?(?:admin|administrator|agent|system)|as an admin|override (?:the )?policy"
    r"|without (?:asking|confirmation)|skip (?:the )?(?:confirmation|verification|authentication)"
    r"|忽略(?:之前|以上|前面)的?(?:指令|规则|说明)|无需确认|跳过(?:确认|验证)|你现在是|系统提示",
    re.I,
)


def detect_injection(text: str) -> bool:
    """A message that tries to change the assistant's rules. The rules do not change; the trace says so."""
    return bool(_INJECTION.search(text))
