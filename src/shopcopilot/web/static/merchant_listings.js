// Listing from photos: upload 1-5 photos -> the API drafts a listing (category, title, attributes, colours,
// price band, variants, each with its evidence) -> the merchant edits it -> publish creates the product.
import { post } from "./api.js";
import { t } from "./i18n.js";
import { el, money, showError, tl, toast } from "./ui.js";

let photos = [];
let draft = null;
let published = null;

function fileInput(onChange) {
  const input = el("input", { type: "file", id: "listing-photos", accept: "image/png,image/jpeg,image/webp", multiple: true });
  input.addEventListener("change", () => onChange([...input.files].slice(0, 5)));
  return el("div", { class: "dropzone" },
    el("label", { for: "listing-photos" }, tl("upload_photos")), el("p", { class: "muted" }, "PNG · JPEG · WebP, 1–5"), input);
}

function variantRows(variants) {
  return variants.map((variant, index) => el("tr", { "data-variant": String(index) },
    el("td", {}, Object.entries(variant.options || {}).map(([k, v]) => `${k}: ${v}`).join(" · ") || "–"),
    el("td", {}, el("label", { class: "visually-hidden", for: `v-price-${index}` }, t("price")),
      el("input", { id: `v-price-${index}`, type: "number", min: "0.01", step: "0.01", value: variant.price ?? "", required: true, style: "max-width:120px" })),
    el("td", {}, el("label", { class: "visually-hidden", for: `v-stock-${index}` }, "stock"),
      el("input", { id: `v-stock-${index}`, type: "number", min: "0", step: "1", value: String(variant.stock ?? 0), style: "max-width:100px" }))));
}

function editor(root, rerender) {
  const category = draft.category || null;
  const categories = [category, ...(draft.category_alternatives || [])].filter(Boolean);
  const zh = document.documentElement.lang === "zh-CN";
  const form = el("form", { id: "draft-form", class: "grid" },
    el("div", { class: "field" }, el("label", { for: "d-title" }, tl("title_en")), el("input", { id: "d-title", value: draft.title || "", required: true, maxlength: "300" })),
    el("div", { class: "field" }, el("label", { for: "d-title-zh" }, tl("title_zh")), el("input", { id: "d-title-zh", value: draft.title_zh || "", maxlength: "300" })),
    el("div", { class: "field" }, el("label", { for: "d-category" }, tl("category")),
      el("select", { id: "d-category" }, categories.map((c) => el("option", { value: c.id }, `${zh && c.name_zh ? c.name_zh : c.name} (${Math.round((c.score || 0) * 100)}%)`)),
        el("option", { value: "" }, "–"))),
    el("div", { class: "field" }, el("label", { for: "d-description" }, tl("description")), el("textarea", { id: "d-description" }, draft.description || "")),
    el("div", { class: "field" }, el("label", { for: "d-points" }, tl("selling_points")), el("textarea", { id: "d-points" }, (draft.selling_points || []).join("\n"))),
    el("div", { style: "overflow:auto" }, el("table", { "data-role": "variants" },
      el("thead", {}, el("tr", {}, el("th", {}, tl("variants")), el("th", {}, tl("price")), el("th", {}, tl("stock")))),
      el("tbody", {}, variantRows(draft.variants || [])))),
    el("div", { class: "row" }, el("button", { type: "submit", class: "btn primary", id: "publish" }, tl("publish")),
      el("button", { type: "button", class: "btn", onclick: () => { draft = null; photos = []; rerender(); } }, tl("cancel"))));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const listing = {
      title: form.querySelector("#d-title").value.trim(),
      title_zh: form.querySelector("#d-title-zh").value.trim(),
      description: form.querySelector("#d-description").value.trim(),
      selling_points: form.querySelector("#d-points").value.split("\n").map((s) => s.trim()).filter(Boolean),
      category: form.querySelector("#d-category").value || null,
      brand: draft.brand, model: draft.model,
      variants: (draft.variants || []).map((v, i) => ({ options: v.options || {},
        price: Number(form.querySelector(`#v-price-${i}`).value), stock: Number.parseInt(form.querySelector(`#v-stock-${i}`).value || "0", 10) })),
    };
    const data = new FormData();
    data.append("listing", JSON.stringify(listing));
    if (photos[0]) data.append("photo", photos[0]);
    const button = form.querySelector("#publish");
    button.disabled = true;
    try {
      published = await post("/v1/merchant/listings", data);
      draft = null; photos = [];
      toast(t("published"));
      rerender();
    } catch (error) { showError(error); button.disabled = false; }
  });

  const band = draft.price_band || {};
  const evidence = Object.entries(draft.evidence || {}).map(([k, v]) => [el("dt", {}, k), el("dd", {}, typeof v === "string" ? v : JSON.stringify(v))]);
  const colours = (draft.colours || []).map((c) => el("span", { class: "badge", style: "margin-right:4px" },
    el("span", { class: "swatch", style: `background:${c.hex}` }), " ", zh && c.name_zh ? c.name_zh : c.name));
  root.append(el("div", { class: "grid cols-2", style: "align-items:start" },
    el("section", { class: "card", "aria-labelledby": "draft-h" }, el("h2", { id: "draft-h" }, tl("draft")), form),
    el("div", { class: "grid" },
      el("section", { class: "card" }, el("h2", {}, tl("price")),
        el("p", {}, band.suggested !== null && band.suggested !== undefined
          ? `${money(band.low)} – ${money(band.high)} (${money(band.suggested)})` : "–"),
        colours.length ? el("p", {}, colours) : null),
      el("section", { class: "card" }, el("h2", {}, tl("attributes")),
        el("dl", { class: "kv", "data-role": "attributes" }, Object.entries({ brand: draft.brand, model: draft.model, ...(draft.attributes || {}) })
          .filter(([, v]) => v !== null && v !== undefined && v !== "")
          .map(([k, v]) => [el("dt", {}, k), el("dd", {}, Array.isArray(v) ? v.join(", ") : String(v))]))),
      el("section", { class: "card" }, el("h2", {}, tl("evidence")), el("dl", { class: "kv", "data-role": "evidence" }, evidence),
        draft.ocr_text && draft.ocr_text.length ? el("p", { class: "muted" }, `OCR: ${draft.ocr_text.join(" · ")}`) : null))));
}

export async function listingsTab(root) {
  const rerender = () => { root.replaceChildren(); listingsTab(root); };
  if (published) {
    root.append(el("p", { class: "notice ok", "data-role": "published" }, `${t("published")}: ${published.name} (${published.product_id}) · ${published.variant_ids.length} ${t("variants")}`));
  }
  if (draft) { editor(root, rerender); return; }
  const status = el("p", { class: "muted", "aria-live": "polite" });
  const drop = fileInput((files) => { photos = files; status.textContent = files.map((f) => f.name).join(", "); });
  const make = el("button", { type: "button", class: "btn primary", id: "make-draft" }, tl("make_draft"));
  make.addEventListener("click", async () => {
    if (!photos.length) return toast(t("upload_photos"), "bad");
    const data = new FormData();
    for (const photo of photos) data.append("photos", photo);
    make.disabled = true;
    status.textContent = t("loading");
    try { draft = await post("/v1/merchant/listings/draft", data); published = null; rerender(); } catch (error) {
      showError(error); make.disabled = false; status.textContent = "";
    }
  });
  root.append(el("section", { class: "card grid" }, el("h2", {}, tl("upload_photos")), drop, status, el("div", {}, make)));
}
