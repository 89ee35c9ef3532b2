// The plan block (scenario planners): per step its budget and what it spent, the store's product for each need
// (or, said plainly, that the store does not stock it / only has it over the step's budget), the step's tip,
// and the plan's single "add all to cart" action. `large_text` (the senior guide) renders bigger type.
import { addToCart } from "./cart.js";
import { t } from "./i18n.js";
import { el, money, showError, tl, toast } from "./ui.js";

// The items the plan's "add all to cart" action carries; plans from before `actions` fall back to their items.
export function planItems(block) {
  const action = (block.actions || []).find((a) => a.type === "add_all_to_cart") || (block.actions || [])[0];
  if (action) return { label: action.label, items: (action.items || []).map((i) => [i.variant_id, i.quantity || 1]) };
  const items = [];
  for (const section of block.sections || []) {
    for (const item of section.items || []) if (item.status === "ok") items.push([item.variant_id, item.quantity || 1]);
  }
  return { label: null, items };
}

function optionText(options) {
  return Object.entries(options || {}).map(([k, v]) => `${k}: ${v}`).join(" · ");
}

function planItem(item) {
  const need = el("span", { class: "need" }, item.need);
  if (item.status === "ok") {
    return el("li", { "data-variant": item.variant_id, "data-status": "ok" },
      el("div", { class: "spread" },
        el("div", {}, need, el("span", { class: "muted" }, " → "), el("strong", {}, item.name),
          item.quantity > 1 ? ` × ${item.quantity}` : ""),
        el("span", { class: "price" }, money(item.price * (item.quantity || 1)))),
      optionText(item.options) ? el("div", { class: "muted small" }, optionText(item.options)) : null);
  }
  if (item.status === "over_budget") {
    return el("li", { "data-status": "over_budget" }, el("div", { class: "spread" }, need,
      el("span", { class: "badge warn" }, `${t("over_step_budget")} · ${t("cheapest")} ${money(item.cheapest_price)}`)));
  }
  return el("li", { "data-status": "missing" }, el("div", { class: "spread" }, need,
    el("span", { class: "badge bad" }, tl("not_stocked"))));
}

function stepNode(section, index) {
  const headingId = `plan-step-${Math.random().toString(36).slice(2, 8)}-${index}`;
  const over = section.spent > section.budget + 1e-9;
  return el("section", { class: "plan-step", "aria-labelledby": headingId },
    el("div", { class: "spread step-head" },
      el("h4", { id: headingId }, el("span", { class: "step-no", "aria-hidden": "true" }, String(index + 1)), section.title),
      el("span", { class: `step-budget ${over ? "over" : ""}`, "data-role": "step-budget" },
        t("step_budget", { spent: money(section.spent), budget: money(section.budget) }))),
    el("ul", { class: "plan-items" }, (section.items || []).map(planItem)),
    section.note ? el("p", { class: "tip" }, el("strong", {}, `${t("tip")}: `), section.note) : null);
}

export function planBlock(block) {
  const { label, items } = planItems(block);
  const button = items.length
    ? el("button", { type: "button", class: "btn primary", "data-role": "add-all" }, label || t("add_all"))
    : null;
  const status = el("span", { class: "muted", role: "status", "data-role": "add-all-status" });
  button?.addEventListener("click", async () => {
    button.disabled = true;
    let added = 0;
    try {
      for (const [id, quantity] of items) { await addToCart(id, quantity); added += 1; }
      toast(t("added_all"));
      button.textContent = t("added_all");
      status.textContent = t("added_n", { n: String(items.reduce((s, [, q]) => s + q, 0)) });
    } catch (error) {
      // Say how far it got: the lines already added stay in the cart.
      showError(error);
      status.textContent = t("added_partly", { n: String(added), total: String(items.length) });
      button.disabled = false;
    }
  });
  const sections = block.sections || [];
  const needs = (status) => sections.flatMap((s) => (s.items || []).filter((i) => i.status === status).map((i) => i.need));
  const missing = needs("missing");
  const overBudget = needs("over_budget");
  const left = (block.budget || 0) - (block.total || 0);
  const share = block.budget ? Math.min(100, (100 * (block.total || 0)) / block.budget) : 0;
  return el("div", { class: `card plan${block.large_text ? " large" : ""}`, "data-block": "plan",
    "data-scenario": block.scenario || "", "data-large-text": String(Boolean(block.large_text)) },
  el("h3", {}, block.title),
  block.budget ? el("div", { class: "plan-budget" },
    el("div", { class: "spread" },
      el("span", {}, `${t("total")}: `, el("strong", { "data-role": "plan-total" }, money(block.total))),
      el("span", { class: "muted" }, `${t("budget")}: ${money(block.budget)} · ${t("left")}: ${money(left)}`)),
    el("div", { class: "progress", role: "progressbar", "aria-label": t("budget_used"), "aria-valuemin": "0",
      "aria-valuemax": String(block.budget), "aria-valuenow": String(block.total || 0) }, el("i", { style: `width:${share}%` }))) : null,
  sections.length ? sections.map(stepNode) : el("ol", {}, (block.steps || []).map((s) => el("li", {}, s))),
  missing.length ? el("p", { class: "notice warn", "data-role": "missing" }, `${t("not_in_plan")}: ${missing.join(", ")}`) : null,
  overBudget.length ? el("p", { class: "notice warn", "data-role": "over-budget" }, `${t("left_out_budget")}: ${overBudget.join(", ")}`) : null,
  el("div", { class: "row" }, button, status));
}
