// Order pages: the list, and one order with tracking and the operations it allows (cancel a pending order,
// return or exchange items of a delivered one). Every operation is previewed first (the API's dry run shows the
// exact diff), then confirmed, then run once (Idempotency-Key).
import { get, post } from "./api.js";
import { initCart, refreshCart } from "./cart.js";
import { t } from "./i18n.js";
import { confirmDialog, el, initShell, money, onLanguageChange, showError, tl, toast } from "./ui.js";

const me = initShell("shopper");
const root = document.getElementById("orders-root");
const orderId = decodeURIComponent(location.pathname.split("/")[2] || "");
let profile = null;

const STATUS_STYLE = { pending: "warn", processed: "brand", delivered: "ok", cancelled: "bad" };
const statusBadge = (status) => el("span", { class: `badge ${STATUS_STYLE[status] || ""}`, "data-status": status }, status);
const bare = (id) => id.replace(/^#/, "");
const orderTotal = (order) => order.items.reduce((sum, item) => sum + item.price, 0);
const optionsText = (options) => Object.entries(options || {}).map(([k, v]) => `${k}: ${v}`).join(" · ");

function methodLabel(id) {
  const method = profile && profile.payment_methods[id];
  if (!method) return id;
  if (method.source === "gift_card") return `Gift card ${id.split("_").pop()} (${money(method.balance)})`;
  if (method.source === "credit_card") return `${method.brand || "Card"} •••• ${method.last_four || ""}`;
  return `${method.source} ${id.split("_").pop()}`;
}

async function renderList() {
  const data = await get("/v1/orders?limit=100");
  const rows = data.items.map((order) => el("div", { class: "card order-row", "data-order": bare(order.order_id) },
    el("div", {}, el("strong", {}, order.order_id), el("div", { class: "muted" }, `${order.items.length} `, tl("items"))),
    el("div", {}, statusBadge(order.status)),
    el("div", { class: "price" }, money(orderTotal(order))),
    el("a", { class: "btn small", href: `/orders/${encodeURIComponent(bare(order.order_id))}` }, tl("details"))));
  root.replaceChildren(el("h1", {}, tl("orders_title")),
    rows.length ? el("div", { class: "grid" }, rows) : el("p", { class: "empty" }, tl("no_orders")));
}

function diffTable(preview) {
  const rows = [];
  for (const [record, fields] of Object.entries(preview.changes || {})) {
    for (const [field, change] of Object.entries(fields)) {
      const show = (v) => (typeof v === "object" && v !== null ? JSON.stringify(v) : String(v ?? "–"));
      rows.push(el("tr", {}, el("td", {}, record), el("td", {}, field),
        el("td", { class: "before" }, show(change.before)), el("td", { class: "after" }, show(change.after))));
    }
  }
  return el("div", { style: "overflow:auto;max-height:50vh" }, el("table", { class: "diff", "data-role": "diff" },
    el("thead", {}, el("tr", {}, el("th", {}, tl("record")), el("th", {}, tl("field")), el("th", {}, tl("before")), el("th", {}, tl("after")))),
    el("tbody", {}, rows)));
}

// Preview -> confirm -> run. Nothing changes unless the shopper confirms the exact diff.
async function operate(order, action, body) {
  const path = `/v1/orders/${encodeURIComponent(bare(order.order_id))}/${action}`;
  try {
    const preview = await post(`${path}?dry_run=true`, body);
    const ok = await confirmDialog({ title: t("preview_title"), body: diffTable(preview), confirmLabel: "confirm",
      danger: action === "cancel" });
    if (!ok) return;
    await post(path, body, { idempotent: true });
    toast(t("done_ok"));
    await renderOrder();
  } catch (error) { showError(error); }
}

function paymentSelect(id, order) {
  const methods = Object.keys((profile && profile.payment_methods) || {});
  const original = order.payment_history.find((p) => p.transaction_type === "payment");
  const sorted = original ? [original.payment_method_id, ...methods.filter((m) => m !== original.payment_method_id)] : methods;
  return el("select", { id }, [...new Set(sorted)].map((m) => el("option", { value: m }, methodLabel(m))));
}

function itemPicker(order, name) {
  return order.items.map((item, index) => el("label", { class: "pick", style: "font-weight:400" },
    el("input", { type: "checkbox", name, value: item.item_id, "data-index": String(index), "data-product": item.product_id }),
    el("span", {}, el("strong", {}, item.name), el("br"), el("span", { class: "muted" }, `${optionsText(item.options)} · ${money(item.price)}`))));
}

function cancelForm(order) {
  const reason = el("select", { id: "cancel-reason" },
    el("option", { value: "no longer needed" }, t("reason_no_longer")), el("option", { value: "ordered by mistake" }, t("reason_mistake")));
  return el("section", { class: "card", "aria-labelledby": "cancel-h" }, el("h2", { id: "cancel-h" }, tl("cancel_order")),
    el("div", { class: "field" }, el("label", { for: "cancel-reason" }, tl("reason")), reason),
    el("button", { type: "button", class: "btn danger", id: "cancel-preview",
      onclick: () => operate(order, "cancel", { reason: reason.value }) }, tl("preview")));
}

function chosen(form) {
  return [...form.querySelectorAll("input[type=checkbox]:checked")];
}

function returnForm(order) {
  const form = el("form", { id: "return-form" }, itemPicker(order, "return-item"),
    el("div", { class: "field", style: "margin-top:10px" }, el("label", { for: "return-pay" }, tl("pay_refund")), paymentSelect("return-pay", order)),
    el("button", { type: "submit", class: "btn primary" }, tl("preview")));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const items = chosen(form).map((box) => box.value);
    if (!items.length) return toast(t("pick_one"), "bad");
    operate(order, "return", { item_ids: items, payment_method_id: form.querySelector("#return-pay").value });
  });
  return el("section", { class: "card", "aria-labelledby": "return-h" }, el("h2", { id: "return-h" }, tl("return_items")), form);
}

function exchangeForm(order) {
  const form = el("form", { id: "exchange-form" });
  const variantsByProduct = {};
  const rows = itemPicker(order, "exchange-item").map((picker) => {
    const box = picker.querySelector("input");
    const target = el("div", { class: "field", hidden: true, style: "margin:6px 0 0 30px" });
    box.addEventListener("change", async () => {
      target.hidden = !box.checked;
      if (!box.checked || target.childElementCount) return;
      const product = box.dataset.product;
      try {
        variantsByProduct[product] ||= await get(`/v1/products/${encodeURIComponent(product)}/variants`);
        const current = box.value;
        const choices = variantsByProduct[product].filter((v) => v.available && v.variant_id !== current);
        const selectId = `exchange-to-${box.dataset.index}`;
        target.append(el("label", { for: selectId }, tl("new_variant")),
          el("select", { id: selectId, "data-for": box.dataset.index },
            choices.map((v) => el("option", { value: v.variant_id }, `${optionsText(v.options)} · ${money(v.price)}`))));
      } catch (error) { showError(error); }
    });
    return el("div", {}, picker, target);
  });
  form.append(...rows);
  form.append(el("div", { class: "field", style: "margin-top:10px" }, el("label", { for: "exchange-pay" }, tl("pay_refund")), paymentSelect("exchange-pay", order)),
    el("button", { type: "submit", class: "btn primary" }, tl("preview")));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const boxes = chosen(form);
    if (!boxes.length) return toast(t("pick_one"), "bad");
    const newIds = boxes.map((box) => form.querySelector(`select[data-for="${box.dataset.index}"]`)?.value);
    if (newIds.some((id) => !id)) return toast(t("no_match"), "bad");
    operate(order, "exchange", { item_ids: boxes.map((b) => b.value), new_item_ids: newIds,
      payment_method_id: form.querySelector("#exchange-pay").value });
  });
  return el("section", { class: "card", "aria-labelledby": "exchange-h" }, el("h2", { id: "exchange-h" }, tl("exchange_items")), form);
}

async function renderOrder() {
  const [order, who] = await Promise.all([get(`/v1/orders/${encodeURIComponent(orderId)}`), profile ? profile : get("/v1/me")]);
  profile = who;
  const address = order.address || {};
  const tracking = (order.fulfillments || []).map((f) => el("li", {}, `${t("tracking")} ${f.tracking_id.join(", ")} · ${f.item_ids.length} `, tl("items")));
  const items = el("table", {}, el("thead", {}, el("tr", {}, el("th", {}, tl("items")), el("th", {}, tl("attributes")), el("th", {}, tl("price")))),
    el("tbody", {}, order.items.map((item) => el("tr", { "data-item": item.item_id }, el("td", {}, item.name),
      el("td", { class: "muted" }, optionsText(item.options)), el("td", {}, money(item.price))))));
  const actions = [];
  if (order.status === "pending") actions.push(cancelForm(order));
  if (order.status === "delivered") actions.push(returnForm(order), exchangeForm(order));
  root.replaceChildren(
    el("a", { href: "/orders", class: "btn small ghost" }, "← ", tl("back_orders")),
    el("div", { class: "spread" }, el("h1", {}, `${t("order")} ${order.order_id}`), statusBadge(order.status)),
    el("div", { class: "grid cols-2" },
      el("section", { class: "card" }, el("h2", {}, tl("items")), items,
        el("p", { class: "spread" }, el("strong", {}, tl("total")), el("span", { class: "price" }, money(orderTotal(order))))),
      el("div", { class: "grid" },
        el("section", { class: "card" }, el("h2", {}, tl("tracking")), tracking.length ? el("ul", { class: "timeline" }, tracking) : el("p", { class: "muted" }, "–")),
        el("section", { class: "card" }, el("h2", {}, tl("ship_to")),
          el("p", {}, [address.address1, address.address2, `${address.city}, ${address.state} ${address.zip}`, address.country].filter(Boolean).join(", "))),
        el("section", { class: "card" }, el("h2", {}, tl("payments")), el("ul", { class: "features" },
          order.payment_history.map((p) => el("li", {}, `${p.transaction_type} · ${money(p.amount)} · ${methodLabel(p.payment_method_id)}`)))))),
    actions.length ? el("div", { class: "grid cols-2", style: "margin-top:16px" }, actions) : null);
  refreshCart();
}

async function render() {
  try { if (orderId) await renderOrder(); else await renderList(); } catch (error) {
    root.replaceChildren(el("p", { class: "notice bad" }, error.message));
  }
}

if (me) { initCart(); render(); onLanguageChange(render); }
