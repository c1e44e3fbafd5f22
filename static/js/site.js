/* Small helpers shared by the pages: JSON calls to the API with the CSRF token. */
(function () {
  "use strict";
  function csrfToken() {
    const m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (m) return decodeURIComponent(m[1]);
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function randomKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }
  // One Idempotency-Key per person's action (the form or button they used) and request: a retry
  // of the same request after a network failure sends the same key, so the server runs it once.
  const actionKeys = new WeakMap();
  function keyFor(action, request) {
    let entry = actionKeys.get(action);
    if (!entry || entry.request !== request) {
      entry = { request, key: randomKey() };
      actionKeys.set(action, entry);
    }
    return entry.key;
  }
  /** Call the API; resolves to {ok, status, data}. data is the parsed JSON body (or null).
   *  options.action: the element the person acted on; a POST then carries an Idempotency-Key
   *  that is kept until the server gave a definite answer. */
  async function api(method, url, body, options) {
    const opts = { method, credentials: "same-origin", headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" } };
    if (body instanceof FormData) {
      opts.body = body;
    } else if (body !== undefined) {
      opts.headers["Content-Type"] = "application/json";
      opts.body = JSON.stringify(body);
    }
    const action = method === "POST" && !(body instanceof FormData) && options && options.action;
    if (action) {
      const request = url + "\n" + (typeof opts.body === "string" ? opts.body : "");
      opts.headers["Idempotency-Key"] = keyFor(action, request);
    }
    const res = await fetch(url, opts);  // a network failure keeps the key for the retry
    if (action && res.status < 500 && res.status !== 409) actionKeys.delete(action);
    let data = null;
    try { data = await res.json(); } catch (e) { data = null; }
    return { ok: res.ok, status: res.status, data };
  }
  /** The message of an API error body ({"error": {"message": …}}), for showing to people. */
  function errorMessage(result) {
    if (result && result.data && result.data.error) return result.data.error.message;
    if (result && result.status === 403) return "You may not do that.";
    return "Something went wrong; please try again.";
  }
  window.AHHHA = { api, csrfToken, errorMessage };
  /* Progress bars carry their width in data-width (the Content-Security-Policy refuses inline
     style attributes; setting element.style from a script is allowed). */
  function applyWidths() {
    document.querySelectorAll("[data-width]").forEach(function (el) {
      el.style.width = Math.max(0, Math.min(100, Number(el.dataset.width) || 0)) + "%";
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", applyWidths);
  else applyWidths();
})();
