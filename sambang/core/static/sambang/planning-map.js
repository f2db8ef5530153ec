// The villages of a recommendation: grey where the officer stays, orange where it changes;
// a line from each officer's base village to each of their recommended villages.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var element = document.getElementById("planning-map");
    var villages = SambangMap.json("planning-villages");
    if (!element || !villages || !villages.length) return;
    var map = SambangMap.create(element);
    var points = [];
    villages.forEach(function (v) {
      var here = [v.lat, v.lng];
      points.push(here);
      if (v.base && (v.base[0] !== v.lat || v.base[1] !== v.lng)) {
        L.polyline([v.base, here], { color: "#5b6b82", weight: 1, opacity: 0.6, interactive: false }).addTo(map);
      }
      L.circleMarker(here, {
        radius: 6, weight: 1, color: "#1d2b3f",
        fillColor: v.changed ? "#e07b00" : "#9aa5b4", fillOpacity: 0.9
      }).bindTooltip(v.name + " (" + v.code + "): " + (v.before.join(", ") || "–") + " → " + v.after.join(", ")).addTo(map);
    });
    map.fitBounds(points, { padding: [16, 16] });
  });
})();
