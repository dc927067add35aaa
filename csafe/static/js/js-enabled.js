// Loaded synchronously at the top of <body> (instead of GOV.UK's inline snippet, which our
// Content Security Policy forbids) so components can style themselves before first paint.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
