/* The vote button: vote or withdraw without a reload; the count and the progress follow. */
(function () {
  "use strict";
  const box = document.getElementById("vote-area");
  const button = document.getElementById("vote-button");
  if (!box || !button) return;
  const $ = (id) => document.getElementById(id);

  function render(data) {
    const threshold = data.vote_threshold || Number(box.dataset.threshold) || 1;
    $("vote-count").textContent = data.vote_count;
    $("vote-noun").textContent = ngettext("vote", "votes", data.vote_count);
    $("vote-progress").style.width = Math.min(100, Math.floor((data.vote_count * 100) / threshold)) + "%";
    $("vote-progressbar").setAttribute("aria-valuenow", data.vote_count);
    box.dataset.voted = data.voted ? "1" : "0";
    button.textContent = data.voted ? gettext("Withdraw my vote") : gettext("Vote for this idea");
    button.setAttribute("aria-pressed", data.voted ? "true" : "false");
    button.classList.toggle("secondary", data.voted);
    $("vote-message").textContent = !data.voted ? "" : data.counts_from
      ? interpolate(gettext("Your vote is recorded; it counts from %s, when your account is old enough."),
                    [new Date(data.counts_from).toLocaleString()])
      : gettext("You voted for this idea.");
    if (data.status !== "voting") {
      button.remove();
      $("vote-message").textContent = data.status === "review"
        ? gettext("The idea reached its threshold and goes to review. Thank you!")
        : gettext("Voting is closed.");
      const label = document.querySelector(".idea-head .status");
      if (label && data.status === "review") {
        label.className = "status status-review";
        label.textContent = gettext("In review");
      }
    }
  }

  button.addEventListener("click", async function () {
    const error = $("vote-error");
    error.hidden = true;
    button.disabled = true;
    const voted = box.dataset.voted === "1";
    try {
      const result = await window.AHHHA.api(voted ? "DELETE" : "POST", box.dataset.url, undefined, { action: button });
      if (result.ok) {
        render(result.data);
      } else {
        error.textContent = window.AHHHA.errorMessage(result);
        error.hidden = false;
      }
    } catch (e) {
      error.textContent = gettext("The network failed; please try again.");
      error.hidden = false;
    } finally {
      button.disabled = false;
    }
  });
})();
