"""Cart in chat: add a product's variant by reference and options ("the second one in blue, size M"), or show
the cart. When more than one variant fits, ask which option, with the choices the store has."""

from __future__ import annotations

import contextlib
import re

from shopcopilot.agent.blocks import Block, CartUpdateBlock, QuestionBlock, TextBlock
from shopcopilot.agent.engine import TurnContext
from shopcopilot.errors import ShopcopilotError
from shopcopilot.shopper.answers import joined, option_label, options_label, say, value_label
from shopcopilot.shopper.cards import money
from shopcopilot.shopper.product_answers import target_product
from shopcopilot.shopper.vocabulary import vocabulary

_ADD = re.compile(r"\b(?:add|put|buy|take)\b|加入|加购|放进|买|要这个|要那个", re.I)


def cart(ctx: TurnContext) -> list[Block]:
    lang = ctx.language
    if not ctx.shopper_id:
        ctx.state.awaiting = None
        return [TextBlock(say(lang, "sign_in_for_cart"))]
    adding = bool(_ADD.search(ctx.message)) or ctx.state.awaiting == "cart"
    if not adding:
        view = ctx.call("view_cart", {})
        if not view["lines"]:
            return [TextBlock(say(lang, "cart_empty"))]
        return [TextBlock(say(lang, "cart_view")),
                CartUpdateBlock(added=None, lines=view["lines"], total=view["subtotal"])]
    product_id = target_product(ctx)
    if product_id is None:
        ctx.state.awaiting = None
        return [TextBlock(say(lang, "which_product"))]
    vocab = vocabulary(ctx.session, ctx.resources)
    wanted = dict(ctx.state.slots.get("options", {})) if ctx.state.slots.get("product_id") == product_id else {}
    wanted.update(vocab.match_options(ctx.message, product_id))
    ctx.state.slots = {**ctx.state.slots, "product_id": product_id, "options": wanted}
    ctx.state.slots.setdefault("excluded", {})
    card = ctx.call("product_card", {"product_id": product_id, "options": wanted,
                                     "excluded": ctx.state.slots.get("excluded", {})})
    ctx.state.focus = product_id
    fitting = [v for v in card["variants"] if v["matches"] and v["available"]]
    if not fitting:
        ctx.state.awaiting = None
        return [TextBlock(say(lang, "cart_unavailable", product=card["title"]))]
    if len(fitting) > 1:
        spread = {name: sorted({str(v["options"].get(name)) for v in fitting}) for name in card["option_names"]}
        name, choices = max(spread.items(), key=lambda item: len(item[1]))
        ctx.state.awaiting = "cart"
        shown = [value_label(name, choice, lang) for choice in choices]  # a Chinese chip maps back (vocabulary)
        return [QuestionBlock(slot=f"cart:{name}", text=say(lang, "cart_choose", product=card["title"],
                                                            option=option_label(name, lang),
                                                            choices=joined(shown, lang)), choices=shown)]
    variant = fitting[0]
    ctx.state.awaiting = None
    try:
        view = ctx.call("add_to_cart", {"variant_id": variant["variant_id"], "quantity": 1})
    except ShopcopilotError as exc:
        return [TextBlock(exc.message)]
    query = ctx.state.slots.get("query")
    if query and product_id in ctx.state.results:  # chosen from what a search showed: the ranker learns from it
        with contextlib.suppress(ShopcopilotError):  # the item is in the cart whatever happens to the note
            ctx.call("record_search_choice", {"query": str(query)[:500], "product_id": product_id})
    options = options_label(variant["options"], lang)
    added = {"product_id": product_id, "variant_id": variant["variant_id"], "options": variant["options"],
             "price": variant["price"], "quantity": 1}
    return [TextBlock(say(lang, "cart_added", product=card["title"], options=options, price=money(variant["price"]))),
            CartUpdateBlock(added=added, lines=view["lines"], total=view["subtotal"])]
