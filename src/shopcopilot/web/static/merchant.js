// The merchant workbench: one tab per job (overview, listing from photos, studio, store setup, copilot, audit).
import { get } from "./api.js";
import { t } from "./i18n.js";
import { copilotTab } from "./merchant_copilot.js";
import { auditTab } from "./merchant_audit.js";
import { listingsTab } from "./merchant_listings.js";
import { storeTab } from "./merchant_store.js";
import { studioTab } from "./merchant_studio.js";
import { el, initShell, money, onLanguageChange, tl } from "./ui.js";

const me = initShell("merchant");
const panel = document.getElementById("panel");
let store = null;

async function overviewTab(root) {
  const [products, orders] = await Promise.all([get("/v1/merchant/products?limit=100"), get("/v1/merchant/orders?limit=10")]);
  const stat = (key, value) => el("div", { class: "card" }, el("div", { class: "muted" }, tl(key)), el("div", { class: "stat" }, value));
  root.append(el("div", { class: "grid cols-3" }, stat("products", String(products.total)), stat("orders", String(orders.total))),
    el("section", { class: "card", style: "margin-top:16px;overflow:auto" }, el("h2", {}, tl("products")),
      el("table", { "data-role": "products" }, el("thead", {}, el("tr", {}, el("th", {}, "ID"), el("th", {}, tl("title_en")),
        el("th", {}, tl("category")), el("th", {}, tl("price_range")), el("th", {}, tl("variants")), el("th", {}, tl("status")))),
      el("tbody", {}, products.items.map((p) => el("tr", {}, el("td", { class: "muted" }, p.product_id),
        el("td", {}, document.documentElement.lang === "zh-CN" && p.name_zh ? p.name_zh : p.name), el("td", {}, p.category_id || "–"),
        el("td", {}, p.price_min === p.price_max ? money(p.price_min) : `${money(p.price_min)} – ${money(p.price_max)}`),
        el("td", {}, String(p.variant_count)),
        el("td", {}, el("span", { class: `badge ${p.available ? "ok" : "bad"}` }, t(p.available ? "available" : "unavailable")))))))));
}

const TABS = { overview: overviewTab, listings: listingsTab, studio: studioTab, store: storeTab, copilot: copilotTab, audit: auditTab };

async function show() {
  const name = (location.hash || "#overview").slice(1);
  const tab = TABS[name] ? name : "overview";
  for (const link of document.querySelectorAll("[role=tab]")) link.setAttribute("aria-selected", String(link.id === `tab-${tab}`));
  panel.setAttribute("aria-labelledby", `tab-${tab}`);
  // A fresh container per visit: a slow tab that finishes after the user moved on fills a detached node.
  const view = el("div");
  panel.replaceChildren(view);
  try { await TABS[tab](view, { store, refreshStore }); } catch (error) {
    view.append(el("p", { class: "notice bad" }, error.status === 404 ? t("not_available_yet") : error.message));
  }
}

async function refreshStore() {
  store = await get("/v1/merchant");
  const zh = document.documentElement.lang === "zh-CN";
  document.getElementById("store-name").textContent = zh && store.name_zh ? store.name_zh : store.name;
  return store;
}

if (me) {
  window.addEventListener("hashchange", show);
  onLanguageChange(() => { refreshStore(); show(); });
  refreshStore().then(show);
}
