// A Leaflet map that needs no internet: tiles only when the deployment names a tile server
// (data-tiles on the element); otherwise a plain background with the official borders drawn
// on it (regency, districts, villages), so that a map is never an empty box.
(function () {
  "use strict";
  // Administrative borders in purple, as on printed maps: no data layer uses the colour.
  var BORDERS = {
    province: { color: "#4a2c6b", weight: 3 },
    regency: { color: "#5b3f7a", weight: 2.5 },
    district: { color: "#8a6aa8", weight: 1.5, dashArray: "6 4" },
    village: { color: "#b9a3c9", weight: 1 }
  };
  window.SambangMap = {
    create: function (element, options) {
      var map = L.map(element, Object.assign({ preferCanvas: true, maxZoom: 18 }, options || {}));
      var tiles = element.dataset.tiles;
      if (tiles) {
        L.tileLayer(tiles, { maxZoom: 19, attribution: element.dataset.attribution || "" }).addTo(map);
      } else {
        element.classList.add("map-plain");
        var outlines = SambangMap.json("map-outlines");
        if (outlines) SambangMap.borders(map, outlines);
      }
      return map;
    },
    // Draw the borders of a GeoJSON FeatureCollection of regions (properties.level) beneath
    // everything else; only where the map has no tiles. Returns the layer, or null.
    borders: function (map, collection) {
      if (!map.getContainer().classList.contains("map-plain") || !collection.features.length) return null;
      var layer = L.geoJSON(collection, {
        interactive: false,
        style: function (f) {
          var line = BORDERS[f.properties.level] || BORDERS.village;
          return Object.assign({ fill: false, opacity: 0.9 }, line);
        }
      }).addTo(map);
      layer.bringToBack();
      return layer;
    },
    json: function (id) {
      var node = document.getElementById(id);
      return node ? JSON.parse(node.textContent) : null;
    }
  };
})();
