"""Kinds of everyday products: how each kind is stored or used (en + zh) and whether it is used up.

A product's table entry may override the usage with a `u:` line when its kind's note does not fit it exactly.
"""

from __future__ import annotations


def _kind(consumable: bool, usage: str, usage_zh: str) -> dict:
    return {"consumable": consumable, "usage": usage, "usage_zh": usage_zh}


KINDS: dict[str, dict] = {
    # food and drink
    "dry-snack": _kind(
        True,
        "Store in a cool, dry place; after opening, clip or reseal the bag and finish within a few days so it stays crisp.",
        "置于阴凉干燥处；开封后夹紧或封好袋口，几天内吃完以保持酥脆。",
    ),
    "sweets": _kind(
        True,
        "Keep cool and dry, away from sunlight; chocolate and gummies soften in heat, so don't leave them in a hot car.",
        "阴凉干燥避光保存；巧克力和软糖遇热会变软，不要放在高温车内。",
    ),
    "nuts": _kind(
        True,
        "Keep sealed in a cool, dry place; in hot weather refrigerate after opening so the oils stay fresh. Not for anyone with a nut allergy.",
        "密封置于阴凉干燥处；天热时开封后冷藏，防止油脂变味。坚果过敏者勿食。",
    ),
    "jerky": _kind(
        True,
        "Store unopened at room temperature; refrigerate after opening and eat within a week.",
        "未开封常温保存；开封后冷藏，一周内吃完。",
    ),
    "instant": _kind(
        True,
        "Store in a cool, dry place; follow the cooking directions and times on the pack.",
        "置于阴凉干燥处；按包装上的方法和时间烹调。",
    ),
    "tea-coffee": _kind(
        True,
        "Store airtight away from light, moisture and strong smells; use within a few months of opening for the best aroma.",
        "密封避光防潮，远离异味；开封后几个月内用完香气最佳。",
    ),
    "drink": _kind(
        True,
        "Store unopened at room temperature away from sunlight; refrigerate after opening and finish within 3 days; serve chilled.",
        "未开封常温避光保存；开封后冷藏，3天内喝完；冰镇饮用更佳。",
    ),
    "grain": _kind(
        True,
        "Store sealed in a cool, dry place away from insects and moisture; transfer to an airtight container after opening.",
        "密封置于阴凉干燥处，防虫防潮；开封后转入密封容器。",
    ),
    "oil": _kind(
        True,
        "Keep tightly capped away from heat and light, not next to the stove; use within a few months of opening.",
        "拧紧瓶盖，避光避热，不要放在灶台旁；开封后几个月内用完。",
    ),
    "sauce": _kind(
        True,
        "Keep tightly capped; refrigerate after opening and use a clean, dry spoon.",
        "拧紧瓶盖；开封后冷藏，取用时用干净干燥的勺子。",
    ),
    "spice": _kind(
        True,
        "Keep tightly closed away from heat and steam; ground spices taste best within a year.",
        "密封保存，远离热源和蒸汽；磨粉香料一年内风味最佳。",
    ),
    "canned": _kind(
        True,
        "Store at room temperature; once opened, move leftovers to a covered container, refrigerate and use within 3 days.",
        "常温保存；开罐后将剩余部分转入加盖容器冷藏，3天内吃完。",
    ),
    "produce-cold": _kind(
        True,
        "Refrigerate in the crisper drawer and use within a few days; wash just before using.",
        "放冰箱保鲜格冷藏，几天内吃完；用前再清洗。",
    ),
    "produce-room": _kind(
        True,
        "Keep at cool room temperature in a dry, airy place out of direct sun; refrigerate only once cut.",
        "在阴凉通风干燥处常温存放，避免阳光直射；切开后再冷藏。",
    ),
    "meat": _kind(
        True,
        "Keep refrigerated at 0–4 °C and cook within 1–2 days, or freeze; cook thoroughly and keep raw meat apart from ready-to-eat food.",
        "0–4 °C冷藏，1–2天内烹调或冷冻；彻底煮熟，生肉与熟食分开放。",
    ),
    "dairy": _kind(
        True,
        "Keep refrigerated; once opened, close well and use within the days printed on the pack.",
        "冷藏保存；开封后封好，在包装标注的天数内用完。",
    ),
    "frozen": _kind(
        True,
        "Keep frozen at −18 °C or below; cook from frozen and do not refreeze once thawed.",
        "−18 °C以下冷冻保存；无需解冻直接烹调，解冻后不要再次冷冻。",
    ),
    "baking": _kind(
        True,
        "Store airtight in a cool, dry place; measure with a dry spoon so moisture doesn't get in.",
        "密封置于阴凉干燥处；用干燥的勺子取用，防止受潮。",
    ),
    "decor-edible": _kind(
        True,
        "Store airtight in a cool, dry place; add to cakes just before serving so colours don't bleed.",
        "密封置于阴凉干燥处；上桌前再撒在蛋糕上，以免颜色晕开。",
    ),
    # household goods
    "cookware": _kind(
        False,
        "Wash in warm soapy water before first use and dry thoroughly; avoid sudden temperature changes such as cold water on a hot pan.",
        "首次使用前用温洗洁精水清洗并彻底擦干；避免骤冷骤热，例如热锅直接冲冷水。",
    ),
    "utensil": _kind(
        False,
        "Wash after each use and dry before storing; replace if cracked or worn.",
        "每次用后清洗并晾干再收纳；出现裂纹或磨损时更换。",
    ),
    "kitchen-disposable": _kind(
        True,
        "Single use; keep away from open flames and store in a dry drawer.",
        "一次性使用；远离明火，放在干燥的抽屉里。",
    ),
    "party-decor": _kind(
        True,
        "Store flat and dry until the event; keep away from candles and heaters.",
        "活动前平放干燥保存；远离蜡烛和取暖器。",
    ),
    "balloon": _kind(
        True,
        "Don't over-inflate; supervise children under 8 and throw away burst balloon pieces at once, as they are a choking hazard; keep away from heat and sharp edges.",
        "不要充气过满；8岁以下儿童需大人看护，破掉的气球碎片立即丢弃，以防窒息；远离高温和尖锐物。",
    ),
    "candle": _kind(
        True,
        "Never leave a burning candle unattended; keep it away from curtains, decorations, children and pets, on a heat-proof surface.",
        "点燃的蜡烛不可离人；放在耐热表面，远离窗帘、装饰物、儿童和宠物。",
    ),
    "tableware-disposable": _kind(
        True,
        "Single use; not for the oven. Sort for recycling or compost as local rules allow.",
        "一次性使用，不可进烤箱。按当地规定分类回收或堆肥。",
    ),
    "gift-wrap": _kind(
        True,
        "Store flat or rolled in a dry place; use scissors or a craft knife on a cutting mat.",
        "平放或卷起放在干燥处；剪裁时使用剪刀或美工刀配切割垫。",
    ),
    "travel-gear": _kind(
        False,
        "Check your airline's rules before packing; wipe clean and let it dry fully before storing after the trip.",
        "打包前查看航空公司规定；旅行后擦拭干净并完全晾干再收纳。",
    ),
    "travel-consumable": _kind(
        True,
        "Pack where you can reach it; containers of 100 ml or less go in a clear bag for airport security.",
        "放在方便取用的位置；100毫升以下的容器需放入透明袋过机场安检。",
    ),
    "cleaner": _kind(
        True,
        "Keep out of reach of children and pets; never mix with other cleaners (especially bleach with acids or ammonia); ventilate the room and rinse skin if splashed.",
        "放在儿童和宠物接触不到的地方；不要与其他清洁剂混用（尤其是含氯漂白剂与酸性或氨类产品）；保持通风，溅到皮肤立即冲洗。",
    ),
    "cleaning-tool": _kind(
        False,
        "Rinse and dry after use so it doesn't grow mildew; replace when worn.",
        "用后冲洗并晾干以防发霉；磨损后更换。",
    ),
    "pest": _kind(
        True,
        "Follow the label; keep out of reach of children and pets and away from food and dishes; wash hands after use.",
        "按标签说明使用；远离儿童、宠物、食物和餐具；使用后洗手。",
    ),
    "home-goods": _kind(
        False, "Wipe clean with a damp cloth; keep away from open flames.", "用湿布擦拭清洁；远离明火。"
    ),
    "mobility-aid": _kind(
        False,
        "Adjust to the user's height before first use, check rubber tips and screws regularly and replace worn tips.",
        "首次使用前按使用者身高调节；定期检查橡胶脚垫和螺丝，磨损的脚垫要更换。",
    ),
    "care-device": _kind(
        False,
        "Read the instructions before first use, keep it clean and dry, and replace batteries when the low-battery sign shows.",
        "首次使用前阅读说明书，保持清洁干燥，出现低电量提示时更换电池。",
    ),
    "care-consumable": _kind(
        True,
        "Store in a cool, dry place; single-use items must not be reused.",
        "置于阴凉干燥处；一次性用品不可重复使用。",
    ),
    "health": _kind(
        True,
        "Follow the directions on the pack; keep out of reach of children; ask a doctor or pharmacist if symptoms last or you take other medicines.",
        "按包装说明使用；放在儿童接触不到的地方；症状持续或同时服用其他药物时请咨询医生或药师。",
    ),
    "skin-care": _kind(
        True,
        "For external use; patch-test on the inner arm if your skin is sensitive and stop if irritation occurs.",
        "仅供外用；敏感肌先在手臂内侧试用，出现刺激即停用。",
    ),
    "pet-food": _kind(
        True,
        "Switch to a new food gradually over about 7 days; always provide fresh water; reseal the bag after opening.",
        "换粮时用约7天逐步过渡；随时提供清洁饮水；开封后封好袋口。",
    ),
    "pet-treat": _kind(
        True,
        "Treats should be no more than about a tenth of daily food; supervise chewing and always provide fresh water.",
        "零食量不超过每日食量的约十分之一；啃咬时要看护，随时提供清洁饮水。",
    ),
    "pet-gear": _kind(
        False,
        "Wash regularly and check for wear; replace chewed or broken parts so pets can't swallow pieces.",
        "定期清洗并检查磨损；被咬坏或破损的部分及时更换，防止宠物误吞。",
    ),
    "pet-consumable": _kind(
        True,
        "Store dry and sealed; dispose of used products in household waste, not the toilet.",
        "密封干燥保存；用过的产品丢入生活垃圾，不要冲入马桶。",
    ),
}
