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

  // The convention the builder's choices make, as contexts.naming.build_template makes it.
  const built = () => {
    const words = (form.querySelector("input[name='words']")?.value || "").trim().split(/\s+/).join(" ");
    const parts = [...form.querySelectorAll("select[name^='part_']")].map((s) => s.value).filter(Boolean);
    const separator = form.querySelector("input[name='separator']:checked")?.value || "";
    const pieces = words ? [words.replaceAll("{", "{{").replaceAll("}", "}}"), ...parts] : parts;
    return pieces.join(separator);
  };

  const update = async (template) => {
    const ticket = ++latest;
    const url = `${endpoint}?${new URLSearchParams({ template })}`;
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

  const later = (template) => {
    clearTimeout(timer);
    timer = setTimeout(() => update(template()), 250);
  };

  if (input && output && endpoint) {
    input.addEventListener("input", () => later(() => input.value));
  }
  const builder = form.querySelector("[data-testid='convention-builder']");
  if (builder && output && endpoint) {
    builder.addEventListener("input", () => later(built));
    builder.addEventListener("change", () => later(built));
  }
}
