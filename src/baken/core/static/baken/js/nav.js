// The workspace menu on a small screen: folded behind a "Menu" button, so the page's own
// content (the inbox first of all) starts in the first screen of a phone. Without JavaScript
// the button stays hidden and the menu stays open: every entry is still reachable.
(function () {
  "use strict";
  const nav = document.querySelector(".main-nav");
  const toggle = nav && nav.querySelector(".main-nav__toggle");
  if (!toggle) return;
  // The same width as the CSS's @media rule for .main-nav--foldable.
  const small = window.matchMedia("(max-width: 47.99rem)");

  function show(open) {
    toggle.setAttribute("aria-expanded", String(open));
    nav.classList.toggle("main-nav--closed", !open);
  }

  // Long filter forms (the inbox's) start folded on a small screen too.
  if (small.matches) {
    document.querySelectorAll("details[data-fold-small]").forEach((details) => {
      details.open = false;
    });
  }
  nav.classList.add("main-nav--foldable");
  toggle.hidden = false;
  show(!small.matches);
  small.addEventListener("change", () => show(!small.matches));
  toggle.addEventListener("click", () => show(toggle.getAttribute("aria-expanded") !== "true"));
  // Escape folds an open menu on a small screen and returns to its button.
  nav.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && small.matches && toggle.getAttribute("aria-expanded") === "true") {
      show(false);
      toggle.focus();
    }
  });
})();
