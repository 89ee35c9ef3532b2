// The shopper's chat: sends a message, reads the answer's blocks from the SSE stream as they arrive, and puts a
// thumbs up/down (with an optional comment, and after a thumbs down what the shopper wanted) under every answer.
import { post, stream } from "./api.js";
import { renderBlock } from "./blocks.js";
import { initCart, refreshCart } from "./cart.js";
import { t } from "./i18n.js";
import { el, icon, initShell, onLanguageChange, showError, tl, toast } from "./ui.js";

const me = initShell("shopper");
const conversation = document.getElementById("conversation");
const form = document.getElementById("composer");
const input = document.getElementById("message");
const SUGGESTIONS = ["s1", "s2", "s3", "s4", "s5"];
const sessionKey = me ? `sc.chat.${me.id}` : "sc.chat";
let busy = false;

function newSession() {
  const id = `web-${(me && me.id) || "guest"}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const session = { id, turn: 0 };
  sessionStorage.setItem(sessionKey, JSON.stringify(session));
  return session;
}
let session = JSON.parse(sessionStorage.getItem(sessionKey) || "null") || newSession();
function saveSession() { sessionStorage.setItem(sessionKey, JSON.stringify(session)); }

function renderSuggestions() {
  document.getElementById("suggestions").replaceChildren(...SUGGESTIONS.map((key) =>
    el("button", { type: "button", class: "chip", onclick: () => send(t(key)) }, t(key))));
}

function scrollDown() { window.scrollTo({ top: document.body.scrollHeight, behavior: "smooth" }); }

// What a shopper may say they wanted after a thumbs down (the intent router's classes, agent/intents.py INTENTS).
const INTENTS = ["browse", "recommend", "product_question", "compare", "coupon_fill", "plan", "write_post", "cart",
  "order_status", "order_cancel", "order_modify", "order_return", "order_exchange", "address_change", "greeting",
  "out_of_scope"];

// "What did you want?": the intents other than the one the assistant understood (that would be no correction).
function wantedIntentField(turn, understood) {
  const id = `fb-want-${turn}`;
  const select = el("select", { id, name: "wanted_intent", "data-role": "wanted-intent" },
    tl("wanted_intent_none", "option", { value: "" }),
    INTENTS.filter((intent) => intent !== understood)
      .map((intent) => tl(`intent_${intent}`, "option", { value: intent })));
  return el("div", { class: "wanted", hidden: true }, tl("wanted_intent", "label", { for: id }), select);
}

function feedbackWidget(turn, understood = "") {
  const box = el("div", { class: "feedback", "data-turn": String(turn), "data-intent": understood }, tl("helpful"));
  const up = el("button", { type: "button", class: "btn small", "aria-pressed": "false", "data-rating": "1" }, icon("up"), tl("thumbs_up"));
  const down = el("button", { type: "button", class: "btn small", "aria-pressed": "false", "data-rating": "-1" }, icon("down"), tl("thumbs_down"));
  let rating = 0;
  const wanted = wantedIntentField(turn, understood);
  const commentForm = el("form", { hidden: true }, wanted,
    el("label", { class: "visually-hidden", for: `fb-${turn}` }, t("comment_placeholder")),
    el("input", { id: `fb-${turn}`, name: "comment", maxlength: "2000", placeholder: t("comment_placeholder"),
      "data-i18n-placeholder": "comment_placeholder" }),
    el("button", { type: "submit", class: "btn small" }, tl("send_feedback")));
  async function submit(comment = "", wantedIntent = "") {
    const body = { session_id: session.id, turn, rating, comment };
    if (rating === -1 && wantedIntent) body.wanted_intent = wantedIntent;
    try {
      await post("/v1/feedback", body);
      return true;
    } catch (error) { showError(error); return false; }
  }
  for (const button of [up, down]) {
    button.addEventListener("click", async () => {
      rating = Number(button.dataset.rating);
      up.setAttribute("aria-pressed", String(rating === 1));
      down.setAttribute("aria-pressed", String(rating === -1));
      if (await submit()) {
        wanted.hidden = rating !== -1;
        commentForm.hidden = false;
        commentForm.querySelector(rating === -1 ? "select" : "input").focus();
      }
    });
  }
  commentForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const wantedIntent = wanted.hidden ? "" : wanted.querySelector("select").value;
    if (await submit(commentForm.querySelector("input[name=comment]").value, wantedIntent)) {
      commentForm.replaceChildren(el("span", { class: "badge ok", "data-role": "thanks" }, tl("thanks_feedback")));
    }
  });
  box.append(up, down, commentForm);
  return box;
}

function traceNode(trace) {
  const calls = (trace.tool_calls || []).map((c) => el("li", {}, `${c.name}(${JSON.stringify(c.arguments)}) → ${c.summary || (c.ok ? "ok" : c.error)} · ${c.ms} ms`));
  return el("details", { class: "trace" }, el("summary", {}, tl("trace")),
    el("div", {}, `intent: ${trace.intent} (${trace.confidence}) · ${trace.planner} · ${trace.ms} ms`),
    calls.length ? el("ul", {}, calls) : null);
}

// The chat's text before a post repeats the whole draft (for clients that cannot show a post); here the post
// is shown as an editable form, so the text keeps only its introduction.
function trimPostEcho(typing, post) {
  const previous = typing.previousElementSibling;
  if (!previous || previous.dataset.block !== "text") return;
  const full = previous.dataset.text || previous.textContent;
  const cut = full.indexOf(`\n${post.title}`);
  if (cut > 0) previous.replaceWith(el("div", { class: "bubble", "data-block": "text" }, full.slice(0, cut)));
}

async function send(text) {
  text = (text || "").trim();
  if (!text || busy) return;
  busy = true;
  document.getElementById("send").disabled = true;
  document.getElementById("hero").hidden = true;
  conversation.append(el("div", { class: "msg user" }, el("div", { class: "bubble" }, text)));
  const stack = el("div", { class: "stack" });
  const typing = el("div", { class: "bubble typing", "aria-label": t("loading") }, el("span"), el("span"), el("span"));
  stack.append(typing);
  const answer = el("div", { class: "msg bot", "data-role": "answer" }, el("div", { class: "bot-mark", "aria-hidden": "true" }, "AI"), stack);
  conversation.append(answer);
  scrollDown();
  let answerLanguage = "en";
  let understood = "";
  let changedCart = false;
  try {
    await stream("/v1/chat", { session_id: session.id, message: text }, async (event, data) => {
      if (event === "block") {
        if (data.type === "cart_update") changedCart = true;
        if (data.type === "post") trimPostEcho(typing, data);
        typing.before(renderBlock(data, { send, language: /[\u4e00-\u9fff]/.test(text) ? "zh" : "en" }));
        scrollDown();
      } else if (event === "trace") {
        answerLanguage = data.language;
        understood = data.intent || "";
        stack.append(traceNode(data));
      } else if (event === "done") {
        session.turn += 1;
        saveSession();
        answer.dataset.turn = String(session.turn);
        answer.lang = answerLanguage === "zh" ? "zh-CN" : "en";
        stack.append(feedbackWidget(session.turn, understood));
      }
    });
  } catch (error) {
    if (error.status === 403) { session = newSession(); }
    stack.append(el("div", { class: "notice bad" }, error.message));
  } finally {
    typing.remove();
    busy = false;
    document.getElementById("send").disabled = false;
    if (changedCart) refreshCart();
    scrollDown();
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = input.value;
  input.value = "";
  send(text);
  input.focus();
});
document.getElementById("new-chat").addEventListener("click", () => {
  session = newSession();
  conversation.replaceChildren();
  document.getElementById("hero").hidden = false;
  input.focus();
});

onLanguageChange(renderSuggestions);
renderSuggestions();
initCart();
input.focus();
export { send, toast };
