// The audit log: every previewed, applied, cancelled and undone operation of this store, newest first.
import { get } from "./api.js";
import { el, tl } from "./ui.js";
import { undoButton } from "./merchant_copilot.js";

const STATUS_STYLE = { applied: "ok", previewed: "warn", cancelled: "", undone: "brand", failed: "bad" };

export async function auditTab(root) {
  const data = await get("/v1/merchant/operations?limit=200");
  const reload = () => { root.replaceChildren(); auditTab(root); };
  if (!data.items.length) { root.append(el("p", { class: "empty" }, tl("audit_empty"))); return; }
  root.append(el("section", { class: "card", style: "overflow:auto;padding:0" }, el("table", { "data-role": "audit" },
    el("thead", {}, el("tr", {}, el("th", {}, "#"), el("th", {}, tl("when")), el("th", {}, tl("who")), el("th", {}, tl("what")),
      el("th", {}, tl("status")), el("th", {}, ""))),
    el("tbody", {}, data.items.map((op) => el("tr", { "data-operation": String(op.id) },
      el("td", {}, String(op.id)),
      el("td", { class: "muted" }, (op.applied_at || op.created_at || "").replace("T", " ").slice(0, 19)),
      el("td", {}, op.actor || "–"),
      el("td", {}, el("div", {}, op.summary), op.request ? el("div", { class: "muted" }, `“${op.request}”`) : null,
        el("div", { class: "muted" }, `${(op.diff || []).length} ${(op.diff || []).length === 1 ? "change" : "changes"}`)),
      el("td", {}, el("span", { class: `badge ${STATUS_STYLE[op.status] || ""}` }, op.status)),
      el("td", {}, op.undoable ? undoButton(op, reload) : null)))))));
}
