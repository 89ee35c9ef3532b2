"""Greeting, out-of-scope, stated preferences ("I'm allergic to wool", "我不喜欢黑色") and "what do you know
about me?"."""

from __future__ import annotations

from shopcopilot.agent.blocks import Block, TextBlock
from shopcopilot.agent.engine import TurnContext
from shopcopilot.agent.memory import parse_statement
from shopcopilot.shopper.answers import say


def greeting(ctx: TurnContext) -> list[Block]:
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
        word = {("like", "en"): "like", ("avoid", "en"): "avoid", ("like", "zh"): "喜欢",
                ("avoid", "zh"): "不要"}[(statement.polarity, ctx.language)]
        blocks = [TextBlock(say(ctx.language, "remembered", polarity_word=word, value=statement.value))]
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
    for item in items:
        lines.append(f"- #{item['id']} {item['polarity']} {item['attribute']}: {item['value']} ({item['source']})")
    return [TextBlock("\n".join(lines))]
