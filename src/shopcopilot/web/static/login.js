// Sign-in: pick a demo shopper or merchant (dev-only endpoint), or paste a token minted by the CLI.
import { get, post, setAuth } from "./api.js";
import { el, initShell, showError, tl } from "./ui.js";

initShell("public");
const next = new URLSearchParams(location.search).get("next");

function home(kind) {
  if (next && next.startsWith("/") && !next.startsWith("//")) {
    const forMerchant = next.startsWith("/merchant");
    if (forMerchant === (kind === "merchant")) return next;
  }
  return kind === "merchant" ? "/merchant" : "/shop";
}

async function signIn(kind, id, name) {
  try {
    const answer = await post("/v1/dev/login", { kind, id });
    setAuth({ kind, id, name, token: answer.token });
    location.href = home(kind);
  } catch (error) { showError(error); }
}

function account(entry, summary) {
  return el("div", { class: "account" },
    el("div", {}, el("strong", {}, entry.name_zh && document.documentElement.lang === "zh-CN" ? entry.name_zh : entry.name),
      el("div", { class: "muted" }, entry.id, " · ", summary)),
    el("button", { class: "btn primary small", type: "button", "data-login": entry.id,
      onclick: () => signIn(entry.kind, entry.id, entry.name) }, tl("continue_as")));
}

async function load() {
  try {
    const accounts = await get("/v1/dev/accounts");
    document.getElementById("shopper-list").replaceChildren(...accounts.shoppers.map((s) => account(s,
      el("span", {}, Object.entries(s.orders).map(([k, v]) => `${v} ${k}`).join(", ")))));
    document.getElementById("merchant-list").replaceChildren(...accounts.merchants.map((m) => account(m,
      el("span", {}, `${m.products} `, tl("products_summary")))));
  } catch (error) {
    if (error.status === 404) {
      document.getElementById("login-notice").replaceChildren(el("p", { class: "notice" }, tl("login_disabled")));
    } else showError(error);
  }
}

document.getElementById("token-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const token = document.getElementById("token-input").value.trim();
  try {
    const claims = JSON.parse(atob(token.split(".")[0].replace(/-/g, "+").replace(/_/g, "/")));
    const [kind, ...rest] = String(claims.sub).split(":");
    const id = rest.join(":");
    setAuth({ kind, id, name: id, token });
    await get(kind === "merchant" ? "/v1/merchant" : "/v1/me");  // checks the token before leaving the page
    location.href = home(kind);
  } catch (error) { setAuth(null); showError(error); }
});

load();
