// The cart drawer, on every shopper page: lines with quantities, coupons with how far the cart is from each
// threshold, and the gap-filler (see coupons.js).
import { del, get, patch, post } from "./api.js";
import { couponStatus, couponsSection, usableCoupons } from "./coupons.js";
import { t } from "./i18n.js";
import { el, money, onLanguageChange, showError, tl, toast } from "./ui.js";

let lastCart = null;
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

// Each render fetches the wallet, then swaps the drawer's content in one go; a render that a newer one overtook
// (the cart changed meanwhile) is dropped, so the drawer never shows two coupon lists or a stale cart.
let renderSeq = 0;

// "Add these" of the gap-filler: add the lines, redraw, and bring the coupons (now applying) into view.
async function addPairs(pairs) {
  let cart = null;
  for (const [variantId, quantity] of pairs) {
    cart = await post("/v1/cart/lines", { variant_id: variantId, quantity }, { idempotent: true });
  }
  if (!cart) return;
  updateCount(cart);
  await renderDrawer(cart);
  const applying = [...document.querySelectorAll("#cart-body .coupon-list [data-coupon][data-state=applies] strong")].map((n) => n.textContent);
  toast(applying.length ? t("coupons_unlocked", { titles: applying.join(", ") }) : t("added_all"), applying.length ? "ok" : "");
  document.querySelector("#cart-body [data-role=coupons]")?.scrollIntoView({ block: "start" });
}

export async function renderDrawer(cart) {
  const seq = ++renderSeq;
  let coupons = [];
  let status = null;
  // Which coupons apply comes from the server's solver (a platform coupon is not combined with others); an
  // empty cart uses none, so it is not asked.
  const [wallet, flags] = await Promise.allSettled([usableCoupons(), cart.lines.length ? couponStatus() : null]);
  if (wallet.status === "fulfilled") coupons = wallet.value; else showError(wallet.reason);
  if (flags.status === "fulfilled") status = flags.value; else showError(flags.reason);
  if (seq !== renderSeq) return;
  const body = document.getElementById("cart-body");
  const footer = document.getElementById("cart-footer");
  const section = coupons.length ? couponsSection(cart, coupons, { addAll: addPairs, status }) : null;
  if (!cart.lines.length) {
    body.replaceChildren(el("p", { class: "empty" }, tl("cart_empty")), section || "");
    footer.replaceChildren();
    return;
  }
  body.replaceChildren(...cart.lines.map(lineNode), section || "");
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
  await refreshCart();  // renders the drawer, which is now open
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
