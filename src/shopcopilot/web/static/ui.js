// Shared page furniture: element builder, language and senior-mode toggles, who is signed in, toasts, dialogs.
import { auth, setAuth } from "./api.js";
import { applyI18n, language, t } from "./i18n.js";

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key === "i18n") { node.dataset.i18n = value; node.textContent = t(value); }
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// A label that follows the language toggle.
export const tl = (key, tag = "span", attrs = {}) => el(tag, { ...attrs, i18n: key });

export function money(value) {
  if (value === null || value === undefined || Number.isNaN(Number(value))) return "–";
  return `$${Number(value).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

export function toast(message, kind = "") {
  const box = document.getElementById("toasts");
  const node = el("div", { class: `toast ${kind}` }, message);
  box.append(node);
  setTimeout(() => node.remove(), 3500);
}

export function showError(error) {
  toast(error && error.message ? error.message : t("error"), "bad");
}

// A modal that resolves true (confirmed) or false; `body` is a node. Focus goes into the dialog and back.
export function confirmDialog({ title, body, confirmLabel = "confirm", danger = false }) {
  return new Promise((resolve) => {
    const opener = document.activeElement;
    const dialog = el("dialog", { "aria-labelledby": "dialog-title" },
      el("div", { class: "dialog-body" }, el("h2", { id: "dialog-title" }, title), body),
      el("div", { class: "dialog-actions" },
        el("button", { type: "button", class: "btn", "data-action": "cancel", onclick: () => finish(false) }, t("cancel")),
        el("button", { type: "button", class: `btn ${danger ? "danger" : "primary"}`, "data-action": "confirm",
          onclick: () => finish(true) }, t(confirmLabel))));
    function finish(value) { dialog.close(); dialog.remove(); if (opener && opener.focus) opener.focus(); resolve(value); }
    dialog.addEventListener("cancel", (event) => { event.preventDefault(); finish(false); });
    document.body.append(dialog);
    dialog.showModal();
    dialog.querySelector("[data-action=confirm]").focus();
  });
}

const rerenders = [];
export function onLanguageChange(fn) { rerenders.push(fn); }

function setLanguage(lang) {
  localStorage.setItem("sc.lang", lang);
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  syncToggles();
  applyI18n();
  for (const fn of rerenders) fn(lang);
}

function syncToggles() {
  for (const button of document.querySelectorAll("[data-lang]")) {
    button.setAttribute("aria-pressed", String(button.dataset.lang === language()));
  }
  const senior = document.documentElement.classList.contains("senior");
  document.getElementById("senior-toggle")?.setAttribute("aria-pressed", String(senior));
}

function renderWho() {
  const who = document.getElementById("who");
  if (!who) return;
  who.replaceChildren();
  const a = auth();
  if (!a) { who.append(el("a", { class: "btn small", href: "/" }, tl("sign_in"))); return; }
  const initials = (a.name || a.id).split(/[\s_]+/).map((part) => part[0] || "").join("").slice(0, 2).toUpperCase();
  who.append(el("span", { class: "avatar", "aria-hidden": "true" }, initials),
    el("span", { class: "hide-senior" }, a.name || a.id),
    el("button", { type: "button", class: "btn small ghost", id: "sign-out",
      onclick: () => { setAuth(null); location.href = "/"; } }, tl("sign_out")));
}

// Every page calls this first. `side` is "shopper", "merchant" or "public"; a page for one side redirects a
// visitor who is not signed in as that side to the sign-in page.
export function initShell(side) {
  for (const button of document.querySelectorAll("[data-lang]")) {
    button.addEventListener("click", () => setLanguage(button.dataset.lang));
  }
  document.getElementById("senior-toggle")?.addEventListener("click", () => {
    const on = document.documentElement.classList.toggle("senior");
    localStorage.setItem("sc.senior", on ? "1" : "0");
    syncToggles();
  });
  document.addEventListener("sc:unauthorized", () => { setAuth(null); location.href = "/?expired=1"; });
  syncToggles();
  applyI18n();
  renderWho();
  const a = auth();
  if (side !== "public" && (!a || a.kind !== side)) {
    location.href = `/?next=${encodeURIComponent(location.pathname)}`;
    return null;
  }
  return a;
}

// Inline icons (there is no emoji font on a bare server, and no CDN).
const ICON_PATHS = {
  up: "M7 10v11H3V10h4zm2 11h8.3a2 2 0 0 0 2-1.6l1.4-7A2 2 0 0 0 18.7 10H14V5.5A2.5 2.5 0 0 0 11.5 3L9 10v11z",
  down: "M17 14V3h4v11h-4zm-2-11H6.7a2 2 0 0 0-2 1.6l-1.4 7A2 2 0 0 0 5.3 14H10v4.5a2.5 2.5 0 0 0 2.5 2.5L15 14V3z",
  cart: "M3 4h2l2.4 11.2a2 2 0 0 0 2 1.6h7.7a2 2 0 0 0 2-1.5L21 8H6.2M10 20.5a1 1 0 1 1-2 0 1 1 0 0 1 2 0zm9 0a1 1 0 1 1-2 0 1 1 0 0 1 2 0z",
};
export function icon(name) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("class", "svg-icon");
  svg.setAttribute("aria-hidden", "true");
  const path = document.createElementNS(ns, "path");
  path.setAttribute("d", ICON_PATHS[name]);
  path.setAttribute("fill", name === "cart" ? "none" : "currentColor");
  path.setAttribute("stroke", name === "cart" ? "currentColor" : "none");
  path.setAttribute("stroke-width", "1.8");
  svg.append(path);
  return svg;
}
