// Renders the typed answer blocks of POST /v1/chat: text, product cards with option pickers, comparison
// tables (comparison.js), plans with "add all to cart" (plan.js), editable posts (post_editor.js), cart updates,
// confirmations, clarifying questions and knowledge answers with their citations.
import { addToCart } from "./cart.js";
import { comparisonBlock } from "./comparison.js";
import { t } from "./i18n.js";
import { planBlock } from "./plan.js";
import { postEditor } from "./post_editor.js";
import { el, money, showError, tl, toast } from "./ui.js";

const PALETTE = [["#eef1ff", "#3b4fd8"], ["#e9f8f1", "#17803d"], ["#fff3df", "#a15c00"], ["#fbeefe", "#8b2fb8"],
  ["#e8f4fd", "#0b6aa2"], ["#fdecea", "#b42318"]];

// No product photos in the demo data: a monogram tile, coloured by category, stands in for one.
function thumb(card) {
  const key = `${card.category_id || card.name || ""}`;
  let hash = 0;
  for (const ch of key) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  const [bg, fg] = PALETTE[hash % PALETTE.length];
  const letters = (card.name || card.title || "?").split(/\s+/).map((w) => w[0]).join("").slice(0, 2).toUpperCase();
  if (card.image && /^(\/|data:)/.test(card.image)) return el("div", { class: "thumb", "aria-hidden": "true" }, el("img", { src: card.image, alt: "" }));
  return el("div", { class: "thumb", "aria-hidden": "true", style: `background:${bg}` }, el("span", { class: "monogram", style: `color:${fg}` }, letters));
}

// Reveal text a few characters at a time, so an answer reads as it streams in.
export function typeText(node, text) {
  const reduced = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  if (reduced || text.length < 40 || navigator.webdriver) { node.textContent = text; return Promise.resolve(); }
  return new Promise((resolve) => {
    let shown = 0;
    const step = Math.max(2, Math.ceil(text.length / 60));
    const timer = setInterval(() => {
      shown = Math.min(text.length, shown + step);
      node.textContent = text.slice(0, shown);
      if (shown >= text.length) { clearInterval(timer); resolve(); }
    }, 16);
  });
}

function optionValues(variants, name) {
  const values = [];
  for (const v of variants) if (name in v.options && !values.includes(String(v.options[name]))) values.push(String(v.options[name]));
  return values;
}

function variantFor(variants, selected) {
  return variants.find((v) => Object.entries(selected).every(([k, val]) => String(v.options[k]) === val)) || null;
}

// A product card: pick each option; price and availability follow the chosen variant (SKU).
export function productCard(card) {
  const variants = card.variants || [];
  const names = card.option_names || [];
  const start = variants.find((v) => v.available && v.matches) || variants.find((v) => v.available) || variants[0];
  const selected = {};
  if (start) for (const name of names) if (name in start.options) selected[name] = String(start.options[name]);

  const priceNode = el("div", { class: "price", "data-role": "price" });
  const stockNode = el("span", { class: "badge" });
  const addButton = el("button", { type: "button", class: "btn primary", "data-role": "add" }, tl("add_to_cart"));
  const pickers = el("div", { class: "grid", style: "gap:8px" });

  function refresh() {
    const variant = variantFor(variants, selected);
    pickers.replaceChildren(...names.map((name) => {
      const groupId = `opt-${card.product_id}-${name}`.replace(/[^A-Za-z0-9_-]/g, "_");
      return el("div", { role: "group", "aria-labelledby": groupId },
        el("div", { id: groupId, class: "muted", style: "font-size:.82rem" }, name),
        el("div", { class: "opt-group" }, optionValues(variants, name).map((value) => {
          const trial = variantFor(variants, { ...selected, [name]: value });
          const anyAvailable = variants.some((v) => String(v.options[name]) === value && v.available);
          return el("button", { type: "button", class: `opt ${trial && trial.available ? "" : "unavailable"}`,
            "aria-pressed": String(selected[name] === value), "data-option": name, "data-value": value,
            title: trial ? `${money(trial.price)} · ${trial.available ? t("available") : t("unavailable")}` : t("no_match"),
            onclick: () => {
              selected[name] = value;
              if (!variantFor(variants, selected)) {
                // Jump to the nearest real variant with this value rather than show an impossible combination.
                const fallback = variants.find((v) => String(v.options[name]) === value && (v.available || !anyAvailable));
                if (fallback) for (const n of names) if (n in fallback.options) selected[n] = String(fallback.options[n]);
              }
              refresh();
              pickers.querySelector(`[data-option="${CSS.escape(name)}"][data-value="${CSS.escape(value)}"]`)?.focus();
            } }, value);
        })));
    }));
    if (variant) {
      priceNode.textContent = money(variant.price);
      stockNode.className = `badge ${variant.available ? "ok" : "bad"}`;
      stockNode.textContent = variant.available ? t("available") : t("unavailable");
      addButton.disabled = !variant.available;
      addButton.dataset.variant = variant.variant_id;
    } else {
      priceNode.textContent = card.price_range || "";
      stockNode.className = "badge warn";
      stockNode.textContent = t("no_match");
      addButton.disabled = true;
    }
  }
  addButton.addEventListener("click", async () => {
    addButton.disabled = true;
    try { await addToCart(addButton.dataset.variant, 1); toast(`${t("added")}: ${card.title}`); } catch (error) { showError(error); }
    addButton.disabled = false;
  });
  refresh();
  return el("article", { class: "pcard", "data-product": card.product_id, "aria-label": card.title },
    thumb(card),
    el("h3", {}, card.title),
    el("div", { class: "spread" }, priceNode, stockNode),
    el("div", { class: "muted", style: "font-size:.82rem" }, card.price_range),
    card.reason ? el("div", { class: "reason" }, el("strong", {}, `${t("why_picked")}: `), card.reason) : null,
    card.features && card.features.length ? el("ul", { class: "features hide-senior" }, card.features.slice(0, 3).map((f) => el("li", {}, f))) : null,
    names.length ? pickers : null,
    addButton);
}

function cartUpdate(block) {
  const lines = (block.lines || []).map((l) => el("li", {}, `${l.product_name || l.variant_id} × ${l.quantity}`));
  return el("div", { class: "card", "data-block": "cart_update" },
    el("div", { class: "spread" }, el("strong", {}, tl("cart_title")), el("span", { class: "price" }, money(block.total))),
    el("ul", { class: "features" }, lines));
}

export function renderBlock(block, { send, language }) {
  const answerIn = (en, zh) => (language === "zh" ? zh : en);
  switch (block.type) {
    case "text": {
      const bubble = el("div", { class: "bubble", "data-block": "text", "data-text": block.text });
      typeText(bubble, block.text);
      return bubble;
    }
    case "cited_answer":
      return citedAnswer(block, language);
    case "product_cards":
      return el("div", { class: "cards", "data-block": "product_cards" }, (block.cards || []).map(productCard));
    case "comparison":
      return comparisonBlock(block);
    case "plan":
      return planBlock(block);
    case "cart_update":
      return cartUpdate(block);
    case "post":
      return postEditor(block);
    case "confirmation":
      return el("div", { class: "card", "data-block": "confirmation", role: "group", "aria-label": block.prompt },
        el("ul", {}, (block.details || []).map((d) => el("li", {}, d))), el("p", {}, el("strong", {}, block.prompt)),
        el("div", { class: "row" },
          el("button", { type: "button", class: "btn primary", "data-role": "yes", onclick: (e) => { disableGroup(e); send(answerIn("yes", "确认")); } }, tl("yes_do_it")),
          el("button", { type: "button", class: "btn", "data-role": "no", onclick: (e) => { disableGroup(e); send(answerIn("no", "不用了")); } }, tl("no_keep"))));
    case "question":
      return el("div", { class: "bubble", "data-block": "question" }, el("div", {}, block.text),
        block.choices && block.choices.length ? el("div", { class: "chips", style: "justify-content:flex-start" },
          block.choices.map((c) => el("button", { type: "button", class: "chip", onclick: () => send(c) }, c))) : null);
    default:
      return el("pre", { class: "bubble" }, JSON.stringify(block, null, 2));
  }
}

// The knowledge bases' display titles (en, zh), which the page shell carries in #page-data (they are package data,
// not in the API's answers, which name a base by its id).
let kbTitles = null;
function kbTitle(kb, language) {
  if (!kbTitles) {
    try { kbTitles = JSON.parse(document.getElementById("page-data")?.textContent || "{}").knowledge_bases || {}; } catch { kbTitles = {}; }
  }
  const titles = kbTitles[kb];
  if (!titles) return kb;
  return language === "zh" ? titles.title_zh || titles.title : titles.title;
}

let citedAnswers = 0;

// A knowledge-base answer: its text, whose [n] marks link to numbered sources below it; each source names its
// passage and knowledge base, and opens to show the quote the answer took from it (verbatim). A mark with no
// citation behind it stays plain text.
function citedAnswer(block, language) {
  const uid = `cited-${++citedAnswers}`;
  const citations = block.citations || [];
  const sourceId = (n) => `${uid}-source-${n}`;
  const openSource = (n) => {
    const item = document.getElementById(sourceId(n));
    if (!item) return;
    item.querySelector("details").open = true;
    item.focus();
    item.scrollIntoView({ block: "nearest" });
  };
  const text = el("div", { class: "cited-text", "data-role": "cited-text" });
  for (const part of (block.text || "").split(/(\[\d+\])/)) {
    const n = Number((/^\[(\d+)\]$/.exec(part) || [])[1]);
    const citation = n >= 1 ? citations[n - 1] : null;
    if (!citation) { if (part) text.append(part); continue; }
    text.append(el("sup", {}, el("a", { href: `#${sourceId(n)}`, class: "cite-mark", "data-cite": String(n),
      "aria-label": t("cite_mark", { n, title: citation.title }),
      onclick: (event) => { event.preventDefault(); openSource(n); } }, `[${n}]`)));
  }
  const quoteLang = language === "zh" ? "zh-CN" : "en";
  const sources = citations.map((c, i) => {
    const n = i + 1;
    const kb = kbTitle(c.kb, language);
    return el("li", { id: sourceId(n), tabindex: "-1", "data-n": String(n), "data-kb": c.kb, "data-chunk": c.chunk_id },
      el("details", {},
        el("summary", { title: t("show_quote") },
          el("span", { class: "cite-n" }, `[${n}]`),
          el("span", { class: "cite-title", "data-role": "cite-title", lang: quoteLang }, c.title),
          el("span", { class: "badge brand cite-kb", "data-role": "cite-kb", lang: quoteLang }, kb)),
        el("blockquote", { class: "cite-quote", "data-role": "cite-quote", lang: quoteLang }, c.quote),
        el("div", { class: "muted small cite-meta" }, `${t("source_kb")} ${kb} · ${c.chunk_id} · `,
          el("a", { href: "#", onclick: (event) => {
            event.preventDefault();
            text.querySelector(`[data-cite="${n}"]`)?.focus();
          } }, t("back_to_text")))));
  });
  const headingId = `${uid}-sources`;
  return el("div", { class: "bubble cited", "data-block": "cited_answer", "data-text": block.text },
    text,
    sources.length ? el("section", { class: "citations", "aria-labelledby": headingId },
      el("h4", { id: headingId }, tl("sources")),
      el("ol", { class: "citation-list" }, sources)) : null);
}

function disableGroup(event) {
  for (const b of event.target.closest(".row").querySelectorAll("button")) b.disabled = true;
}
