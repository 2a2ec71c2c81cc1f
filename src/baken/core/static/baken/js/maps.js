/* Leaflet in the page's language (WCAG 3.1.2): the zoom buttons and the attribution get the
   texts the template rendered from gettext into data attributes (core/_map_texts.html), and a
   cluster of markers is a button named by what it holds ("14 meldingen"), not by a bare
   number. No inline script: the strict CSP forbids it. */
(function () {
  "use strict";

  function escape(value) {
    var span = document.createElement("span");
    span.textContent = value;
    return span.innerHTML;
  }

  function countText(texts, count) {
    var template = count === 1 ? texts.textClusterOne : texts.textClusterOther;
    return (template || "{count}").replace("{count}", String(count));
  }

  /* The zoom control and the attribution prefix in the page's language; and the default
     marker's images by the addresses the template gave: Leaflet guesses them from its
     stylesheet's url(images/marker-icon.png), which collectstatic's hashed names break (the
     pin then asked for /marker-icon.png and showed a broken image in production). */
  function localise(map, texts) {
    if (texts.iconUrl && window.L.Icon && window.L.Icon.Default) {
      window.L.Icon.Default.imagePath = "";
      window.L.Icon.Default.mergeOptions({
        iconUrl: texts.iconUrl,
        iconRetinaUrl: texts.iconRetinaUrl,
        shadowUrl: texts.shadowUrl,
      });
    }
    if (map.zoomControl) {
      map.removeControl(map.zoomControl);
      map.zoomControl = window.L.control
        .zoom({ zoomInTitle: texts.textZoomIn, zoomOutTitle: texts.textZoomOut })
        .addTo(map);
    }
    if (map.attributionControl) {
      map.attributionControl.setPrefix(
        '<a href="https://leafletjs.com" title="' + escape(texts.textLeaflet) + '">Leaflet</a>'
      );
    }
    return map;
  }

  /* markercluster's icon, named by the number of reports it holds (a marker may stand for
     several: a cell of the map with its count). */
  function clusterIcon(texts) {
    return function (cluster) {
      var count = cluster.getAllChildMarkers().reduce(function (sum, marker) {
        return sum + (marker.options.count || 1);
      }, 0);
      var size = count < 10 ? "small" : count < 100 ? "medium" : "large";
      return window.L.divIcon({
        html: '<div><span aria-hidden="true">' + count + '</span><span class="visually-hidden">' +
          escape(countText(texts, count)) + "</span></div>",
        className: "marker-cluster marker-cluster-" + size,
        iconSize: window.L.point(40, 40)
      });
    };
  }

  window.BakenMaps = { localise: localise, clusterIcon: clusterIcon, countText: countText };
})();
