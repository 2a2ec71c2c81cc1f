// The error summary (core/_form_errors.html): on a page that comes back with problems, focus
// moves to the summary so that a screen reader reads it first; each of its links moves focus
// to its field (also a field inside a closed <details> or a hidden step of the reporting page,
// which is opened first: see the "baken:reveal" event in intake/melden.js).
(function () {
  "use strict";
  function reveal(field) {
    let details = field.closest("details");
    while (details) {
      details.open = true;
      details = details.parentElement.closest("details");
    }
    field.dispatchEvent(new CustomEvent("baken:reveal", { bubbles: true }));
  }

  document.addEventListener("click", (event) => {
    const link = event.target.closest(".error-summary a[href^='#']");
    if (!link) return;
    const field = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!field) return;
    event.preventDefault();
    reveal(field);
    const target = field.matches("input, select, textarea, button, [tabindex]")
      ? field
      : field.querySelector("input, select, textarea") || field;
    target.focus();
    target.scrollIntoView({ block: "center" });
  });

  const summary = document.querySelector(".error-summary");
  if (summary) summary.focus();

  // A panel that htmx puts back in place (e.g. the weighing form) takes focus the same way:
  // its error summary, or else the message that marks itself data-focus-after-swap.
  document.addEventListener("htmx:afterSettle", (event) => {
    const panel = event.target instanceof Element && event.target.isConnected ? event.target : document;
    const target = panel.querySelector(".error-summary, [data-focus-after-swap]");
    if (target) target.focus();
  });
}());
