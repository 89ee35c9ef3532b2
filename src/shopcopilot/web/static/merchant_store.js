// Store setup: name ideas, a logo drawn from the name and colours, and the storefront theme (palette and
// featured products) saved on the store.
import { api, post } from "./api.js";
import { t } from "./i18n.js";
import { el, money, showError, tl, toast } from "./ui.js";

const state = { name: "", primary: "#1e3a8a", accent: "#f5f5f5", logo: null, theme: null };

function colourList() { return [state.primary, state.accent]; }

function preview(store) {
  const palette = (state.theme && state.theme.palette) || store.theme?.palette || { primary: "#1e5ac8", text: "#ffffff", accent: "#f5f5f5", background: "#fafafa" };
  const featured = (state.theme && state.theme.featured) || store.theme?.featured || [];
  return el("div", { class: "store-preview", "data-role": "store-preview" },
    el("div", { class: "banner", style: `background:${palette.primary};color:${palette.text}` },
      state.logo ? el("img", { src: state.logo, alt: t("logo") }) : null,
      el("div", {}, el("div", { style: "font-size:1.4rem;font-weight:800" }, state.name || store.name),
        el("div", { style: "opacity:.85" }, store.name_zh || ""))),
    el("div", { style: `background:${palette.background};padding:14px` },
      el("div", { class: "row", style: "margin-bottom:10px" }, Object.entries(palette).map(([k, v]) =>
        el("span", { class: "badge" }, el("span", { class: "swatch", style: `background:${v}` }), ` ${k} ${v}`))),
      el("div", { class: "grid cols-2" }, featured.map((p) => el("div", { class: "card", style: "padding:10px" },
        el("strong", {}, p.name), el("div", { class: "muted" }, money(p.price_from)))))));
}

export async function storeTab(root, { store }) {
  state.name ||= store.name;
  const render = () => { root.replaceChildren(); storeTab(root, { store }); };
  const words = el("input", { id: "name-words", placeholder: "kitchen, tea", value: "" });
  const ideas = el("div", { class: "chips", style: "justify-content:flex-start", "data-role": "name-ideas" });
  const nameInput = el("input", { id: "store-name-input", value: state.name, maxlength: "80" });
  const primary = el("input", { id: "store-primary", type: "color", value: state.primary, style: "height:42px;padding:4px" });
  const accent = el("input", { id: "store-accent", type: "color", value: state.accent, style: "height:42px;padding:4px" });
  const readColours = () => { state.primary = primary.value; state.accent = accent.value; };
  const logoButton = el("button", { type: "button", class: "btn", id: "make-logo" }, tl("logo"));
  const themeButton = el("button", { type: "button", class: "btn primary", id: "save-theme" }, tl("save_store"));

  words.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); suggest(); } });
  async function suggest() {
    const categoryWords = words.value.split(/[,，]+/).map((w) => w.trim()).filter(Boolean).slice(0, 5);
    if (!categoryWords.length) return;
    try {
      const answer = await post("/v1/merchant/store/names", { category_words: categoryWords });
      ideas.replaceChildren(...answer.suggestions.map((s) => el("button", { type: "button", class: "chip", disabled: !s.available,
        onclick: () => { nameInput.value = s.name; state.name = s.name; } }, s.name)));
    } catch (error) { showError(error); }
  }
  logoButton.addEventListener("click", async () => {
    state.name = nameInput.value.trim() || store.name;
    readColours();
    try {
      const response = await api("POST", "/v1/merchant/store/logo", { name: state.name, colours: colourList(), kind: "monogram", format: "svg" }, { raw: true });
      state.logo = URL.createObjectURL(await response.blob());
      render();
    } catch (error) { showError(error); }
  });
  themeButton.addEventListener("click", async () => {
    state.name = nameInput.value.trim() || store.name;
    readColours();
    const data = new FormData();
    data.append("colours", JSON.stringify(colourList()));
    try {
      state.theme = await post("/v1/merchant/store/theme", data);
      if (!state.logo) logoButton.click();
      toast(t("saved"));
      render();
    } catch (error) { showError(error); }
  });

  root.append(el("div", { class: "grid cols-2", style: "align-items:start" },
    el("section", { class: "card grid" },
      el("div", {}, el("label", { for: "name-words" }, tl("name_ideas")), el("div", { class: "row" }, el("div", { style: "flex:1" }, words),
        el("button", { type: "button", class: "btn", id: "suggest-names", onclick: suggest }, tl("ask"))), ideas),
      el("div", {}, el("label", { for: "store-name-input" }, tl("store_name")), nameInput),
      el("div", { class: "grid cols-2" }, el("div", {}, el("label", { for: "store-primary" }, tl("theme")), primary),
        el("div", {}, el("label", { for: "store-accent" }, tl("accent")), accent)),
      el("div", { class: "row" }, logoButton, themeButton)),
    el("section", { class: "card" }, el("h2", {}, tl("store_preview")), preview(store))));
}
