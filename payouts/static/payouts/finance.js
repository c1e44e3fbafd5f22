/* The finance console and settlement page: settle, watch progress, approve, create and pay
   batches. Calls the API with window.AHHHA.api (site.js). Recording and correcting periods,
   discarding and reversing settlements are plain forms (amounts parsed on the server). */
(function () {
  "use strict";
  // The settlement states as the page shows them (payouts.models.SettlementStatus's labels).
  const STATUS_LABELS = {
    queued: gettext("Queued"), running: gettext("Running"), preview: gettext("Preview"),
    posted: gettext("Posted"), failed: gettext("Failed"),
    discarded: gettext("Discarded (never posted)"), reversed: gettext("Reversed (netted to zero)"),
  };
  const A = window.AHHHA;

  function say(el, text, ok) {
    if (!el) return;
    el.textContent = text;
    el.className = "form-status " + (ok ? "ok" : "error");
  }

  function onSubmit(form, handler) {
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const button = form.querySelector("button[type=submit]");
      if (button) button.disabled = true;
      try { await handler(form); } finally { if (button) button.disabled = false; }
    });
  }

  // Rendered disabled: a click before this script has run would do nothing.
  document.querySelectorAll("button.settle-btn").forEach((btn) => {
    btn.disabled = false;
    btn.addEventListener("click", async () => {
      btn.disabled = true;
      const res = await A.api("POST", `/api/v1/periods/${btn.dataset.period}/settle/`);
      if (!res.ok) { btn.disabled = false; alert(A.errorMessage(res)); return; }
      window.location.reload();
    });
  });

  // Live progress: poll every settlement that is still queued or running.
  function watch(row) {
    const id = row.dataset.settlement;
    const bar = row.querySelector(".progress > span");
    const barBox = row.querySelector(".progress");
    const label = row.querySelector(".settle-status");
    const pct = row.querySelector(".settle-pct");
    const tick = async () => {
      const res = await A.api("GET", `/api/v1/settlements/${id}/?lines=0`);
      if (res.ok) {
        const s = res.data;
        if (bar) bar.style.width = s.progress + "%";
        if (barBox) barBox.setAttribute("aria-valuenow", s.progress);
        if (pct) pct.textContent = s.progress + "%";
        if (label) { label.textContent = STATUS_LABELS[s.status] || s.status; label.className = "status settle-status status-" + s.status; }
        row.dataset.status = s.status;
        if (s.status !== "queued" && s.status !== "running") {
          if (row.dataset.reloadWhenDone) window.location.reload();
          return;
        }
      }
      setTimeout(tick, 800);
    };
    tick();
  }
  document.querySelectorAll("[data-settlement]").forEach((row) => {
    if (row.dataset.status === "queued" || row.dataset.status === "running") watch(row);
  });

  const approve = document.getElementById("approve-btn");
  if (approve) approve.disabled = false;  // rendered disabled until this script runs
  if (approve) approve.addEventListener("click", async () => {
    approve.disabled = true;
    const status = document.getElementById("approve-status");
    const res = await A.api("POST", `/api/v1/settlements/${approve.dataset.settlement}/approve/`);
    if (!res.ok) { approve.disabled = false; return say(status, A.errorMessage(res), false); }
    say(status, res.data.status === "posted" ? gettext("Posted.") : gettext("Approved: posting…"), true);
    const poll = async () => {
      const r = await A.api("GET", `/api/v1/settlements/${approve.dataset.settlement}/?lines=0`);
      if (r.ok && r.data.status === "posted") return window.location.reload();
      setTimeout(poll, 800);
    };
    poll();
  });

  const batchForm = document.getElementById("batch-form");
  if (batchForm) onSubmit(batchForm, async (form) => {
    const status = form.querySelector(".form-status");
    const res = await A.api("POST", "/api/v1/payout-batches/", {
      currency: form.currency.value,
      ...(form.execution_date.value ? { execution_date: form.execution_date.value } : {}),
    });
    if (!res.ok) return say(status, A.errorMessage(res), false);
    window.location.reload();
  });

  document.querySelectorAll("button.cancel-batch").forEach((btn) => btn.addEventListener("click", async () => {
    if (!window.confirm(gettext("Cancel this batch? Nothing has been paid; balances stay as they are."))) return;
    const res = await A.api("POST", `/api/v1/payout-batches/${btn.dataset.batch}/cancel/`);
    if (!res.ok) { alert(A.errorMessage(res)); return; }
    window.location.reload();
  }));

  document.querySelectorAll("form.paid-form").forEach((form) => onSubmit(form, async () => {
    const status = form.querySelector(".form-status");
    const res = await A.api("POST", `/api/v1/payout-batches/${form.dataset.batch}/mark-paid/`,
      { reference: form.reference.value });
    if (!res.ok) return say(status, A.errorMessage(res), false);
    window.location.reload();
  }));
})();
