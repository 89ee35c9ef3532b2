// The memory page: everything the assistant remembers about the shopper, each item editable and deletable,
// with "why this?" saying where it came from.
import { del, get, patch, post } from "./api.js";
import { initCart } from "./cart.js";
import { t } from "./i18n.js";
import { confirmDialog, el, initShell, onLanguageChange, showError, tl, toast } from "./ui.js";

const me = initShell("shopper");
const ATTRIBUTES = ["category", "product", "color", "material", "price_band", "size", "other"];
const list = document.getElementById("memory-list");
let items = [];

function fillSelects() {
  const attr = document.getElementById("mem-attribute");
  const current = attr.value;
  attr.replaceChildren(...ATTRIBUTES.map((a) => el("option", { value: a }, t(`attr_${a}`))));
  if (current) attr.value = current;
  const pol = document.getElementById("mem-polarity");
  const was = pol.value;
  pol.replaceChildren(el("option", { value: "like" }, t("like")), el("option", { value: "avoid" }, t("avoid")));
  if (was) pol.value = was;
}

function why(item) {
  const source = ["explicit", "orders", "cart", "browsing"].includes(item.source) ? t(`source_${item.source}`) : item.source;
  return el("div", { class: "notice", "data-role": "why", style: "margin-top:8px" }, source,
    item.note ? el("div", {}, `${t("note_label")}: ${item.note}`) : null,
    el("div", { class: "muted" }, `${t("weight")}: ${item.weight.toFixed(2)}`));
}

function editor(item, row) {
  const value = el("input", { id: `edit-value-${item.id}`, value: item.value, maxlength: "200", required: true });
  const polarity = el("select", { id: `edit-polarity-${item.id}` },
    el("option", { value: "like", selected: item.polarity === "like" }, t("like")),
    el("option", { value: "avoid", selected: item.polarity === "avoid" }, t("avoid")));
  const form = el("form", { class: "row", style: "margin-top:8px" },
    el("label", { class: "visually-hidden", for: polarity.id }, t("polarity_label")), polarity,
    el("label", { class: "visually-hidden", for: value.id }, t("value_label")), el("div", { style: "flex:1" }, value),
    el("button", { type: "submit", class: "btn primary small" }, tl("save")),
    el("button", { type: "button", class: "btn small", onclick: render }, tl("cancel")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await patch(`/v1/memory/${item.id}`, { value: value.value.trim(), polarity: polarity.value });
      toast(t("saved"));
      await load();
    } catch (error) { showError(error); }
  });
  row.append(form);
  value.focus();
}

function itemRow(item) {
  const row = el("div", { class: "account", style: "display:block", "data-memory": String(item.id) });
  const whyButton = el("button", { type: "button", class: "btn small ghost", "aria-expanded": "false" }, tl("why_this"));
  whyButton.addEventListener("click", () => {
    const open = row.querySelector("[data-role=why]");
    if (open) { open.remove(); whyButton.setAttribute("aria-expanded", "false"); return; }
    row.append(why(item));
    whyButton.setAttribute("aria-expanded", "true");
  });
  row.append(el("div", { class: "spread" },
    el("div", {}, el("span", { class: `badge ${item.polarity === "avoid" ? "bad" : "ok"}` }, t(item.polarity)), " ",
      el("strong", { "data-role": "value" }, item.value), " ",
      el("span", { class: "muted" }, `· ${t(`attr_${item.attribute}`)} · ${item.source}`)),
    el("div", { class: "row" }, whyButton,
      el("button", { type: "button", class: "btn small", "data-action": "edit", onclick: () => {
        if (!row.querySelector("form")) editor(item, row);
      } }, tl("edit")),
      el("button", { type: "button", class: "btn small", "data-action": "delete", "aria-label": `${t("delete")} ${item.value}`,
        onclick: async () => {
          const ok = await confirmDialog({ title: `${t("delete")}: ${item.value}?`, body: el("p", { class: "muted" }, why(item).textContent),
            confirmLabel: "delete", danger: true });
          if (!ok) return;
          try { await del(`/v1/memory/${item.id}`); toast(t("deleted")); await load(); } catch (error) { showError(error); }
        } }, tl("delete")))));
  return row;
}

function render() {
  list.replaceChildren(...(items.length ? items.map(itemRow) : [el("p", { class: "empty" }, tl("memory_empty"))]));
}

async function load() {
  try { items = await get("/v1/memory"); render(); } catch (error) { showError(error); }
}

document.getElementById("memory-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  try {
    await post("/v1/memory", { attribute: form.attribute.value, polarity: form.polarity.value,
      value: form.value.value.trim(), note: form.note.value.trim() });
    form.value.value = ""; form.note.value = "";
    toast(t("saved"));
    await load();
  } catch (error) { showError(error); }
});
document.getElementById("relearn").addEventListener("click", async () => {
  try { items = await post("/v1/memory/refresh"); render(); toast(t("saved")); } catch (error) { showError(error); }
});

if (me) { fillSelects(); initCart(); load(); onLanguageChange(() => { fillSelects(); render(); }); }
