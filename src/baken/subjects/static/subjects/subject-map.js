/* The places of a subject on a small Leaflet map. Tiles only when a tile server is set
   (settings.MAP_TILE_URL); without one the markers are drawn on a blank map. */
(function () {
  "use strict";
  function init() {
    var element = document.getElementById("subject-map");
    if (!element || typeof L === "undefined") {
      return;
    }
    var places = JSON.parse(element.dataset.places || "[]");
    if (!places.length) {
      return;
    }
    var map = window.BakenMaps.localise(L.map(element, { scrollWheelZoom: false }), element.dataset);
    var tiles = element.dataset.tileUrl;
    if (tiles) {
      L.tileLayer(tiles, { maxZoom: 19 }).addTo(map);
    }
    var points = places.map(function (place) {
      var marker = L.circleMarker([place.lat, place.lon], { radius: 7 }).addTo(map);
      marker.bindTooltip(place.label);
      return [place.lat, place.lon];
    });
    map.fitBounds(points, { maxZoom: 16, padding: [20, 20] });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
