// Coupons in the cart drawer: the wallet's coupons valid now, how far the cart is from each threshold, which ones
// actually apply, and the gap-filler (POST /v1/coupons/fill: the additions that unlock the best saving) with
// "add these". Reaching a threshold is not using the coupon: a non-stackable (platform) coupon is used only on its
// own, so the best combination may leave a reached coupon out. Only the fill API's `applied_now` /
// `applied_with_plan` flags say "applies"; the page never decides that from the threshold alone.
import { get, post } from "./api.js";
import { language, t } from "./i18n.js";
import { el, money, showError, tl } from "./ui.js";

// The wallet entries that can be used now: unused, and valid at the server's clock (`valid_now`).
export async function usableCoupons() {
  const wallet = await get("/v1/me/coupons");
  return wallet.filter((c) => !c.used && c.valid_now === true);
}

// Which coupons apply to the cart as it is: the gap-filler's answer with no additions allowed (cheap: nothing to
// search), whose `coupons_considered[].applied_now` and `current` say what the best combination uses.
export function couponStatus() {
  return post("/v1/coupons/fill", { language: language(), max_added: 0 });
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

// The fill API's titles (in the asked language) of the coupons with these ids.
function titlesOf(status, ids) {
  const byId = new Map((status?.coupons_considered || []).map((c) => [c.id, c.title]));
  return ids.map((id) => byId.get(id) || id);
}

// "applies": the best combination uses it now; "not_used": its threshold is reached but another choice saves
// more; "reached": reached, and the server's answer is missing (no claim either way); "locked": below threshold.
export function couponState(cart, coupon, status) {
  const reached = eligibleSubtotal(cart, coupon) >= coupon.threshold - 1e-9;
  const flags = status?.coupons_considered?.find((c) => c.id === coupon.id);
  if (flags?.applied_now) return "applies";
  if (!reached) return "locked";
  return flags ? "not_used" : "reached";
}

function notUsedNote(coupon, status) {
  const used = titlesOf(status, status.current.coupons.filter((id) => id !== coupon.id));
  if (!used.length) return t("coupon_not_used_plain");
  return t(coupon.stackable === false ? "coupon_alone_note" : "coupon_not_combined_note", { titles: used.join(", ") });
}

function couponNode(cart, coupon, status) {
  const base = eligibleSubtotal(cart, coupon);
  const state = couponState(cart, coupon, status);
  // The store's name is known from a cart line of that store; otherwise the coupon's own title already names it.
  const storeName = cart.lines.find((line) => line.merchant_id === coupon.merchant_id)?.merchant_name;
  const scope = coupon.category_id ? `${t("category")}: ${coupon.category_id} · ` : !coupon.merchant_id ? `${t("all_stores")} · `
    : storeName ? `${t("store")}: ${storeName} · ` : "";
  const badge = { applies: ["ok", "coupon_applies"], not_used: ["warn", "coupon_not_used"], reached: ["", "coupon_reached"] }[state];
  const rule = coupon.stackable === false ? ` · ${t("coupon_not_stackable")}` : "";
  const node = el("li", { class: `coupon${state === "applies" ? " unlocked" : ""}`, "data-coupon": coupon.id, "data-state": state },
    el("div", { class: "spread" }, el("strong", {}, couponTitle(coupon)),
      badge ? el("span", { class: `badge ${badge[0]}`, "data-role": "coupon-state" }, tl(badge[1])) : null),
    el("div", { class: "muted small" }, `${scope}≥ ${money(coupon.threshold)}${rule}`));
  if (state === "not_used") node.append(el("div", { class: "small", "data-role": "not-used" }, notUsedNote(coupon, status)));
  if (state === "locked") {
    const gap = coupon.threshold - base;
    node.append(el("div", { class: "gap", "data-role": "gap", "data-gap": gap.toFixed(2) }, t("coupon_gap", { gap: money(gap) })),
      el("div", { class: "progress", role: "progressbar", "aria-label": t("coupon_progress", { title: couponTitle(coupon) }),
        "aria-valuemin": "0", "aria-valuemax": String(coupon.threshold), "aria-valuenow": base.toFixed(2) },
      el("i", { style: `width:${Math.min(100, (100 * base) / coupon.threshold)}%` })));
  }
  return node;
}

// One line naming the coupons the cart uses now and what they save (a live region: it changes as the cart does).
function appliedSummary(status) {
  const ids = status.current.coupons;
  const text = ids.length
    ? t("coupons_applying", { titles: titlesOf(status, ids).join(", "), saving: money(status.current.saving) })
    : t("coupons_none_apply");
  return el("p", { class: "small", "data-role": "coupons-applied", "data-coupons": ids.join(" "), role: "status" }, text);
}

function additionNode(addition) {
  const name = language() === "zh" ? addition.name_zh || addition.name : addition.name;
  const options = Object.entries(addition.options || {}).map(([k, v]) => `${k}: ${v}`).join(" · ");
  return el("li", { "data-variant": addition.variant_id },
    el("div", { class: "spread" }, el("strong", {}, name, addition.quantity > 1 ? ` × ${addition.quantity}` : ""),
      el("span", { class: "price" }, money(addition.price * addition.quantity))),
    options ? el("div", { class: "muted small" }, options) : null);
}

// Marks, on the coupon list, which coupons the plan would use (`applied_with_plan`).
function markWithPlan(list, result) {
  for (const flags of result.coupons_considered || []) {
    const node = list.querySelector(`[data-coupon="${CSS.escape(flags.id)}"]`);
    if (!node) continue;
    node.querySelector("[data-role=with-plan]")?.remove();
    node.dataset.withPlan = flags.applied_with_plan ? "applies" : "no";
    if (flags.applied_with_plan && !flags.applied_now) {
      node.append(el("div", { class: "small with-plan", "data-role": "with-plan" }, tl("coupon_with_plan")));
    }
  }
}

// The gap-filler's answer: its explanation, the additions, the coupons they make apply and "add these".
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
    el("div", { class: "small" }, el("strong", {}, tl("fill_coupons_used")),
      el("ul", { class: "plan-coupons", "data-role": "plan-coupons" }, plan.coupons.map((c) =>
        el("li", { "data-coupon": c.id }, `${c.title} −${money(c.discount)}`)))),
    el("dl", { class: "kv" },
      el("dt", {}, tl("fill_added")), el("dd", {}, money(plan.added_spend)),
      el("dt", {}, tl("fill_saving")), el("dd", { "data-role": "fill-saving" }, money(plan.saving)),
      el("dt", {}, tl("fill_new_total")), el("dd", {}, money(plan.new_total))),
    el("div", { class: "row" }, button));
  return box;
}

// The coupons section; `status` is `couponStatus()`'s answer (null when it failed: then nothing is said to
// apply); `addAll(pairs)` puts [variant, quantity] pairs in the cart and redraws the drawer.
export function couponsSection(cart, coupons, { addAll, status = null }) {
  const result = el("div", { "data-role": "fill-slot" });
  const list = el("ul", { class: "coupon-list" }, coupons.map((c) => couponNode(cart, c, status)));
  const fill = el("button", { type: "button", class: "btn small", "data-role": "fill-gap", "aria-describedby": "fill-help" }, tl("fill_gap"));
  fill.addEventListener("click", async () => {
    fill.disabled = true;
    result.replaceChildren(el("p", { class: "muted", role: "status" }, tl("loading")));
    try {
      const answer = await post("/v1/coupons/fill", { language: language() });
      result.replaceChildren(fillResult(answer, addAll));
      markWithPlan(list, answer);
      result.querySelector("button")?.focus();
    } catch (error) { showError(error); result.replaceChildren(); }
    fill.disabled = false;
  });
  const allApply = coupons.every((c) => couponState(cart, c, status) === "applies");
  return el("section", { class: "coupons", "aria-labelledby": "coupons-h", "data-role": "coupons" },
    el("h3", { id: "coupons-h" }, tl("coupons")),
    status && cart.lines.length ? appliedSummary(status) : null,
    list,
    allApply ? null : el("div", { class: "row" }, fill, el("span", { id: "fill-help", class: "muted small" }, tl("fill_help"))),
    result);
}
