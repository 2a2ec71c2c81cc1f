// Wide tables on a narrow screen (WCAG 1.4.10 Reflow): a data table scrolls sideways inside
// its own wrapper instead of widening the page. While a table is wider than its wrapper, the
// wrapper is a named region that takes keyboard focus, so it can be scrolled with the arrow
// keys; otherwise it is a plain box and no extra tab stop.
(function () {
  "use strict";
  // "Tabel" in the page's language (base.html, so the word is in the translation catalogue).
  const label = document.querySelector("main")?.dataset.tableLabel || "Tabel";

  // The table's caption, or else the nearest heading before it.
  function nameOf(wrapper) {
    let named = wrapper.firstElementChild.querySelector("caption");
    for (let node = wrapper; !named && node && node.tagName !== "MAIN"; node = node.parentElement) {
      for (let before = node.previousElementSibling; before && !named; before = before.previousElementSibling) {
        if (/^H[1-6]$/.test(before.tagName)) named = before;
      }
    }
    const text = named?.textContent.trim().replace(/\s+/g, " ");
    return text ? `${label}: ${text}` : label;
  }

  function fit(wrapper) {
    if (wrapper.scrollWidth > wrapper.clientWidth + 1) {
      wrapper.setAttribute("role", "region");
      wrapper.setAttribute("aria-label", nameOf(wrapper));
      wrapper.tabIndex = 0;
    } else {
      wrapper.removeAttribute("role");
      wrapper.removeAttribute("aria-label");
      wrapper.removeAttribute("tabindex");
    }
  }

  const watcher = new ResizeObserver((entries) => entries.forEach((entry) => fit(entry.target)));

  function wrap(root) {
    root.querySelectorAll("main table").forEach((table) => {
      // A wrapper the template wrote itself is watched the same way (once).
      if (table.parentElement.classList.contains("table-scroll")) {
        if (!table.parentElement.dataset.watched) {
          table.parentElement.dataset.watched = "1";
          watcher.observe(table.parentElement);
        }
        return;
      }
      const wrapper = document.createElement("div");
      wrapper.className = "table-scroll";
      table.before(wrapper);
      wrapper.append(table);
      wrapper.dataset.watched = "1";
      watcher.observe(wrapper);
    });
  }

  wrap(document);
  // Tables that arrive later (htmx panels, filtered results) are wrapped as they come.
  document.body.addEventListener("htmx:afterSettle", () => wrap(document));
})();
