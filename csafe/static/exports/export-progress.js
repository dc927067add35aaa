// The progress page of a background export: every two seconds ask the server how far the job
// has got and move the bar; when the job ends, reload the page so that it shows the download
// link (or why the export failed). Without JavaScript the page's refresh link does the same.
const panel = document.querySelector("[data-export-progress]");
const POLL_MS = 2000;
const GIVE_UP_AFTER = 5; // failed polls in a row: signed out or offline; the page still works

if (panel && panel.dataset.exportFinished !== "true") {
  const url = panel.dataset.exportProgress;
  const bar = panel.querySelector("[data-export-bar]");
  const text = panel.querySelector("[data-export-percent]");
  const status = panel.querySelector("[data-export-status] .govuk-tag");
  const numbers = new Intl.NumberFormat("en-GB");
  let failures = 0;

  const show = (body) => {
    if (bar) {
      bar.value = body.percent;
      bar.textContent = `${body.percent}%`;
    }
    if (text) {
      text.textContent =
        `${body.percent}% done (${numbers.format(body.rows_written)} of ` +
        `${numbers.format(body.rows_total)} rows)`;
    }
    // Only when it changes: the status is a live region, and should speak rarely.
    if (status && status.textContent !== body.status_label) {
      status.textContent = body.status_label;
      status.classList.toggle("govuk-tag--grey", body.status === "queued");
      status.classList.toggle("govuk-tag--blue", body.status === "running");
    }
  };

  const poll = async () => {
    try {
      const response = await fetch(url, {
        credentials: "same-origin",
        cache: "no-store",
        headers: { Accept: "application/json" },
      });
      if (!response.ok) throw new Error(`status ${response.status}`);
      const body = await response.json(); // a sign-in page instead of JSON throws here
      failures = 0;
      if (body.finished) {
        window.location.reload();
        return;
      }
      show(body);
    } catch {
      failures += 1;
      if (failures >= GIVE_UP_AFTER) return;
    }
    window.setTimeout(poll, POLL_MS);
  };

  window.setTimeout(poll, POLL_MS);
}
