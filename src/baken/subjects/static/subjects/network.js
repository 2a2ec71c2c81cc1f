/* The network page (subjects/network.html): Cytoscape.js drawing of the subjects and
 * relations the user may see, expanded step by step. No inline script (CSP): the data and
 * the translated texts come from <script type="application/json"> blocks.
 *
 * The tables below the graph are the text alternative: they list the same nodes and edges,
 * and are kept in step as the network grows, so a keyboard or screen-reader user can do
 * everything (expand, follow) without the canvas.
 */
(function () {
  "use strict";

  var root = document.getElementById("network");
  if (!root || typeof window.cytoscape !== "function") {
    return;
  }
  var dataUrl = root.getAttribute("data-url");
  var strings = JSON.parse(document.getElementById("network-strings").textContent);
  var initial = JSON.parse(document.getElementById("network-data").textContent);
  var statusBox = document.getElementById("network-status");
  var controls = document.getElementById("network-controls");
  var nodesBody = document.querySelector("#network-nodes tbody");
  var edgesBody = document.querySelector("#network-edges tbody");
  var expanded = {};
  var names = {};

  var colours = { person: "#01689b", organisation: "#8f4a00", address: "#39870c", vehicle: "#6b2c91" };

  var cy = window.cytoscape({
    container: document.getElementById("network-graph"),
    wheelSensitivity: 0.3,
    style: [
      {
        selector: "node",
        style: {
          label: "data(name)",
          "background-color": function (node) { return colours[node.data("kind")] || "#555"; },
          color: "#000",
          "font-size": 12,
          "text-valign": "bottom",
          "text-margin-y": 4,
          "text-wrap": "ellipsis",
          "text-max-width": 160,
          "text-background-color": "#fff",
          "text-background-opacity": 0.9,
          "text-background-padding": 2
        }
      },
      { selector: "node.root", style: { "border-width": 4, "border-color": "#000" } },
      {
        selector: "edge",
        style: {
          label: "data(label)",
          "font-size": 10,
          "curve-style": "bezier",
          "target-arrow-shape": "triangle",
          width: 2,
          "line-color": "#757575",
          "target-arrow-color": "#757575",
          "text-rotation": "none",
          "text-background-color": "#fff",
          "text-background-opacity": 1,
          "text-background-padding": 2,
          color: "#333"
        }
      },
      { selector: ".path", style: { "line-color": "#d52b1e", "target-arrow-color": "#d52b1e", "background-color": "#d52b1e", width: 5 } },
      { selector: ".filtered", style: { display: "none" } }
    ]
  });

  function say(text) {
    statusBox.textContent = text;
  }

  function format(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_m, key) { return values[key]; });
  }

  function cell(row, text) {
    var td = document.createElement("td");
    td.textContent = text;
    row.appendChild(td);
    return td;
  }

  function addNodeRow(node) {
    if (nodesBody.querySelector('tr[data-node="' + node.id + '"]')) {
      return;
    }
    var row = document.createElement("tr");
    row.setAttribute("data-node", node.id);
    var first = cell(row, "");
    var link = document.createElement("a");
    link.href = node.url || "#";
    link.textContent = node.name;
    first.appendChild(link);
    cell(row, node.kind_label);
    var action = cell(row, "");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button button--secondary";
    button.setAttribute("data-expand", node.id);
    button.textContent = strings.expand + " ";
    var hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = node.name;
    button.appendChild(hidden);
    action.appendChild(button);
    nodesBody.appendChild(row);
  }

  // "2026-12-05" (as the data has it) written the one Dutch way of the page: "05-12-2026".
  function dutchDate(iso) {
    return iso ? iso.split("-").reverse().join("-") : "…";
  }

  function addEdgeRow(edge) {
    if (edgesBody.querySelector('tr[data-edge="' + edge.id + '"]')) {
      return;
    }
    var row = document.createElement("tr");
    row.setAttribute("data-edge", edge.id);
    cell(row, names[edge.source]);
    cell(row, edge.label);
    cell(row, names[edge.target]);
    cell(row, dutchDate(edge.start_date) + " – " + dutchDate(edge.end_date));
    edgesBody.appendChild(row);
  }

  function merge(data) {
    var added = [];
    data.nodes.forEach(function (node) {
      names[node.id] = node.name;
      addNodeRow(node);
      if (cy.getElementById(String(node.id)).empty()) {
        added.push({ group: "nodes", data: { id: String(node.id), name: node.name, kind: node.kind } });
      }
    });
    data.edges.forEach(function (edge) {
      addEdgeRow(edge);
      if (cy.getElementById("e" + edge.id).empty()) {
        added.push({
          group: "edges",
          data: { id: "e" + edge.id, source: String(edge.source), target: String(edge.target), kind: edge.kind, label: edge.label }
        });
      }
    });
    cy.add(added);
    applyFilters();
    layout();
    fillPathChoices();
    if (data.truncated) {
      say(strings.truncated);
    }
  }

  // A small network in rings around the subject (the same picture every time, with room for
  // the labels); a larger one by force-directed placement.
  function layout() {
    var options = cy.nodes().length <= 16
      ? {
          name: "concentric",
          concentric: function (node) { return node.hasClass("root") ? 2 : 1; },
          levelWidth: function () { return 1; },
          minNodeSpacing: 110,
          spacingFactor: 1.2
        }
      : { name: "cose", idealEdgeLength: 140, nodeRepulsion: 9000 };
    cy.layout(Object.assign({ animate: false, fit: true, padding: 40 }, options)).run();
    if (cy.zoom() > 1.4) {
      cy.zoom(1.4);
      cy.center();
    }
  }

  function expand(id) {
    if (expanded[id]) {
      say(format(strings.expanded, { name: names[id] || id }));
      return;
    }
    var url = dataUrl.replace(/\/\d+\/netwerk\.json$/, "/" + id + "/netwerk.json") + "?depth=1";
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (data) {
        expanded[id] = true;
        merge(data);
        say(format(strings.expanded, { name: names[id] || id }));
      })
      .catch(function () { say(strings.failed); });
  }

  function checked(name) {
    var values = {};
    controls.querySelectorAll('input[name="' + name + '"]').forEach(function (box) {
      values[box.value] = box.checked;
    });
    return values;
  }

  function applyFilters() {
    var relationKinds = checked("relation_kind");
    var subjectKinds = checked("subject_kind");
    cy.batch(function () {
      cy.nodes().forEach(function (node) {
        node.toggleClass("filtered", subjectKinds[node.data("kind")] === false && !node.hasClass("root"));
      });
      cy.edges().forEach(function (edge) {
        var hidden = relationKinds[edge.data("kind")] === false ||
          edge.source().hasClass("filtered") || edge.target().hasClass("filtered");
        edge.toggleClass("filtered", hidden);
      });
    });
  }

  function fillPathChoices() {
    ["path-from", "path-to"].forEach(function (id, index) {
      var select = document.getElementById(id);
      var current = select.value;
      select.textContent = "";
      cy.nodes().sort(function (a, b) { return a.data("name").localeCompare(b.data("name")); })
        .forEach(function (node, position) {
          var option = document.createElement("option");
          option.value = node.id();
          option.textContent = node.data("name");
          option.selected = current ? current === node.id() : position === index;
          select.appendChild(option);
        });
    });
  }

  function showPath() {
    cy.elements().removeClass("path");
    var from = cy.getElementById(document.getElementById("path-from").value);
    var to = cy.getElementById(document.getElementById("path-to").value);
    var visible = cy.elements().not(".filtered");
    var found = visible.aStar({ root: from, goal: to, directed: false });
    if (!found.found) {
      say(strings.noPath);
      return;
    }
    found.path.addClass("path");
    say(format(strings.path, {
      names: found.path.nodes().map(function (node) { return node.data("name"); }).join(" → ")
    }));
  }

  function exportPng() {
    var link = document.getElementById("network-download");
    link.href = cy.png({ full: true, bg: "#ffffff", scale: 2 });
    link.hidden = false;
    link.focus();
  }

  controls.addEventListener("change", function (event) {
    if (event.target.name === "relation_kind" || event.target.name === "subject_kind") {
      applyFilters();
    }
  });
  document.getElementById("path-show").addEventListener("click", showPath);
  document.getElementById("path-clear").addEventListener("click", function () {
    cy.elements().removeClass("path");
    say("");
  });
  document.getElementById("network-png").addEventListener("click", exportPng);
  nodesBody.addEventListener("click", function (event) {
    var trigger = event.target.closest("[data-expand]");
    if (trigger) {
      event.preventDefault();
      expand(trigger.getAttribute("data-expand"));
    }
  });
  cy.on("tap", "node", function (event) { expand(event.target.id()); });

  expanded[String(initial.subject)] = true;
  merge(initial);
  cy.getElementById(String(initial.subject)).addClass("root");
}());
