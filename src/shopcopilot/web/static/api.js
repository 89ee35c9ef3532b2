// The only way the pages talk to the server: the public /v1 API with the signed-in user's bearer token.

const TOKEN_KEY = "sc.auth";

export function auth() {
  try { return JSON.parse(localStorage.getItem(TOKEN_KEY) || "null"); } catch { return null; }
}
export function setAuth(value) {
  if (value) localStorage.setItem(TOKEN_KEY, JSON.stringify(value));
  else localStorage.removeItem(TOKEN_KEY);
}

export class ApiError extends Error {
  constructor(status, code, message) { super(message); this.status = status; this.code = code; }
}

function headers(extra = {}) {
  const h = { ...extra };
  const a = auth();
  if (a && a.token) h.Authorization = `Bearer ${a.token}`;
  return h;
}

async function raise(response) {
  let code = "http_error", message = `${response.status} ${response.statusText}`;
  try {
    const body = await response.json();
    if (body && body.error) { code = body.error.code; message = body.error.message; }
  } catch { /* not JSON */ }
  if (response.status === 401 && code === "unauthorized") document.dispatchEvent(new CustomEvent("sc:unauthorized"));
  throw new ApiError(response.status, code, message);
}

export function idempotencyKey() {
  return (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(16).slice(2)}`);
}

export async function api(method, path, body, { idempotent = false, raw = false } = {}) {
  const init = { method, headers: headers() };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) { init.body = JSON.stringify(body); init.headers["Content-Type"] = "application/json"; }
  if (idempotent) init.headers["Idempotency-Key"] = idempotencyKey();
  const response = await fetch(path, init);
  if (!response.ok) await raise(response);
  if (raw) return response;
  if (response.status === 204) return null;
  return response.json();
}

export const get = (path) => api("GET", path);
export const post = (path, body, opts) => api("POST", path, body, opts);
export const patch = (path, body, opts) => api("PATCH", path, body, opts);
export const put = (path, body, opts) => api("PUT", path, body, opts);
export const del = (path, opts) => api("DELETE", path, undefined, opts);

// An authorised image (studio outputs need the bearer token, so <img src> cannot fetch them directly).
export async function imageUrl(path) {
  const response = await api("GET", path, undefined, { raw: true });
  return URL.createObjectURL(await response.blob());
}

// POST that answers with Server-Sent Events; calls onEvent(name, data) as each event arrives.
export async function stream(path, body, onEvent) {
  const response = await fetch(path, {
    method: "POST",
    headers: headers({ "Content-Type": "application/json", Accept: "text/event-stream" }),
    body: JSON.stringify(body),
  });
  if (!response.ok) await raise(response);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const chunk = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      let event = "message";
      const data = [];
      for (const line of chunk.split("\n")) {
        if (line.startsWith("event:")) event = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).trimStart());
      }
      if (data.length) await onEvent(event, JSON.parse(data.join("\n")));
    }
  }
}
