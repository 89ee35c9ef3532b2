// The cart drawer, on every shopper page: lines with quantities, coupons with how far the cart is from each
// threshold, and the gap-filler (suggestions that reach a coupon's threshold).
import { del, get, patch, post } from "./api.js";
import { language, t } from "./i18n.js";
import { el, money, onLanguageChange, showError, tl, toast } from "./ui.js";

let lastCart = null;
let gapFiller = null;  // set by the chat page: asks the assistant to fill a coupon's gap

export function setGapFiller(fn) { gapFiller = fn; }

function drawer() { return document.getElementById("cart-drawer"); }

export function updateCount(cart) {
  lastCart = cart;
  const count = document.getElementById("cart-count");
  if (!count) return;
  count.textContent = String(cart.item_count);
  count.hidden = !cart.item_count;
}

export async function refreshCart() {
  try {
    const cart = await get("/v1/cart");
    updateCount(cart);
    if (!drawer().hidden) await renderDrawer(cart);
    return cart;
  } catch (error) { showError(error); return null; }
}

export async function addToCart(variantId, quantity = 1) {
  const cart = await post("/v1/cart/lines", { variant_id: variantId, quantity }, { idempotent: true });
  updateCount(cart);
  if (!drawer().hidden) await renderDrawer(cart);
  return cart;
}

// A coupon's eligible subtotal is computed here only where it is exact (platform- or store-wide coupons);
// category coupons need the category tree, so the gap-filler asks the server for those.
function eligible(cart, coupon) {
  if (coupon.category_id) return null;
  return cart.lines.filter((line) => !coupon.merchant_id || line.merchant_id === coupon.merchant_id)
    .reduce((sum, line) => sum + line.line_total, 0);
}

function couponNode(cart, coupon) {
  const title = language() === "zh" && coupon.title_zh ? coupon.title_zh : coupon.title;
  const base = eligible(cart, coupon);
  const node = el("div", { class: "coupon", "data-coupon": coupon.id }, el("strong", {}, title));
  if (base === null) {
    node.append(el("div", { class: "muted" }, `${t("category")}: ${coupon.category_id} · ≥ ${money(coupon.threshold)}`));
  } else if (base >= coupon.threshold) {
    node.classList.add("unlocked");
    node.append(el("div", {}, el("span", { class: "badge ok" }, tl("coupon_unlocked"))));
  } else {
    const gap = coupon.threshold - base;
    node.append(el("div", { class: "muted" }, t("coupon_gap", { gap: money(gap) })),
      el("div", { class: "progress", role: "progressbar", "aria-valuemin": "0", "aria-valuemax": String(coupon.threshold),
        "aria-valuenow": String(base.toFixed(2)) }, el("i", { style: `width:${Math.min(100, (100 * base) / coupon.threshold)}%` })));
  }
  if (gapFiller && !node.classList.contains("unlocked") && cart.lines.length) {
    node.append(el("button", { type: "button", class: "btn small", style: "margin-top:6px", "data-fill": coupon.id,
      onclick: () => { closeDrawer(); gapFiller(coupon); } }, tl("fill_gap")));
  }
  return node;
}

function lineNode(line) {
  const setQty = async (quantity) => {
    try {
      const cart = quantity < 1
        ? await del(`/v1/cart/lines/${encodeURIComponent(line.variant_id)}`, { idempotent: true })
        : await patch(`/v1/cart/lines/${encodeURIComponent(line.variant_id)}`, { quantity }, { idempotent: true });
      updateCount(cart); renderDrawer(cart);
    } catch (error) { showError(error); }
  };
  const options = Object.entries(line.options || {}).map(([k, v]) => `${k}: ${v}`).join(" · ");
  return el("div", { class: "line", "data-line": line.variant_id },
    el("div", {}, el("strong", {}, line.product_name), el("div", { class: "muted" }, options),
      line.available ? null : el("span", { class: "badge bad" }, tl("unavailable"))),
    el("div", { class: "price" }, money(line.line_total)),
    el("div", { class: "qty", role: "group", "aria-label": `${t("qty")} ${line.product_name}` },
      el("button", { type: "button", "aria-label": "−1", onclick: () => setQty(line.quantity - 1) }, "−"),
      el("span", {}, String(line.quantity)),
      el("button", { type: "button", "aria-label": "+1", onclick: () => setQty(line.quantity + 1) }, "+")),
    el("button", { type: "button", class: "btn small ghost", onclick: () => setQty(0) }, tl("remove")));
}

export async function renderDrawer(cart) {
  const body = document.getElementById("cart-body");
  const footer = document.getElementById("cart-footer");
  if (!cart.lines.length) {
    body.replaceChildren(el("p", { class: "empty" }, tl("cart_empty")));
    footer.replaceChildren();
    return;
  }
  body.replaceChildren(...cart.lines.map(lineNode));
  let coupons = [];
  try {
    coupons = (await get("/v1/me/coupons")).filter((c) => !c.used && c.valid_now !== false);
  } catch (error) { showError(error); }
  if (coupons.length) {
    body.append(el("section", { "aria-labelledby": "coupons-h" }, el("h3", { id: "coupons-h" }, tl("coupons")),
      el("div", { class: "grid" }, coupons.map((c) => couponNode(cart, c)))));
  }
  footer.replaceChildren(el("div", { class: "spread" }, el("span", {}, tl("subtotal")),
    el("span", { class: "price", id: "cart-subtotal" }, money(cart.subtotal))),
  el("div", { class: "row", style: "margin-top:10px" },
    el("button", { type: "button", class: "btn small ghost", onclick: async () => {
      try { const c = await del("/v1/cart", { idempotent: true }); updateCount(c); renderDrawer(c); } catch (e) { showError(e); }
    } }, tl("clear_cart"))));
}

export async function openDrawer() {
  const d = drawer();
  d.hidden = false;
  requestAnimationFrame(() => d.classList.add("open"));
  document.getElementById("cart-button")?.setAttribute("aria-expanded", "true");
  const cart = await refreshCart();
  if (cart) await renderDrawer(cart);
  document.getElementById("cart-close").focus();
}

export function closeDrawer() {
  const d = drawer();
  d.classList.remove("open");
  d.hidden = true;
  document.getElementById("cart-button")?.setAttribute("aria-expanded", "false");
  document.getElementById("cart-button")?.focus();
}

export function initCart() {
  document.getElementById("cart-button")?.addEventListener("click", () => (drawer().hidden ? openDrawer() : closeDrawer()));
  document.getElementById("cart-close")?.addEventListener("click", closeDrawer);
  document.addEventListener("keydown", (event) => { if (event.key === "Escape" && !drawer().hidden) closeDrawer(); });
  onLanguageChange(() => { if (!drawer().hidden && lastCart) renderDrawer(lastCart); });
  refreshCart();
}

export { toast };
