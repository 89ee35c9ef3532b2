"""Greeting, out-of-scope, stated preferences ("I'm allergic to wool", "我不喜欢黑色") and "what do you know
about me?"."""

from __future__ import annotations

import re

from shopcopilot.agent.blocks import Block, TextBlock
from shopcopilot.agent.engine import TurnContext
from shopcopilot.agent.memory import parse_statement
from shopcopilot.shopper.answers import say
from shopcopilot.shopper.memory_labels import memory_line, memory_value_label

_THANKS = re.compile(r"谢谢|多谢|感谢|谢啦|3q|\bthanks?\b|\bthank you\b|\bthx\b", re.I)
_ALLERGY = re.compile(r"过敏|allergic", re.I)


def greeting(ctx: TurnContext) -> list[Block]:
    # "谢谢" is routed here too; answering it with "您好！..." reads like the assistant did not listen.
    if _THANKS.search(ctx.message):
        return [TextBlock(say(ctx.language, "thanks"))]
    return [TextBlock(say(ctx.language, "greeting"))]


def out_of_scope(ctx: TurnContext) -> list[Block]:
    if "injection_ignored" in ctx.trace.flags:
        return [TextBlock(say(ctx.language, "injection"))]
    return [TextBlock(say(ctx.language, "out_of_scope"))]


def elsewhere(ctx: TurnContext) -> list[Block]:
    return [TextBlock(say(ctx.language, "elsewhere"))]


def remember(ctx: TurnContext) -> list[Block]:
    from shopcopilot.shopper.discover import discover

    statement = parse_statement(ctx.message)
    if statement is None:
        return out_of_scope(ctx)
    if not ctx.shopper_id:
        blocks: list[Block] = [TextBlock(say(ctx.language, "memory_sign_in"))]
    else:
        ctx.call("remember", {"attribute": statement.attribute, "value": statement.value,
                              "polarity": statement.polarity, "note": statement.note})
        value = memory_value_label(ctx, statement.attribute, statement.value)
        if statement.polarity == "avoid" and _ALLERGY.search(ctx.message):
            key = "remembered_allergy"
        else:
            key = "remembered_like" if statement.polarity == "like" else "remembered_avoid"
        blocks = [TextBlock(say(ctx.language, key, value=value))]
    if ctx.analysis.product_ids:
        blocks.extend(discover(ctx))  # "I'm allergic to wool, show me jackets": remember, then search
    return blocks


def memory(ctx: TurnContext) -> list[Block]:
    if not ctx.shopper_id:
        return [TextBlock(say(ctx.language, "memory_sign_in"))]
    items = ctx.call("list_memory", {})
    if not items:
        return [TextBlock(say(ctx.language, "memory_empty"))]
    lines = [say(ctx.language, "memory_list")]
    lines.extend(memory_line(ctx, item) for item in items)
    return [TextBlock("\n".join(lines))]
