/* Pledge, change or cancel without a reload; the funding bar follows. */
(function () {
  "use strict";
  const box = document.getElementById("funding-area");
  const form = document.getElementById("pledge-form");
  if (!box || !form) return;
  const $ = (id) => document.getElementById(id);
  const unit = Number(box.dataset.unit) || 100;
  const currency = box.dataset.currency;
  const decimals = String(unit - 1).length * (unit > 1 ? 1 : 0);

  /** "12.5" → 1250 minor units, by string arithmetic (no float near money); null if invalid. */
  function toMinor(text) {
    const clean = String(text).trim().replace(/[\s,']/g, "");
    const m = clean.match(/^(\d+)(?:\.(\d*))?$/);
    if (!m) return null;
    const frac = (m[2] || "");
    if (frac.length > decimals) return null;
    return Number(m[1]) * unit + Number((frac + "0".repeat(decimals)).slice(0, decimals) || 0);
  }
  function money(minor) {
    const major = Math.floor(minor / unit);
    const rest = String(minor % unit).padStart(decimals, "0");
    return major.toLocaleString("en") + (decimals ? "." + rest : "") + " " + currency;
  }
  function render(data) {
    const f = data.funding;
    $("funding-raised").textContent = money(f.amount_raised);
    $("funding-progress").style.width = f.percent + "%";
    $("funding-progressbar").setAttribute("aria-valuenow", f.percent);
    $("funding-percent").textContent = f.percent;
    $("funding-backers").textContent = f.backers;
    $("funding-backers-noun").textContent = f.backers === 1 ? "backer" : "backers";
    const active = data.status === "active";
    form.dataset.hasPledge = active ? "1" : "0";
    $("pledge-mine").hidden = !active;
    $("pledge-amount").textContent = active ? money(data.amount) : "";
    $("pledge-cancel").hidden = !active;
    $("pledge-submit").textContent = active ? "Change" : "Pledge";
    form.querySelector("label").textContent = (active ? "Change your pledge" : "Pledge") + " (" + currency + ")";
  }
  async function send(method, body, done) {
    const error = $("pledge-error");
    error.hidden = true;
    form.querySelectorAll("button").forEach((b) => (b.disabled = true));
    try {
      const result = await window.AHHHA.api(method, box.dataset.url, body);
      if (result.ok) {
        render(result.data);
        $("pledge-message").textContent = done;
        form.reset();
      } else {
        error.textContent = window.AHHHA.errorMessage(result);
        error.hidden = false;
      }
    } catch (e) {
      error.textContent = "The network failed; please try again.";
      error.hidden = false;
    } finally {
      form.querySelectorAll("button").forEach((b) => (b.disabled = false));
    }
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    const amount = toMinor($("pledge-input").value);
    if (amount === null || amount < unit) {
      $("pledge-error").textContent = "Enter an amount of at least 1 " + currency + ", like 25 or 12.50.";
      $("pledge-error").hidden = false;
      return;
    }
    const changing = form.dataset.hasPledge === "1";
    send(changing ? "PATCH" : "POST", { amount }, changing ? "Your pledge is changed." : "Thank you for your pledge!");
  });
  $("pledge-cancel").addEventListener("click", function () {
    send("DELETE", undefined, "Your pledge is cancelled.");
  });
})();
