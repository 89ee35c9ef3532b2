"""Every sentence the assistant says, in English and Chinese. Facts are passed in from tool results; the
templates add no numbers of their own."""

from __future__ import annotations

TEMPLATES: dict[str, tuple[str, str]] = {
    "thanks": ("You're welcome! Anything else I can help with?", "不客气！还有什么可以帮您的吗？"),
    "greeting": (
        "Hi! I can help you find products, recommend something for you, manage your cart, and track, cancel, "
        "return or exchange orders.",
        "您好！我可以帮您找商品、为您推荐、管理购物车，以及查询、取消、退货或换货订单。",
    ),
    "out_of_scope": (
        "Sorry, I can only help with shopping in this store and with your orders.",
        "抱歉，我只能帮您在本店购物和处理订单相关的问题。",
    ),
    "elsewhere": (
        "That is handled by another part of the assistant that is not available in this conversation yet. "
        "I can help you find products, manage your cart or handle orders.",
        "这项功能暂未在本对话中提供。我可以帮您找商品、管理购物车或处理订单。",
    ),
    "ask_category": (
        "What kind of product are you looking for?",
        "您想找哪一类商品？",
    ),
    "ask_option": (
        "Which {option} would you like for the {product}?",
        "{product}您想要哪种{option}？",
    ),
    "found": (
        "Here is what I found for {query}.",
        "为您找到以下与“{query}”相关的商品。",
    ),
    "found_product": (
        "{product}: matching options from {low} to {high}.",
        "{product}：符合条件的款式价格为 {low} 至 {high}。",
    ),
    "found_product_one_price": ("{product}: {low}.", "{product}：{low}。"),
    "no_match_product": (
        "{product} has no available option matching {constraints}; here are all its options.",
        "{product}没有符合“{constraints}”的有货款式，以下是全部款式。",
    ),
    "nothing_found": (
        "I could not find anything in the store for that. Could you name the kind of product?",
        "店里没有找到相关商品。能告诉我您想要哪一类商品吗？",
    ),
    "cheaper_none": (
        "There is nothing cheaper than {price} among these options.",
        "这些选项里没有比 {price} 更便宜的了。",
    ),
    "pricier_none": (
        "There is nothing pricier than {price} among these options.",
        "这些选项里没有比 {price} 更贵的了。",
    ),
    "avoiding": (
        "I left out {values} because you told me you avoid {values}.",
        "已根据您的偏好排除：{values}。",
    ),
    "reason_search": ("Matches your search for {query}.", "符合您搜索的“{query}”。"),
    "reason_options": ("Has {values}, as you asked.", "有您要的{values}。"),
    "reason_avoid": ("Leaves out {values}, which you avoid.", "已排除您不喜欢的{values}。"),
    "reason_like": ("You like {values}.", "您喜欢{values}。"),
    "answer_price": (
        "{product} costs from {low} to {high}.",
        "{product}的价格为 {low} 至 {high}。",
    ),
    "answer_price_match": (
        "{product} with {values}: {prices}.",
        "{product}（{values}）：{prices}。",
    ),
    "answer_has_option": (
        "Yes, {product} comes with {values}: {prices}.",
        "有的，{product}有{values}款：{prices}。",
    ),
    "answer_no_option": (
        "No, {product} is not available with {values}. Its {option} options are: {choices}.",
        "没有，{product}没有{values}款。可选的{option}有：{choices}。",
    ),
    "answer_options": (
        "{product} comes in these options: {listing}.",
        "{product}有以下选项：{listing}。",
    ),
    "answer_suits": ("Who {product} is for: {suits}", "{product}：{suits}"),
    "answer_usage": ("Using and caring for {product}: {usage}", "{product}的使用与保养：{usage}"),
    "answer_features": ("What stands out about {product}: {features}.", "{product}的特点：{features}。"),
    "answer_switch": (
        "{option} versions of {product}: {prices}.",
        "{product}的{option}款：{prices}。",
    ),
    "recommend_none_in_budget": (
        "Nothing I would pick for you from your orders, cart and browsing has an option up to {price}. Tell me "
        "what kind of product you want and I will search the whole store in that budget.",
        "根据您的订单、购物车和浏览记录，没有 {price} 以内的推荐。告诉我想要哪类商品，我按这个预算在全店搜索。",
    ),
    "no_such_option": (
        "There is no {values} option for {product}; here is what it has.",
        "{product}没有{values}款，以下是现有的款式。",
    ),
    "which_product": (
        "Which product do you mean? Please name it or say 'the first one'.",
        "您指的是哪一款？请说出名称或说“第一个”。",
    ),
    "compare_intro": ("Here is how they compare.", "对比如下。"),
    "compare_need_two": (
        "Show me at least two products first, then ask me to compare them.",
        "请先查看至少两款商品，再让我对比。",
    ),
    "cart_added": (
        "Added {product} ({options}) at {price} to your cart.",
        "已将{product}（{options}）{price} 加入购物车。",
    ),
    "cart_view": ("Your cart:", "您的购物车："),
    "cart_empty": ("Your cart is empty.", "您的购物车是空的。"),
    "cart_choose": (
        "{product} has several options. Which {option}? Choices: {choices}.",
        "{product}有多个款式。请选择{option}：{choices}。",
    ),
    "cart_unavailable": (
        "That option of {product} is not available right now.",
        "{product}的这个款式目前无货。",
    ),
    "sign_in_for_cart": (
        "Please sign in to use a cart.",
        "请先登录后再使用购物车。",
    ),
    "recommend_intro": ("Picked for you:", "为您精选："),
    "recommend_none": (
        "I do not know your taste yet. Tell me what you are looking for and I will search the store.",
        "我还不了解您的喜好。告诉我您想找什么，我来帮您搜索。",
    ),
    "remembered_like": (
        "Noted: you like {value}. I will keep that in mind.",
        "好的，已记住：您喜欢{value}，之后为您挑选时会优先考虑。",
    ),
    "remembered_avoid": (
        "Noted: you avoid {value}. I will keep that in mind.",
        "好的，已记住：您不喜欢{value}，之后为您挑选时会避开。",
    ),
    "remembered_allergy": (
        "Noted: you are allergic to {value}. I will leave out anything made of it.",
        "好的，已记住：您对{value}过敏，之后会为您避开含{value}的商品。",
    ),
    "memory_list": ("Here is what I remember about you:", "我记得您的以下偏好："),
    "memory_empty": ("I do not remember anything about you yet.", "我还没有记录您的偏好。"),
    "memory_sign_in": ("Sign in so that I can remember your preferences.", "请登录后我才能记住您的偏好。"),
    "explain_intro": ("Why {product}:", "推荐{product}的理由："),
    "explain_data": (
        "{product} costs {low} to {high}, with options {listing}.",
        "{product}价格 {low} 至 {high}，可选：{listing}。",
    ),
    "injection": (
        "I follow the store's rules in every conversation; I cannot change them.",
        "我在每次对话中都遵守本店规则，无法更改。",
    ),
}


def say(language: str, key: str, **values: object) -> str:
    en, zh = TEMPLATES[key]
    template = zh if language == "zh" else en
    return template.format(**values)


def joined(items: list[str], language: str) -> str:
    return "、".join(items) if language == "zh" else ", ".join(items)


# --- names in the answer's language: the store keeps English option names and values (the cards' data keeps
# them as they are); a Chinese answer names them through the option lexicon.

def option_label(name: str, language: str) -> str:
    from shopcopilot.catalog.content import translate_option_name

    return translate_option_name(name) if language == "zh" else name


def value_label(name: str | None, value: str, language: str) -> str:
    if language != "zh":
        return value
    from shopcopilot.catalog.content import translate_option_value

    return translate_option_value(name or "", str(value))


def values_label(options: dict[str, list[str]], language: str) -> list[str]:
    """Every value of {option name: [values]}, each in the answer's language."""
    return [value_label(name, value, language) for name, values in options.items() for value in values]


def options_label(options: dict[str, object], language: str) -> str:
    """A variant's options ("color black, size M" / "颜色 黑色、尺码 M码")."""
    parts = [f"{option_label(name, language)} {value_label(name, str(value), language)}"
             for name, value in options.items()]
    return joined(parts, language)


def product_label(name: str, name_zh: str | None, language: str) -> str:
    if language != "zh":
        return name
    if name_zh:
        return name_zh
    from shopcopilot.shopper.vocabulary import ZH_PRODUCT_NAMES

    aliases = ZH_PRODUCT_NAMES.get(name)
    return aliases[0] if aliases else name
