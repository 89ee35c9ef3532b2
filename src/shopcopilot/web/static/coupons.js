// Coupons in the cart drawer: the wallet's coupons valid now, how far the cart is from each threshold, and the
// gap-filler (POST /v1/coupons/fill: the additions that unlock the best saving) with "add these".
import { get, post } from "./api.js";
import { language, t } from "./i18n.js";
import { el, money, showError, tl } from "./ui.js";

// The wallet entries that can be used now: unused, and valid at the server's clock (`valid_now`).
export async function usableCoupons() {
  const wallet = await get("/v1/me/coupons");
  return wallet.filter((c) => !c.used && c.valid_now === true);
}

// What the cart spends on the lines a coupon counts: its store (if any) and its category (if any). Category
// coupons match the line's own category (the demo's category tree is flat; a sub-category
// would need the tree, which the API does not publish yet).
export function eligibleSubtotal(cart, coupon) {
  return cart.lines
    .filter((line) => !coupon.merchant_id || line.merchant_id === coupon.merchant_id)
    .filter((line) => !coupon.category_id || line.category_id === coupon.category_id)
    .reduce((sum, line) => sum + line.line_total, 0);
}

function couponTitle(coupon) {
  return language() === "zh" && coupon.title_zh ? coupon.title_zh : coupon.title;
}

function couponNode(cart, coupon) {
  const base = eligibleSubtotal(cart, coupon);
  const unlocked = base >= coupon.threshold - 1e-9;
  // The store's name is known from a cart line of that store; otherwise the coupon's own title already names it.
  const storeName = cart.lines.find((line) => line.merchant_id === coupon.merchant_id)?.merchant_name;
  const scope = coupon.category_id ? `${t("category")}: ${coupon.category_id} · ` : !coupon.merchant_id ? `${t("all_stores")} · `
    : storeName ? `${t("store")}: ${storeName} · ` : "";
  const node = el("li", { class: `coupon${unlocked ? " unlocked" : ""}`, "data-coupon": coupon.id,
    "data-state": unlocked ? "unlocked" : "locked" },
  el("div", { class: "spread" }, el("strong", {}, couponTitle(coupon)),
    unlocked ? el("span", { class: "badge ok", "data-role": "unlocked" }, tl("coupon_unlocked")) : null),
  el("div", { class: "muted small" }, `${scope}≥ ${money(coupon.threshold)}`));
  if (!unlocked) {
    const gap = coupon.threshold - base;
    node.append(el("div", { class: "gap", "data-role": "gap", "data-gap": gap.toFixed(2) }, t("coupon_gap", { gap: money(gap) })),
      el("div", { class: "progress", role: "progressbar", "aria-label": t("coupon_progress", { title: couponTitle(coupon) }),
        "aria-valuemin": "0", "aria-valuemax": String(coupon.threshold), "aria-valuenow": base.toFixed(2) },
      el("i", { style: `width:${Math.min(100, (100 * base) / coupon.threshold)}%` })));
  }
  return node;
}

function additionNode(addition) {
  const name = language() === "zh" ? addition.name_zh || addition.name : addition.name;
  const options = Object.entries(addition.options || {}).map(([k, v]) => `${k}: ${v}`).join(" · ");
  return el("li", { "data-variant": addition.variant_id },
    el("div", { class: "spread" }, el("strong", {}, name, addition.quantity > 1 ? ` × ${addition.quantity}` : ""),
      el("span", { class: "price" }, money(addition.price * addition.quantity))),
    options ? el("div", { class: "muted small" }, options) : null);
}

// The gap-filler's answer: its explanation, the additions and "add these" (which then shows the coupon unlocked).
function fillResult(result, addAll) {
  const plan = result.plan;
  const box = el("div", { class: "fill-result", "data-role": "fill-result", role: "region", "aria-label": t("gap_fillers") },
    el("p", { "data-role": "fill-explanation" }, result.explanation));
  if (!plan) return box;
  const button = el("button", { type: "button", class: "btn primary small", "data-role": "add-fill" }, tl("add_these"));
  button.addEventListener("click", async () => {
    button.disabled = true;
    try { await addAll(plan.additions.map((a) => [a.variant_id, a.quantity])); } catch (error) { showError(error); button.disabled = false; }
  });
  box.append(el("ul", { class: "plan-items" }, plan.additions.map(additionNode)),
    el("dl", { class: "kv" },
      el("dt", {}, tl("fill_added")), el("dd", {}, money(plan.added_spend)),
      el("dt", {}, tl("fill_saving")), el("dd", { "data-role": "fill-saving" }, money(plan.saving)),
      el("dt", {}, tl("fill_new_total")), el("dd", {}, money(plan.new_total))),
    el("div", { class: "row" }, button));
  return box;
}

// The coupons section; `addAll(pairs)` puts [variant, quantity] pairs in the cart and redraws the drawer.
export function couponsSection(cart, coupons, { addAll }) {
  const result = el("div", { "data-role": "fill-slot" });
  const fill = el("button", { type: "button", class: "btn small", "data-role": "fill-gap", "aria-describedby": "fill-help" }, tl("fill_gap"));
  fill.addEventListener("click", async () => {
    fill.disabled = true;
    result.replaceChildren(el("p", { class: "muted", role: "status" }, tl("loading")));
    try {
      const answer = await post("/v1/coupons/fill", { language: language() });
      result.replaceChildren(fillResult(answer, addAll));
      result.querySelector("button")?.focus();
    } catch (error) { showError(error); result.replaceChildren(); }
    fill.disabled = false;
  });
  const allUnlocked = coupons.every((c) => eligibleSubtotal(cart, c) >= c.threshold);
  return el("section", { class: "coupons", "aria-labelledby": "coupons-h", "data-role": "coupons" },
    el("h3", { id: "coupons-h" }, tl("coupons")),
    el("ul", { class: "coupon-list" }, coupons.map((c) => couponNode(cart, c))),
    allUnlocked ? null : el("div", { class: "row" }, fill, el("span", { id: "fill-help", class: "muted small" }, tl("fill_help"))),
    result);
}
