/* The product page: the creator endorses a claim without a reload. */
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("form.js-endorse").forEach(function (form) {
    form.addEventListener("submit", async function (ev) {
      ev.preventDefault();
      const button = form.querySelector("button");
      button.disabled = true;
      const result = await window.AHHHA.api("POST", "/api/v1/contributions/" + form.dataset.id + "/endorse/", undefined, { action: form });
      if (result.ok) {
        const badge = document.createElement("span");
        badge.className = "status status-endorsed";
        badge.textContent = gettext("Endorsed by the creator");
        form.replaceWith(badge);
      } else {
        button.disabled = false;
        alert(window.AHHHA.errorMessage(result));
      }
    });
  });
});
