/* The map page: area outlines (also without tiles), the reports as grouped markers or as a
   heat map, and address subjects. The points come from the API (bounded: cells with counts
   when there are too many). The same reports are counted per area in the table on the page. */
(function () {
  "use strict";

  function format(template, value) {
    return template.replace("{count}", value);
  }

  function init() {
    var element = document.getElementById("map");
    if (!element || typeof L === "undefined") {
      return;
    }
    var text = element.dataset;
    var status = document.getElementById("map-status");
    var center = (text.center || "52.37,4.89").split(",").map(Number);
    var map = L.map(element, { attributionControl: Boolean(text.tiles), maxZoom: 19 }).setView(center, 13);
    window.BakenMaps.localise(map, text);
    if (text.tiles) {
      L.tileLayer(text.tiles, { maxZoom: 19 }).addTo(map);
    }

    var outlines = JSON.parse(document.getElementById("map-areas").textContent);
    var areaLayer = L.geoJSON(outlines, {
      style: { color: "#154273", weight: 2, fillOpacity: 0.05 },
      onEachFeature: function (feature, layer) {
        layer.bindTooltip(feature.properties.name, { sticky: true });
      }
    }).addTo(map);
    if (outlines.features.length) {
      map.fitBounds(areaLayer.getBounds(), { padding: [10, 10] });
    }

    var markers = L.markerClusterGroup
      ? L.markerClusterGroup({ iconCreateFunction: window.BakenMaps.clusterIcon(text) })
      : L.layerGroup();
    var heat = null;
    var addresses = L.layerGroup();
    var bounds = L.latLngBounds([]);

    function link(point) {
      var a = document.createElement("a");
      a.href = text.reportUrl.replace(/0$/, encodeURIComponent(point.id));
      a.textContent = point.reference + (point.category ? " — " + point.category : "");
      a.title = text.textOpen;
      return a;
    }

    function show(data) {
      var weighted = [];
      data.points.forEach(function (point) {
        var marker = L.circleMarker([point.lat, point.lon], { radius: 7, color: "#01689b", weight: 2 });
        marker.bindPopup(link(point));
        markers.addLayer(marker);
        weighted.push([point.lat, point.lon, 1]);
        bounds.extend([point.lat, point.lon]);
      });
      var most = data.cells.reduce(function (m, c) { return Math.max(m, c.count); }, 1);
      data.cells.forEach(function (cell) {
        var size = 24 + Math.round(16 * cell.count / most);
        var named = window.BakenMaps.countText(text, cell.count);
        var icon = L.divIcon({
          className: "map-cell",
          html: '<span aria-hidden="true">' + cell.count + '</span><span class="visually-hidden">' + named + "</span>",
          iconSize: [size, size]
        });
        markers.addLayer(L.marker([cell.lat, cell.lon], { icon: icon, keyboard: false, title: named, count: cell.count }));
        weighted.push([cell.lat, cell.lon, cell.count / most]);
        bounds.extend([cell.lat, cell.lon]);
      });
      data.addresses.forEach(function (address) {
        var marker = L.circleMarker([address.lat, address.lon], { radius: 5, color: "#8a3b00", weight: 2, dashArray: "2 2" });
        marker.bindTooltip(address.name);
        addresses.addLayer(marker);
      });
      markers.addTo(map);
      addresses.addTo(map);
      if (L.heatLayer) {
        heat = L.heatLayer(weighted, { radius: 25, blur: 15, maxZoom: 17 });
      }
      if (!outlines.features.length && bounds.isValid()) {
        map.fitBounds(bounds, { maxZoom: 16, padding: [20, 20] });
      }
      var shown = data.total === 1 ? text.textPoint : text.textPoints;
      status.textContent = format(data.aggregated ? text.textCells : shown, String(data.total));
      document.getElementById("map-tools").hidden = false;
    }

    function toggle(id, layer) {
      document.getElementById(id).addEventListener("change", function (event) {
        var current = typeof layer === "function" ? layer() : layer;
        if (!current) { return; }
        if (event.target.checked) { current.addTo(map); } else { map.removeLayer(current); }
      });
    }
    toggle("layer-markers", markers);
    toggle("layer-heat", function () { return heat; });
    toggle("layer-addresses", addresses);

    status.textContent = text.textLoading;
    fetch(text.pointsUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(show)
      .catch(function (error) {
        status.textContent = text.textFailed;
        window.console.error(error);
      });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
