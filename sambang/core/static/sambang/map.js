// A Leaflet map that needs no internet: tiles only when the deployment names a tile server
// (data-tiles on the element); otherwise a plain background under our own shapes and points.
(function () {
  "use strict";
  window.SambangMap = {
    create: function (element, options) {
      var map = L.map(element, Object.assign({ preferCanvas: true, maxZoom: 18 }, options || {}));
      var tiles = element.dataset.tiles;
      if (tiles) {
        L.tileLayer(tiles, { maxZoom: 19, attribution: element.dataset.attribution || "" }).addTo(map);
      } else {
        element.classList.add("map-plain");
      }
      return map;
    },
    json: function (id) {
      var node = document.getElementById(id);
      return node ? JSON.parse(node.textContent) : null;
    }
  };
})();
