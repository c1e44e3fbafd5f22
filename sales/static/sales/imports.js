/* Finance's sales page: the progress bar of each import still queued or running, polled from
   GET /api/v1/sales/imports/{id}/ (window.AHHHA.api, site.js); the page reloads when it ends. */
(function () {
  "use strict";
  const A = window.AHHHA;
  document.querySelectorAll("li.job").forEach((item) => {
    if (item.dataset.status !== "queued" && item.dataset.status !== "running") return;
    const bar = item.querySelector("progress");
    const tick = async () => {
      const res = await A.api("GET", `/api/v1/sales/imports/${item.dataset.job}/`);
      if (res.ok) {
        bar.value = res.data.progress;
        bar.textContent = res.data.progress + "%";
        if (res.data.status !== "queued" && res.data.status !== "running") {
          window.location.reload();
          return;
        }
      }
      setTimeout(tick, 700);
    };
    tick();
  });
})();
