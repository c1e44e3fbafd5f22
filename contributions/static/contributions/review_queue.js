/* The review queue: approve or reject a claim without a reload. */
document.addEventListener("DOMContentLoaded", function () {
  const statusBox = document.getElementById("queue-status");
  document.querySelectorAll("form.js-decide").forEach(function (form) {
    form.addEventListener("submit", async function (ev) {
      ev.preventDefault();
      const item = form.closest("li.claim");
      const id = item.dataset.id;
      const action = form.dataset.action;
      const body = action === "approve"
        ? { points: Number(form.elements.points.value) }
        : { reason: form.elements.reason.value };
      const buttons = item.querySelectorAll("button");
      buttons.forEach(function (b) { b.disabled = true; });
      const result = await window.AHHHA.api("POST", "/api/v1/contributions/" + id + "/" + action + "/", body, { action: form });
      if (result.ok) {
        const names = { member: item.dataset.member, kind: item.dataset.kind, points: result.data.points };
        statusBox.textContent = interpolate(action === "approve"
          ? gettext("Approved %(member)s’s %(kind)s claim with %(points)s points.")
          : gettext("Rejected %(member)s’s %(kind)s claim."), names, true);
        item.remove();
      } else {
        buttons.forEach(function (b) { b.disabled = false; });
        statusBox.textContent = window.AHHHA.errorMessage(result);
        if (result.status === 409) item.remove();
      }
    });
  });
});
