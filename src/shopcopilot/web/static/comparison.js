// The comparison block: one column per product, one row per attribute. Each row's `kind` says how the products
// relate on it (the same, different, only some have it, prices per unit that cannot be compared...), the pros and
// cons rows are lists, and the verdict's pick is marked in its column and explained under the table.
import { t } from "./i18n.js";
import { el, tl } from "./ui.js";

// Row kinds from `shopper.compare`; anything else (e.g. "shares 1L" / "共有 1L") is shown as the server wrote it.
const KIND_KEYS = {
  shared: "kind_shared", differs: "kind_differs", different: "kind_differs", "not comparable": "kind_not_comparable",
  "only some": "kind_only_some", price: "kind_differs", "per-unit": "kind_differs",
};

function kindBadge(kind) {
  if (!kind || kind === "for your need") return null;
  const key = KIND_KEYS[kind];
  const cls = kind === "shared" ? "ok" : kind === "not comparable" || kind === "only some" ? "warn" : "brand";
  return el("span", { class: `badge ${cls} kind`, "data-kind-label": kind }, key ? tl(key) : kind);
}

function cellValue(value) {
  if (Array.isArray(value)) return value.join(", ");
  return value === null || value === undefined || value === "" ? "–" : String(value);
}

// Pros and cons arrive as "a; b; c": a list reads better, and a "+"/"−" mark (with words for screen readers)
// tells them apart without relying on colour.
function reasonList(value, positive) {
  const parts = cellValue(value).split(/;\s*/).filter((p) => p && p !== "-" && p !== "–");
  if (!parts.length) return el("span", { class: "muted" }, "–");
  return el("ul", { class: `reasons ${positive ? "pros" : "cons"}` }, parts.map((p) =>
    el("li", {}, el("span", { class: "mark", "aria-hidden": "true" }, positive ? "+" : "−"),
      el("span", { class: "visually-hidden" }, `${t(positive ? "pro" : "con")}: `), p)));
}

function isPros(row, index, rows) { return row.kind === "for your need" && index === rows.findIndex((r) => r.kind === "for your need"); }

export function comparisonBlock(block) {
  const ids = block.product_ids || [];
  const verdict = block.verdict || null;
  const pick = verdict ? ids.indexOf(verdict.product_id) : -1;
  const head = el("tr", {}, el("th", { scope: "col" }, tl("attribute")),
    (block.columns || []).map((title, i) => el("th", { scope: "col", class: i === pick ? "picked" : null,
      "data-product": ids[i] || null }, title, i === pick ? el("span", { class: "badge ok pick-badge" }, tl("our_pick")) : null)));
  const rows = block.rows || [];
  const body = rows.map((row, index) => {
    const reasonRow = row.kind === "for your need";
    const positive = isPros(row, index, rows);
    return el("tr", { "data-kind": row.kind || "", class: reasonRow ? (positive ? "row-pros" : "row-cons") : null },
      el("th", { scope: "row" }, el("span", {}, row.attribute), kindBadge(row.kind)),
      (row.values || []).map((value, i) => el("td", { class: i === pick ? "picked" : null },
        reasonRow ? reasonList(value, positive) : cellValue(value))));
  });
  const verdictNode = verdict ? el("div", { class: "verdict", "data-role": "verdict", "data-product": verdict.product_id },
    el("strong", {}, `${t("verdict")}: ${verdict.title}`),
    (verdict.reasons || []).length ? el("ul", { class: "features" }, verdict.reasons.map((r) => el("li", {}, r))) : null) : null;
  return el("div", { class: "card comparison", "data-block": "comparison" },
    el("div", { class: "table-scroll", tabindex: "0", role: "region", "aria-label": t("compare") },
      el("table", { "data-block": "comparison-table" }, el("caption", { class: "visually-hidden" }, tl("compare")),
        el("thead", {}, head), el("tbody", {}, body))),
    verdictNode);
}
