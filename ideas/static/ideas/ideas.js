/* Idea pages: Markdown preview, comments and replies without a reload, flag/accept/hide. */
(function () {
  "use strict";
  const A = () => window.AHHHA;

  function showError(form, message) {
    const p = form.querySelector(".error");
    if (p) { p.textContent = message; p.hidden = !message; }
  }

  // --- Markdown preview on the submit / edit form ---
  document.addEventListener("click", async (event) => {
    const button = event.target.closest("[data-action=preview]");
    if (!button) return;
    const source = document.getElementById(button.dataset.source);
    const box = document.getElementById("preview");
    const result = await A().api("POST", "/api/v1/markdown/preview/", { body: source.value });
    box.hidden = false;
    if (result.ok) {
      box.innerHTML = result.data.html;  // sanitised on the server (nh3)
    } else {
      box.textContent = A().errorMessage(result);
    }
  });

  // --- Confirm dangerous forms ---
  document.addEventListener("submit", (event) => {
    const msg = event.target.dataset && event.target.dataset.confirm;
    if (msg && !window.confirm(msg)) event.preventDefault();
  });

  // --- Video embeds load only when asked (no third-party request before that) ---
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-action=play-embed]");
    if (!button) return;
    const box = button.closest("[data-embed]");
    const url = new URL(box.dataset.embed);
    if (!["www.youtube-nocookie.com", "player.vimeo.com"].includes(url.hostname)) return;
    url.searchParams.set("autoplay", "1");
    const frame = document.createElement("iframe");
    frame.src = url.toString();
    frame.title = box.dataset.title;
    frame.allow = "autoplay; fullscreen; picture-in-picture; encrypted-media";
    frame.allowFullscreen = true;
    frame.referrerPolicy = "strict-origin-when-cross-origin";
    box.replaceChildren(frame);
  });

  const discussion = document.getElementById("discussion");
  const article = document.getElementById("idea");
  if (!discussion) return;
  const ideaId = discussion.dataset.idea;

  async function postComment(form, parentId) {
    const body = form.querySelector("textarea[name=body]").value;
    const suggestion = form.querySelector("input[name=is_suggestion]");
    const payload = { body, is_suggestion: !!(suggestion && suggestion.checked) };
    if (parentId) payload.parent = Number(parentId);
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      const result = await A().api("POST", `/api/v1/ideas/${ideaId}/comments/?html=1`, payload, { action: form });
      if (!result.ok) { showError(form, A().errorMessage(result)); return null; }
      showError(form, "");
      const count = document.getElementById("comment-count");
      if (count) count.textContent = String((parseInt(count.textContent.replace(/\D/g, ""), 10) || 0) + 1);
      const tpl = document.createElement("template");
      tpl.innerHTML = result.data.html.trim();  // rendered and sanitised by the server
      return tpl.content.firstElementChild;
    } finally {
      button.disabled = false;
    }
  }

  const mainForm = document.getElementById("comment-form");
  if (mainForm) {
    mainForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      const node = await postComment(mainForm, null);
      if (!node) return;
      const empty = document.getElementById("no-comments");
      if (empty) empty.remove();
      document.getElementById("comments").appendChild(node);
      mainForm.reset();
      node.scrollIntoView({ block: "nearest" });
    });
  }

  document.getElementById("comments").addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-action]");
    if (!button) return;
    const li = button.closest("li.comment");
    const commentId = li && li.dataset.comment;
    const action = button.dataset.action;
    if (action === "reply") {
      if (li.querySelector(":scope > .reply-form")) return;
      const form = document.getElementById("reply-template").content.firstElementChild.cloneNode(true);
      button.closest(".comment-actions").after(form);
      form.querySelector("textarea").focus();
      form.addEventListener("submit", async (e) => {
        e.preventDefault();
        const node = await postComment(form, commentId);
        if (!node) return;
        let list = li.querySelector(":scope > ol.replies");
        if (!list) {
          list = document.createElement("ol");
          list.className = "comments replies";
          li.appendChild(list);
        }
        list.appendChild(node);
        form.remove();
      });
      form.querySelector("[data-action=cancel]").addEventListener("click", () => form.remove());
    } else if (action === "accept") {
      if (!window.confirm(gettext("Accept this suggestion? Its author gets a pending contribution for a reviewer to weigh."))) return;
      const result = await A().api("POST", `/api/v1/comments/${commentId}/accept/`, {}, { action: button });
      if (result.ok) {
        button.replaceWith(Object.assign(document.createElement("span"), { className: "pill pill-accepted", textContent: gettext("accepted") }));
      } else { window.alert(A().errorMessage(result)); }
    } else if (action === "flag" || action === "hide") {
      const reason = window.prompt(action === "flag" ? gettext("Why should the moderators look at this?") : gettext("Reason for hiding (shown to the author):"));
      if (!reason) return;
      const result = await A().api("POST", `/api/v1/comments/${commentId}/${action}/`, { reason }, { action: button });
      if (result.ok) {
        button.replaceWith(document.createTextNode(action === "flag" ? gettext("Flagged — thank you.") : gettext("Hidden.")));
      } else { window.alert(A().errorMessage(result)); }
    }
  });

  if (article) article.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-action=flag-idea], button[data-action=hide-idea]");
    if (!button) return;
    const hide = button.dataset.action === "hide-idea";
    const reason = window.prompt(hide ? gettext("Reason for hiding (shown to the creator):") : gettext("Why should the moderators look at this idea?"));
    if (!reason) return;
    const result = await A().api("POST", `/api/v1/ideas/${ideaId}/${hide ? "hide" : "flag"}/`, { reason }, { action: button });
    if (result.ok) {
      if (hide) { window.location.reload(); } else { button.replaceWith(document.createTextNode(gettext("Flagged — thank you."))); }
    } else { window.alert(A().errorMessage(result)); }
  });
})();
