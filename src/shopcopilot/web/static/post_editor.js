// A shopping-experience post (from the soul writer) as an editable form: title, body and hashtags, saved with
// PUT /v1/posts/{id}. Used by the chat's `post` block and by the "My posts" page.
import { put } from "./api.js";
import { t } from "./i18n.js";
import { el, showError, tl, toast } from "./ui.js";

const MAX_TITLE = 200;
const MAX_BODY = 5000;

export function parseHashtags(text) {
  return text.split(/[\s,，]+/).map((h) => h.trim()).filter(Boolean).map((h) => (h.startsWith("#") ? h : `#${h}`));
}

function statusBadge(status) {
  return el("span", { class: `badge ${status === "saved" ? "ok" : "warn"}`, "data-role": "post-status",
    "data-status": status, i18n: status === "saved" ? "post_saved" : "post_draft" });
}

// `post` has id (or post_id), title, body, hashtags, status; `onSaved(post)` gets the server's saved post.
export function postEditor(post, { onSaved } = {}) {
  const id = post.id ?? post.post_id;
  const prefix = `post-${id}-${Math.random().toString(36).slice(2, 6)}`;
  let status = statusBadge(post.status || "draft");
  const title = el("input", { id: `${prefix}-title`, name: "title", required: true, maxlength: String(MAX_TITLE), value: post.title || "" });
  const body = el("textarea", { id: `${prefix}-body`, name: "body", required: true, maxlength: String(MAX_BODY), rows: "8" });
  body.value = post.body || "";
  const tags = el("input", { id: `${prefix}-tags`, name: "hashtags", value: (post.hashtags || []).join(" "),
    "aria-describedby": `${prefix}-tags-help` });
  const save = el("button", { type: "submit", class: "btn primary", "data-role": "save-post" }, tl("save"));
  const message = el("span", { class: "muted", role: "status", "data-role": "post-message" });
  const form = el("form", { class: "card post-editor", "data-block": "post", "data-post": String(id), novalidate: true },
    el("div", { class: "spread" }, el("h3", {}, tl("post_heading")), status),
    el("div", { class: "field" }, el("label", { for: title.id }, tl("post_title")), title),
    el("div", { class: "field" }, el("label", { for: body.id }, tl("post_body")), body),
    el("div", { class: "field" }, el("label", { for: tags.id }, tl("post_hashtags")), tags,
      el("div", { id: `${prefix}-tags-help`, class: "muted small" }, tl("hashtags_help"))),
    el("div", { class: "row" }, save, message));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!title.value.trim() || !body.value.trim()) {
      message.textContent = t("post_empty");
      (title.value.trim() ? body : title).focus();
      return;
    }
    save.disabled = true;
    try {
      const saved = await put(`/v1/posts/${encodeURIComponent(id)}`,
        { title: title.value, body: body.value, hashtags: parseHashtags(tags.value) });
      title.value = saved.title;
      body.value = saved.body;
      tags.value = saved.hashtags.join(" ");
      const fresh = statusBadge(saved.status);
      status.replaceWith(fresh);
      status = fresh;
      message.textContent = t("saved");
      toast(t("post_saved_toast"));
      onSaved?.(saved);
    } catch (error) {
      showError(error);
      message.textContent = error.message;
    } finally {
      save.disabled = false;
    }
  });
  return form;
}
