/* The dashboard's and the management view's charts (Chart.js, served as a static file).
   Each chart reads its labels and numbers from a JSON data block next to it; a figure that
   is suppressed arrives as null and is drawn as a gap. The same figures are in the table
   below each chart, so the chart itself is decoration for screen readers (role=img with a
   name that points at the table). */
(function () {
  "use strict";

  // Dark, distinct colours with at least 3:1 contrast against white (WCAG 1.4.11).
  var COLOURS = ["#01689b", "#8b4a00", "#39870c", "#a90061", "#5b3c8c", "#275937", "#6b5400"];
  var TEXT = "#1b1b1b";
  var GRID = "#d8d8d8";

  function options(data, horizontal) {
    var axis = {
      ticks: { color: TEXT, font: { size: 13 }, autoSkip: true, maxRotation: 60 },
      grid: { color: GRID }
    };
    var value = {
      beginAtZero: true,
      ticks: { color: TEXT, font: { size: 13 }, precision: data.kind === "line" ? undefined : 0 },
      grid: { color: GRID },
      title: { display: true, text: data.unit, color: TEXT, font: { size: 13 } }
    };
    return {
      indexAxis: horizontal ? "y" : "x",
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: {
        legend: { display: false },
        tooltip: { enabled: true }
      },
      scales: horizontal ? { x: value, y: axis } : { x: axis, y: value }
    };
  }

  function draw(box) {
    var source = document.getElementById(box.dataset.chart);
    var canvas = box.querySelector("canvas");
    if (!source || !canvas || typeof Chart === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var horizontal = data.kind === "hbar";
    var rows = data.labels.length;
    // Horizontal bars: room for every label; the others a fixed height.
    box.style.height = (horizontal ? Math.max(140, 34 * rows + 60) : 280) + "px";
    new Chart(canvas, {
      type: data.kind === "line" ? "line" : "bar",
      data: {
        labels: data.labels,
        datasets: [
          {
            label: data.title,
            data: data.values,
            backgroundColor: COLOURS[0],
            borderColor: COLOURS[0],
            borderWidth: data.kind === "line" ? 2 : 0,
            pointRadius: data.kind === "line" ? 3 : 0,
            spanGaps: false
          }
        ]
      },
      options: options(data, horizontal)
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-chart]"), draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
