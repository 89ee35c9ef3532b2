// "My posts": the shopper's shopping-experience posts (GET /v1/posts), newest first, each editable in place.
import { get } from "./api.js";
import { initCart } from "./cart.js";
import { applyI18n } from "./i18n.js";
import { el, initShell, showError, tl } from "./ui.js";
import { postEditor } from "./post_editor.js";

const me = initShell("shopper");
const root = document.getElementById("posts-root");

async function load() {
  try {
    const posts = await get("/v1/posts");
    if (!posts.length) {
      root.replaceChildren(el("p", { class: "empty muted", "data-role": "no-posts" }, tl("posts_empty")));
      return;
    }
    root.replaceChildren(...posts.map((post) => el("article", { class: "post-item", "data-post-item": String(post.id),
      lang: post.language === "zh" ? "zh-CN" : "en" },
    el("div", { class: "muted small" }, post.order_id ? `${post.order_id}` : post.product_id || ""),
    postEditor(post))));
    applyI18n(root);
  } catch (error) {
    showError(error);
    root.replaceChildren(el("p", { class: "notice bad" }, error.message));
  }
}

if (me) { initCart(); load(); }
