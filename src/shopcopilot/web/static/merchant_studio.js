// The studio: upload a photo, pick a scene and slots, render as a background job, then see every slot's preview
// with its fidelity report (product pixels changed, colour shift, text on the product before and after).
import { get, imageUrl, post } from "./api.js";
import { t } from "./i18n.js";
import { el, showError, tl } from "./ui.js";

const SCENES = ["studio", "gradient", "radial", "surface", "texture", "palette"];
const SLOTS = ["square", "portrait", "banner", "story", "thumbnail"];
let lastJob = null;

function report(data) {
  const f = data.fidelity || {};
  const pixels = f.pixels || {};
  const colour = f.colour || {};
  const text = f.text || {};
  return el("div", { class: "grid", style: "gap:6px", "data-role": "fidelity" },
    el("span", { class: `badge ${data.faithful ? "ok" : "bad"}` }, t(data.faithful ? "faithful" : "not_faithful")),
    el("dl", { class: "kv" },
      el("dt", {}, tl("pixels_changed")), el("dd", { "data-role": "pixels-changed" }, `${pixels.changed ?? "–"} / ${pixels.compared ?? "–"}`),
      el("dt", {}, tl("colour_shift")), el("dd", {}, colour.delta_e === null || colour.delta_e === undefined ? "–" : `${colour.delta_e} (≤ ${colour.max})`,
        colour.dominant_before ? el("span", {}, " ", el("span", { class: "swatch", style: `background:${colour.dominant_before}` }), " → ",
          el("span", { class: "swatch", style: `background:${colour.dominant_after}` })) : null),
      el("dt", {}, tl("text_check")), el("dd", {}, (text.before || []).length
        ? `${(text.before || []).join(" · ")}${(text.missing || []).length ? ` — missing: ${text.missing.join(", ")}` : ""}` : "–")),
    (data.reasons || []).length ? el("ul", { class: "features" }, data.reasons.map((r) => el("li", {}, r))) : null);
}

async function showJob(box, job) {
  box.replaceChildren();
  if (job.status === "failed" && job.error) box.append(el("p", { class: "notice bad" }, job.error.message));
  const cards = [];
  for (const image of job.images || []) {
    const card = el("figure", { class: "card slot", style: "margin:0", "data-slot": image.slot },
      el("figcaption", { class: "spread" }, el("strong", {}, image.slot),
        el("span", { class: `badge ${image.delivered ? "ok" : "bad"}` }, image.delivered ? t("passed") : t("failed"))));
    cards.push(card);
    try {
      if (image.url) card.append(el("img", { src: await imageUrl(image.url), alt: `${image.slot} preview` }));
      card.append(el("h3", { style: "margin-top:8px" }, tl("fidelity")), report(await get(image.report_url)));
    } catch (error) { card.append(el("p", { class: "notice bad" }, error.message)); }
  }
  box.append(el("div", { class: "slots", "data-role": "slots" }, cards));
}

export async function studioTab(root) {
  const photo = el("input", { type: "file", id: "studio-photo", accept: "image/png,image/jpeg,image/webp", required: true });
  const scene = el("select", { id: "studio-scene" }, SCENES.map((s) => el("option", { value: s }, s)));
  const slots = el("fieldset", { style: "border:0;padding:0;margin:0" }, el("legend", { style: "font-weight:600" }, t("slots")),
    el("div", { class: "row" }, SLOTS.map((s, i) => el("label", { style: "font-weight:400" },
      el("input", { type: "checkbox", name: "slot", value: s, checked: i < 3, style: "width:auto" }), ` ${s}`))));
  const status = el("p", { class: "muted", "aria-live": "polite" });
  const results = el("div");
  const form = el("form", { class: "grid", id: "studio-form" },
    el("div", { class: "dropzone" }, el("label", { for: "studio-photo" }, tl("upload_photos")), photo),
    el("div", { class: "grid cols-2" }, el("div", {}, el("label", { for: "studio-scene" }, tl("scene")), scene), slots),
    el("div", { class: "row" }, el("button", { type: "submit", class: "btn primary", id: "studio-run" }, tl("run_studio")), status));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!photo.files.length) return;
    const chosen = [...form.querySelectorAll("input[name=slot]:checked")].map((b) => b.value);
    const data = new FormData();
    data.append("photo", photo.files[0]);
    data.append("options", JSON.stringify({ scene: scene.value, slots: chosen.length ? chosen : undefined }));
    const button = form.querySelector("#studio-run");
    button.disabled = true;
    status.textContent = t("rendering");
    try {
      let job = await post("/v1/studio/jobs", data);
      while (job.status === "queued" || job.status === "running") {
        await new Promise((resolve) => setTimeout(resolve, 700));
        job = await get(`/v1/studio/jobs/${job.id}`);
      }
      lastJob = job;
      status.textContent = job.status;
      await showJob(results, job);
    } catch (error) { showError(error); status.textContent = ""; }
    button.disabled = false;
  });
  root.append(el("section", { class: "card" }, el("p", { class: "muted" }, tl("studio_lead")), form), el("div", { style: "margin-top:16px" }, results));
  if (lastJob) await showJob(results, lastJob);
}
