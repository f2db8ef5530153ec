// A village on its page: its outline (or, unmapped, its centre) over the borders around it.
(function () {
  "use strict";
  var element = document.getElementById("village-map");
  if (!element || !window.L || !window.SambangMap) return;
  var map = SambangMap.create(element);
  var boundary = SambangMap.json("village-boundary");
  var lat = parseFloat(element.dataset.lat), lng = parseFloat(element.dataset.lng);
  if (boundary) {
    var shape = L.geoJSON(boundary, {
      interactive: false,
      style: { color: "#1f3a68", weight: 3, fillColor: "#1f3a68", fillOpacity: 0.12 }
    }).addTo(map);
    map.fitBounds(shape.getBounds(), { padding: [16, 16] });
  } else if (!isNaN(lat) && !isNaN(lng)) {
    L.circleMarker([lat, lng], { radius: 8, color: "#1f3a68", weight: 2, fillOpacity: 0.5 }).addTo(map);
    map.setView([lat, lng], 14);
  } else {
    map.setView([-2.5, 118], 5);
  }
})();
