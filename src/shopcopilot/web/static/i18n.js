// English and Chinese strings for everything the pages say themselves (answers come from the API in the
// language the shopper wrote in). Elements with data-i18n="key" are re-labelled when the language changes.

export const STRINGS = {
  en: {
    skip: "Skip to content", senior_mode: "Senior mode", cart: "Cart", sign_out: "Sign out", sign_in: "Sign in",
    nav_signin: "Sign in", nav_assistant: "Assistant", nav_orders: "Orders", nav_memory: "Memory",
    nav_workbench: "Workbench",
    login_title: "Your shop, with a copilot", login_lead:
      "Shoppers chat with an assistant that only quotes the store's own prices and stock. Merchants turn photos into listings, polish images in the studio and run the store with a copilot.",
    login_shoppers: "Sign in as a demo shopper", login_merchants: "Sign in as a merchant",
    login_disabled: "Demo sign-in is off. Start the server with SHOPCOPILOT_DEMO_LOGIN=1, or paste a token from `shopcopilot token shopper USER_ID`.",
    paste_token: "Or paste a bearer token", use_token: "Use token", token_label: "Bearer token",
    orders_summary: "orders", products_summary: "products", continue_as: "Continue",
    hero_title: "What are you shopping for today?",
    hero_lead: "Ask in English or Chinese. Prices, options and stock come straight from the store.",
    ask_placeholder: "Ask about products, your cart or an order…", send: "Send", message_label: "Message",
    new_chat: "New chat", you: "You", assistant: "Assistant",
    s1: "wireless earbuds under $150", s2: "compare the two cheapest office chairs",
    s3: "plan a weekend camping trip", s4: "where is my latest order?", s5: "推荐一款咖啡机",
    add_to_cart: "Add to cart", added: "Added to cart", unavailable: "Out of stock", available: "In stock",
    choose_options: "Choose options", no_match: "No variant with these options", in_stock_n: "in stock",
    why_picked: "Why this", compare: "Comparison", attribute: "Attribute", add_all: "Add all to cart",
    added_all: "All items added", confirm: "Confirm", cancel: "Cancel", yes_do_it: "Yes, do it",
    no_keep: "No, keep it", helpful: "Was this helpful?", thumbs_up: "Helpful", thumbs_down: "Not helpful",
    comment_placeholder: "Tell us more (optional)", send_feedback: "Send", thanks_feedback: "Thanks for the feedback",
    trace: "How this answer was made", cart_title: "Your cart", cart_empty: "Your cart is empty.",
    subtotal: "Subtotal", remove: "Remove", coupons: "Coupons", coupon_unlocked: "Unlocked",
    coupon_gap: "Add {gap} more to unlock", fill_gap: "Fill the gap", gap_fillers: "Suggestions to reach the threshold",
    close: "Close", qty: "Quantity", clear_cart: "Empty cart", discount: "Best coupon saves",
    orders_title: "Your orders", order: "Order", status: "Status", items: "Items", total: "Total", details: "Details",
    back_orders: "All orders", tracking: "Tracking", ship_to: "Ship to", payments: "Payments",
    cancel_order: "Cancel order", return_items: "Return items", exchange_items: "Exchange items",
    reason: "Reason", reason_no_longer: "No longer needed", reason_mistake: "Ordered by mistake",
    pay_refund: "Refund / pay with", select_items: "Choose items", new_variant: "Exchange for",
    preview: "Preview changes", preview_title: "Please check before confirming", field: "Field",
    before: "Before", after: "After", done_ok: "Done. The order was updated.", no_orders: "No orders yet.",
    result: "Result", record: "Record", pick_one: "Choose at least one item",
    memory_title: "What the assistant remembers", memory_lead:
      "These preferences shape recommendations. Edit or delete anything; learned items come from your orders, cart and browsing.",
    add_memory: "Add a preference", attribute_label: "About", value_label: "Value", polarity_label: "I…",
    like: "like", avoid: "avoid", note_label: "Note", save: "Save", edit: "Edit", delete: "Delete",
    why_this: "Why this?", relearn: "Relearn from my activity", memory_empty: "Nothing remembered yet.",
    source_explicit: "You told the assistant this.", source_orders: "Learned from your past orders.",
    source_cart: "Learned from what is in your cart.", source_browsing: "Learned from what you viewed and searched.",
    weight: "Strength", deleted: "Deleted", saved: "Saved",
    attr_category: "Category", attr_product: "Product", attr_color: "Colour", attr_material: "Material",
    attr_price_band: "Price band", attr_size: "Size", attr_other: "Other",
    wb_title: "Merchant workbench", tab_overview: "Overview", tab_listings: "Listings", tab_studio: "Studio",
    tab_store: "Store setup", tab_copilot: "Copilot", tab_audit: "Audit log",
    products: "Products", orders: "Orders", price_range: "Price", variants: "Variants",
    upload_photos: "Upload product photos", choose_photos: "Choose photos", make_draft: "Create listing draft",
    draft: "Draft", publish: "Publish", published: "Published", title_en: "Title (English)", title_zh: "Title (Chinese)",
    description: "Description", category: "Category", price: "Price", attributes: "Attributes", evidence: "Evidence",
    not_available_yet: "This part of the API is not available on this server yet.",
    studio_lead: "Upload a photo; the studio cuts out the product, builds scenes for every slot and checks that the product's pixels are untouched.",
    scene: "Scene", slots: "Slots", run_studio: "Render", rendering: "Rendering…", fidelity: "Fidelity report",
    faithful: "Product untouched", not_faithful: "Product changed", pixels_changed: "Changed product pixels",
    colour_shift: "Colour shift (ΔE)", text_check: "Text on product", passed: "passed", failed: "failed",
    store_name: "Store name", store_name_zh: "Store name (Chinese)", logo: "Logo", theme: "Theme colour",
    save_store: "Save store", store_preview: "Preview",
    copilot_lead: "Ask for a change in plain words. You see the exact diff first, confirm it, and can undo it.",
    copilot_placeholder: "e.g. raise all water bottle prices by 5%", ask: "Ask", undo: "Undo", undone: "Undone",
    applied: "Applied", audit_empty: "No changes recorded yet.", when: "When", who: "Who", what: "What",
    loading: "Loading…", error: "Something went wrong", signed_out: "Please sign in first.",
    name_ideas: "Name ideas from category words", accent: "Accent colour", over_budget: "over budget, from", not_in_store: "not in the store", selling_points: "Selling points", stock: "Stock",
  },
  zh: {
    skip: "跳到正文", senior_mode: "长辈模式", cart: "购物车", sign_out: "退出", sign_in: "登录",
    nav_signin: "登录", nav_assistant: "购物助手", nav_orders: "我的订单", nav_memory: "偏好记忆", nav_workbench: "商家工作台",
    login_title: "带副驾驶的店铺", login_lead:
      "顾客与助手对话，助手只引用店铺真实的价格和库存。商家用照片生成商品、在影棚里修图，并用运营副驾驶管理店铺。",
    login_shoppers: "以演示顾客身份登录", login_merchants: "以商家身份登录",
    login_disabled: "演示登录未开启。请用 SHOPCOPILOT_DEMO_LOGIN=1 启动服务，或粘贴 `shopcopilot token shopper USER_ID` 生成的令牌。",
    paste_token: "或粘贴访问令牌", use_token: "使用令牌", token_label: "访问令牌",
    orders_summary: "个订单", products_summary: "件商品", continue_as: "进入",
    hero_title: "今天想买点什么？", hero_lead: "中英文都可以问。价格、规格和库存都直接来自店铺。",
    ask_placeholder: "问问商品、购物车或订单…", send: "发送", message_label: "消息", new_chat: "新对话",
    you: "我", assistant: "助手",
    s1: "150美元以内的无线耳机", s2: "比较最便宜的两把办公椅", s3: "帮我规划周末露营", s4: "我最近的订单到哪了？",
    s5: "推荐一款咖啡机",
    add_to_cart: "加入购物车", added: "已加入购物车", unavailable: "缺货", available: "有货",
    choose_options: "选择规格", no_match: "没有这个规格组合", in_stock_n: "件库存",
    why_picked: "推荐理由", compare: "对比", attribute: "属性", add_all: "全部加入购物车", added_all: "已全部加入",
    confirm: "确认", cancel: "取消", yes_do_it: "确认办理", no_keep: "不用了", helpful: "这个回答有帮助吗？",
    thumbs_up: "有帮助", thumbs_down: "没帮助", comment_placeholder: "补充说明（可选）", send_feedback: "提交",
    thanks_feedback: "感谢反馈", trace: "回答是怎么得出的", cart_title: "我的购物车", cart_empty: "购物车是空的。",
    subtotal: "小计", remove: "删除", coupons: "优惠券", coupon_unlocked: "已满足", coupon_gap: "再买 {gap} 可用",
    fill_gap: "凑单", gap_fillers: "凑单推荐", close: "关闭", qty: "数量", clear_cart: "清空购物车", discount: "最优券可省",
    orders_title: "我的订单", order: "订单", status: "状态", items: "商品", total: "合计", details: "详情",
    back_orders: "全部订单", tracking: "物流", ship_to: "收货地址", payments: "支付记录",
    cancel_order: "取消订单", return_items: "退货", exchange_items: "换货", reason: "原因",
    reason_no_longer: "不再需要", reason_mistake: "下错单了", pay_refund: "退款/支付方式", select_items: "选择商品",
    new_variant: "换成", preview: "预览变更", preview_title: "请核对后再确认", field: "字段", before: "变更前",
    after: "变更后", done_ok: "已完成，订单已更新。", no_orders: "还没有订单。", result: "结果", record: "记录",
    pick_one: "请至少选择一件商品",
    memory_title: "助手记住的偏好", memory_lead: "这些偏好会影响推荐。可以随时修改或删除；自动学习的条目来自订单、购物车和浏览记录。",
    add_memory: "添加偏好", attribute_label: "类别", value_label: "内容", polarity_label: "我…", like: "喜欢",
    avoid: "不要", note_label: "备注", save: "保存", edit: "编辑", delete: "删除", why_this: "为什么？",
    relearn: "根据我的行为重新学习", memory_empty: "还没有记住任何偏好。", source_explicit: "这是你亲口告诉助手的。",
    source_orders: "从你过去的订单中学到。", source_cart: "从你购物车里的商品学到。", source_browsing: "从你浏览和搜索过的内容学到。",
    weight: "强度", deleted: "已删除", saved: "已保存",
    attr_category: "品类", attr_product: "商品", attr_color: "颜色", attr_material: "材质", attr_price_band: "价位",
    attr_size: "尺码", attr_other: "其他",
    wb_title: "商家工作台", tab_overview: "概览", tab_listings: "商品发布", tab_studio: "影棚", tab_store: "店铺设置",
    tab_copilot: "运营副驾驶", tab_audit: "操作日志", products: "商品", orders: "订单", price_range: "价格", variants: "规格数",
    upload_photos: "上传商品照片", choose_photos: "选择照片", make_draft: "生成商品草稿", draft: "草稿", publish: "发布",
    published: "已发布", title_en: "标题（英文）", title_zh: "标题（中文）", description: "描述", category: "类目", price: "价格",
    attributes: "属性", evidence: "依据", not_available_yet: "本服务器暂未提供这部分接口。",
    studio_lead: "上传照片，影棚会抠出商品、为每个版位生成场景，并检查商品像素没有被改动。",
    scene: "场景", slots: "版位", run_studio: "生成", rendering: "生成中…", fidelity: "保真报告", faithful: "商品未改动",
    not_faithful: "商品被改动", pixels_changed: "改动的商品像素", colour_shift: "色差 (ΔE)", text_check: "商品上的文字",
    passed: "通过", failed: "未通过", store_name: "店铺名称", store_name_zh: "店铺中文名", logo: "店标", theme: "主题色",
    save_store: "保存店铺", store_preview: "预览",
    copilot_lead: "用大白话提出修改。先看到精确的差异，再确认执行，之后还可以撤销。",
    copilot_placeholder: "例如：所有水杯涨价5%", ask: "提问", undo: "撤销", undone: "已撤销", applied: "已执行",
    audit_empty: "还没有变更记录。", when: "时间", who: "操作人", what: "内容",
    loading: "加载中…", error: "出错了", signed_out: "请先登录。",
    name_ideas: "用品类词生成店名", accent: "辅助色", over_budget: "超出预算，最低", not_in_store: "店内没有", selling_points: "卖点", stock: "库存",
  },
};

export function language() {
  return localStorage.getItem("sc.lang") === "zh" || document.documentElement.lang === "zh-CN" ? "zh" : "en";
}

export function t(key, vars = {}) {
  const lang = language();
  let text = (STRINGS[lang] && STRINGS[lang][key]) ?? STRINGS.en[key] ?? key;
  for (const [name, value] of Object.entries(vars)) text = text.replace(`{${name}}`, value);
  return text;
}

export function applyI18n(root = document) {
  for (const node of root.querySelectorAll("[data-i18n]")) {
    const vars = node.dataset.i18nVars ? JSON.parse(node.dataset.i18nVars) : {};
    node.textContent = t(node.dataset.i18n, vars);
  }
  for (const node of root.querySelectorAll("[data-i18n-placeholder]")) node.placeholder = t(node.dataset.i18nPlaceholder);
  for (const node of root.querySelectorAll("[data-i18n-label]")) node.setAttribute("aria-label", t(node.dataset.i18nLabel));
}
