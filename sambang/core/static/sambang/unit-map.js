// A unit's month on a map: villages (or the units below) coloured by the chosen indicator,
// incidents and residents' reports clustered, vulnerable spots, incidents per hexagon and
// the hot spots. Every layer comes from the JSON API; nothing from the internet.
(function () {
  "use strict";
  var element = document.getElementById("unit-map");
  if (!element || !window.L || !window.SambangMap) return;
  var labels = SambangMap.json("map-labels") || {};
  var note = document.getElementById("map-note");
  var legend = document.getElementById("map-legend");
  var map = SambangMap.create(element);
  map.setView([-2.5, 118], 5);
  // Without tiles, the borders around the unit's villages are the map's background.
  var borders = element.dataset.tiles ? Promise.resolve(null)
    : load("outlines").then(function (data) { return SambangMap.borders(map, data); });
  var scale = ["#f1eef6", "#bdc9e1", "#74a9cf", "#2b8cbe", "#045a8d"];
  var control = L.control.layers(null, null, { collapsed: window.innerWidth < 600 }).addTo(map);

  function url(layer) {
    return element.dataset.api.replace("LAYER", layer) + "?indicator=" + element.dataset.indicator;
  }
  function load(layer) {
    return fetch(url(layer), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); });
  }
  // Numbers as the page's language writes them (Bahasa Indonesia: 4,92).
  function num(value) {
    return Number(value).toLocaleString(document.documentElement.lang || "id", { maximumFractionDigits: 2 });
  }

  function text(value) {
    var span = document.createElement("span");
    span.textContent = value == null ? "" : String(value);
    return span.innerHTML;
  }
  function breaks(values) {
    // Five equal steps up to the largest value, without repeats (small counts, few steps).
    var top = Math.max.apply(null, values.concat([0]));
    var limits = [];
    [0, 0.2, 0.4, 0.6, 0.8].forEach(function (f) {
      var b = Math.round(top * f * 10) / 10;
      if (limits.indexOf(b) < 0 && (f === 0 || b < top)) limits.push(b);
    });
    return limits;
  }
  function colour(value, limits) {
    var index = 0;
    for (var i = 0; i < limits.length; i++) if (value > limits[i]) index = i;
    return value > 0 ? scale[index] : "#ffffff";
  }
  // Built node by node: the page's Content-Security-Policy allows no style attributes in
  // markup, only styles set from script.
  function legendItem(list, fill, label) {
    var item = document.createElement("li");
    if (fill) {
      var swatch = document.createElement("i");
      swatch.style.background = fill;
      item.appendChild(swatch);
    }
    item.appendChild(document.createTextNode((fill ? " " : "") + label));
    list.appendChild(item);
  }
  function showLegend(title, limits, top) {
    var heading = document.createElement("strong");
    heading.textContent = title;
    var list = document.createElement("ul");
    legend.replaceChildren(heading, list);
    if (!top) {
      legendItem(list, null, labels.empty);
      return;
    }
    legendItem(list, "#ffffff", "0");
    limits.forEach(function (low, i) {
      var high = limits[i + 1];
      legendItem(list, scale[i], "> " + low + (high != null ? " – " + high : ""));
    });
  }

  var area = load("area").then(function (data) {
    var values = data.features.map(function (f) { return f.properties.value; });
    var limits = breaks(values);
    var top = Math.max.apply(null, values.concat([1]));
    var layer = L.geoJSON(data, {
      style: function (f) {
        return { color: "#1f3a68", weight: 1, fillColor: colour(f.properties.value, limits), fillOpacity: 0.75 };
      },
      pointToLayer: function (f, latlng) {
        var radius = 5 + 20 * Math.sqrt(f.properties.value / top);
        return L.circleMarker(latlng, { radius: radius, color: "#1f3a68", weight: 1, fillColor: colour(f.properties.value, limits), fillOpacity: 0.8 });
      },
      onEachFeature: function (f, shape) {
        var p = f.properties;
        var link = data.level === "unit" && element.dataset.drill
          ? element.dataset.drill.replace("CODE", encodeURIComponent(p.code))
          : element.dataset.village.replace("CODE", encodeURIComponent(p.code));
        shape.bindPopup("<strong>" + text(p.name) + "</strong><br>" + text(data.label) + ": " + text(p.value) + '<br><a href="' + link + '">' + text(labels.open) + "</a>");
      }
    }).addTo(map);
    control.addOverlay(layer, text((data.level === "unit" ? labels.units : labels.villages) + ": " + data.label));
    showLegend(data.label, limits, Math.max.apply(null, values.concat([0])));
    if (data.features.length) map.fitBounds(layer.getBounds(), { padding: [12, 12] });
    else borders.then(function (lines) { if (lines) map.fitBounds(lines.getBounds()); });
    return layer;
  });
  // The borders over the coloured villages (they are not clickable), under the points.
  Promise.all([borders, area]).then(function (layers) { if (layers[0]) layers[0].bringToFront(); })
    .catch(function (e) { note.textContent = String(e); });

  function cluster(name, colourOf) {
    return load(name).then(function (data) {
      var group = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40 });
      data.features.forEach(function (f) {
        var c = f.geometry.coordinates, p = f.properties;
        group.addLayer(L.circleMarker([c[1], c[0]], { radius: 6, color: "#fff", weight: 1, fillColor: colourOf(p), fillOpacity: 0.9 })
          .bindPopup("<strong>" + text(p.label) + "</strong><br>" + text(p.date) + (p.village ? " · " + text(p.village) : "") + (p.status ? " · " + text(p.status) : "")));
      });
      return group;
    });
  }
  var overlays = [
    [labels.incidents, cluster("incidents", function () { return "#a4161a"; }), true],
    [labels.reports, cluster("citizen-reports", function () { return "#f2b705"; }), false],
    [labels.spots, load("spots").then(function (data) {
      var tone = { high: "#a4161a", medium: "#f2b705", low: "#1d6b34" };
      return L.geoJSON(data, {
        pointToLayer: function (f, latlng) {
          return L.circleMarker(latlng, { radius: 7, color: "#14284b", weight: 2, fillColor: tone[f.properties.level] || "#888", fillOpacity: 0.9 });
        },
        onEachFeature: function (f, shape) {
          var p = f.properties;
          shape.bindPopup("<strong>" + text(p.label) + "</strong> (" + text(p.level_label) + ")<br>" + text(p.village) + "<br>" + text(p.note));
        }
      });
    }), false],
    [labels.heat, load("heat").then(function (data) {
      var top = Math.max.apply(null, data.features.map(function (f) { return f.properties.value; }).concat([1]));
      return L.geoJSON(data, {
        style: function (f) { return { color: "#a4161a", weight: 0.5, fillColor: "#a4161a", fillOpacity: 0.15 + 0.6 * f.properties.value / top }; },
        onEachFeature: function (f, shape) { shape.bindTooltip(num(f.properties.value)); }
      });
    }), false],
    [labels.hotspots, load("hotspots").then(function (data) {
      var pai = data.pai == null ? labels.none : num(data.pai);
      note.textContent = data.note || (labels.hotspots + ": " + data.features.length + " · " + labels.pai + ": " + pai);
      return L.geoJSON(data, {
        style: function (f) { return { color: "#14284b", weight: 2, dashArray: "4", fillColor: "#a4161a", fillOpacity: Math.min(0.8, 0.2 + f.properties.z / 8) }; },
        onEachFeature: function (f, shape) { shape.bindTooltip("z = " + num(f.properties.z) + ", p = " + num(f.properties.p) + " (" + f.properties.incidents + ")"); }
      });
    }), true]
  ];
  area.then(function () {
    overlays.forEach(function (entry) {
      entry[1].then(function (layer) {
        control.addOverlay(layer, text(entry[0]));
        if (entry[2]) layer.addTo(map);
      }).catch(function (e) { note.textContent = String(e); });
    });
  }).catch(function (e) { note.textContent = String(e); });
})();
