/* Small helpers shared by the pages: JSON calls to the API with the CSRF token. */
(function () {
  "use strict";
  function csrfToken() {
    const m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (m) return decodeURIComponent(m[1]);
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  /** Call the API; resolves to {ok, status, data}. data is the parsed JSON body (or null). */
  async function api(method, url, body) {
    const opts = { method, credentials: "same-origin", headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" } };
    if (body instanceof FormData) {
      opts.body = body;
    } else if (body !== undefined) {
      opts.headers["Content-Type"] = "application/json";
      opts.body = JSON.stringify(body);
    }
    const res = await fetch(url, opts);
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
