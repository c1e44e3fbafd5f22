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
    const error = result && result.data && result.data.error;
    if (error) {
      // A field's own sentences ("The comment must not be empty."), never "body: …".
      const fields = Object.values(error.fields || {}).flat().filter(Boolean);
      return fields.length ? fields.join(" ") : error.message;
    }
    if (result && result.status === 403) return gettext("You may not do that.");
    return gettext("Something went wrong; please try again.");
  }
  // Back-and-resubmit: a browser going Back may fetch the form again, with a fresh one-time
  // token ({% once_token %}). The token a form was sent with is kept for this tab; coming back
  // to the page through the history puts it in again, so the server answers with the first
  // result instead of making a second row.
  function keepOnceTokens() {
    const nav = performance.getEntriesByType ? performance.getEntriesByType("navigation")[0] : null;
    const cameBack = !!nav && nav.type === "back_forward";
    const seen = {};
    document.querySelectorAll("form").forEach((form) => {
      const input = form.querySelector("input[name=_once]");
      if (!input) return;
      const where = location.pathname + location.search + " " + form.action;
      seen[where] = (seen[where] || 0) + 1;
      const slot = "once " + where + " " + seen[where];
      try {
        const sent = sessionStorage.getItem(slot);
        if (cameBack && sent) input.value = sent;
        form.addEventListener("submit", () => sessionStorage.setItem(slot, input.value));
      } catch (e) { /* no storage: a fresh token, as without JavaScript */ }
    });
  }
  keepOnceTokens();
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
  /* "Copy link" on the share bar: the clipboard where the browser allows it, else the link
     selected in a prompt-free way (shown in the status next to the button). */
  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-action=copy-link]");
    if (!button) return;
    const status = button.parentElement.querySelector("[data-copied]");
    const url = button.dataset.url;
    const done = () => { if (status) status.textContent = button.dataset.done; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(url).then(done, () => { if (status) status.textContent = url; });
    } else if (status) {
      status.textContent = url;
    }
  });
  /* Data tables name each cell's column (data-label) for the stacked layout on phones. */
  function labelCells() {
    document.querySelectorAll("table.data").forEach(function (table) {
      const heads = Array.from(table.querySelectorAll("thead th"), (th) => th.textContent.trim());
      table.querySelectorAll("tbody tr").forEach(function (row) {
        let column = 0;
        Array.from(row.children).forEach(function (cell) {
          const span = cell.colSpan || 1;
          if (span === 1 && heads[column] && !cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", heads[column]);
          }
          column += span;
        });
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", labelCells);
  else labelCells();

  /* Fields that belong to one choice of a radio group (data-when="iban alipay",
     data-when-field="kind"): shown only while that choice is made. Without script every field
     shows. */
  function followChoices(form) {
    const dependents = form.querySelectorAll("[data-when][data-when-field]");
    if (!dependents.length) return;
    const update = () => dependents.forEach((el) => {
      const chosen = form.querySelector(`input[name="${el.dataset.whenField}"]:checked`);
      el.hidden = !chosen || !el.dataset.when.split(" ").includes(chosen.value);
    });
    form.addEventListener("change", update);
    update();
  }
  document.addEventListener("DOMContentLoaded", () => document.querySelectorAll("form").forEach(followChoices));
})();
