// The live preview on the naming convention page: as the administrator types, ask the server
// for the name the template gives the sample context (the server renders it exactly as it will
// name contexts), and show it. Without JavaScript the Preview button does the same.
const form = document.querySelector("form[data-naming-preview]");
if (form) {
  const input = form.querySelector("input[name='template']");
  const output = form.querySelector("[data-naming-preview-name]");
  const endpoint = form.dataset.namingPreview;
  let timer = null;
  let latest = 0;

  const show = (name, problem) => {
    output.textContent = "";
    if (problem) {
      const span = document.createElement("span");
      span.className = "govuk-error-message govuk-!-margin-bottom-0";
      span.textContent = problem;
      output.appendChild(span);
    } else {
      output.textContent = name;
    }
  };

  const update = async () => {
    const ticket = ++latest;
    const url = `${endpoint}?${new URLSearchParams({ template: input.value })}`;
    try {
      const response = await fetch(url, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (!response.ok || ticket !== latest) return;
      const body = await response.json();
      show(body.name, body.problem);
    } catch {
      // Offline or signed out: the Preview button still works.
    }
  };

  if (input && output && endpoint) {
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(update, 250);
    });
  }
}
