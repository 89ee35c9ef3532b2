// The operations copilot: ask in plain words; a change comes back as a preview diff to confirm or cancel; an
// applied change can be undone. Confirm/cancel/undo go through the operations API, so they are audited.
import { post, stream } from "./api.js";
import { t } from "./i18n.js";
import { el, showError, tl, toast } from "./ui.js";

const conversation = [];  // rendered nodes survive a language switch
let sessionId = `wb-${Date.now().toString(36)}`;

const show = (v) => (v === null || v === undefined ? "–" : typeof v === "object" ? JSON.stringify(v) : String(v));

export function diffTable(rows, { rejected = false } = {}) {
  return el("div", { style: "overflow:auto;max-height:360px" }, el("table", { class: "diff", "data-role": rejected ? "rejected" : "diff" },
    el("thead", {}, el("tr", {}, el("th", {}, tl("record")), el("th", {}, tl("field")), el("th", {}, tl("before")), el("th", {}, rejected ? tl("reason") : tl("after")))),
    el("tbody", {}, rows.map((row) => el("tr", {}, el("td", {}, row.label || `${row.entity || ""} ${row.id || ""}`), el("td", {}, row.field || "–"),
      el("td", { class: "before" }, show(row.before)), el("td", { class: rejected ? "" : "after" }, rejected ? row.reason : show(row.after)))))));
}

export function undoButton(operation, after) {
  const button = el("button", { type: "button", class: "btn small", "data-undo": String(operation.id) }, tl("undo"));
  button.addEventListener("click", async () => {
    button.disabled = true;
    try { await post(`/v1/merchant/operations/${operation.id}/undo`, undefined); toast(t("undone")); after && after(); } catch (error) {
      showError(error); button.disabled = false;
    }
  });
  return button;
}

function operationCard(operation) {
  return el("div", { class: "card", "data-block": "operation", "data-operation": String(operation.id) },
    el("div", { class: "spread" }, el("strong", {}, `#${operation.id} ${operation.summary}`), el("span", { class: "badge brand" }, operation.status)),
    operation.undoable ? el("div", { style: "margin-top:8px" }, undoButton(operation, () => {})) : null);
}

function previewCard(block) {
  const actions = el("div", { class: "row", style: "margin-top:10px" });
  if (block.operation_id) {
    const decide = (what) => async () => {
      for (const b of actions.querySelectorAll("button")) b.disabled = true;
      try {
        const operation = await post(`/v1/merchant/operations/${block.operation_id}/${what}`, undefined);
        actions.replaceChildren(el("span", { class: "badge ok", "data-role": "decided" }, what === "confirm" ? t("applied") : t("cancel")));
        if (what === "confirm" && operation.undoable) actions.append(undoButton(operation, () => actions.append(el("span", { class: "badge" }, t("undone")))));
      } catch (error) { showError(error); for (const b of actions.querySelectorAll("button")) b.disabled = false; }
    };
    actions.append(el("button", { type: "button", class: "btn primary", "data-role": "confirm", onclick: decide("confirm") }, tl("confirm")),
      el("button", { type: "button", class: "btn", "data-role": "cancel", onclick: decide("cancel") }, tl("cancel")));
  }
  return el("div", { class: "card", "data-block": block.type },
    el("strong", {}, block.summary),
    (block.diff || []).length ? diffTable(block.diff) : null,
    (block.rejected || []).length ? diffTable(block.rejected, { rejected: true }) : null,
    (block.warnings || []).length ? el("ul", { class: "features" }, block.warnings.map((w) => el("li", {}, w))) : null,
    block.result !== undefined ? el("pre", { class: "muted", style: "white-space:pre-wrap" }, show(block.result)) : null,
    actions);
}

function renderBlock(block) {
  if (block.type === "text") return el("div", { class: "bubble", "data-block": "text" }, block.text);
  if (block.type === "preview" || block.type === "result") return previewCard(block);
  if (block.type === "operation") return operationCard(block.operation);
  if (block.type === "copy") {
    const lines = Object.entries(block).filter(([k]) => k !== "type");
    return el("div", { class: "card", "data-block": "copy" }, el("dl", { class: "kv" }, lines.map(([k, v]) => [el("dt", {}, k), el("dd", {}, Array.isArray(v) ? v.join(" · ") : show(v))])));
  }
  return el("pre", { class: "bubble" }, JSON.stringify(block, null, 2));
}

export async function copilotTab(root) {
  const log = el("div", { id: "copilot-log", "aria-live": "polite" }, conversation);
  const input = el("input", { id: "copilot-input", maxlength: "2000", required: true, placeholder: t("copilot_placeholder") });
  const form = el("form", { class: "row", id: "copilot-form" },
    el("label", { class: "visually-hidden", for: "copilot-input" }, t("message_label")), el("div", { style: "flex:1" }, input),
    el("button", { type: "submit", class: "btn primary" }, tl("ask")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    const mine = el("div", { class: "msg user" }, el("div", { class: "bubble" }, text));
    const stack = el("div", { class: "stack" });
    const answer = el("div", { class: "msg bot", "data-role": "copilot-answer" }, el("div", { class: "bot-mark", "aria-hidden": "true" }, "AI"), stack);
    conversation.push(mine, answer);
    log.append(mine, answer);
    try {
      await stream("/v1/merchant/chat", { session_id: sessionId, message: text }, async (name, data) => {
        if (name === "block") stack.append(renderBlock(data));
        if (name === "done") answer.dataset.done = "1";
      });
    } catch (error) { stack.append(el("p", { class: "notice bad" }, error.message)); answer.dataset.done = "1"; }
  });
  root.append(el("section", { class: "card grid" }, el("p", { class: "muted" }, tl("copilot_lead")), form), el("div", { style: "margin-top:8px" }, log));
  input.focus();
}

export function resetCopilot() { conversation.length = 0; sessionId = `wb-${Date.now().toString(36)}`; }
