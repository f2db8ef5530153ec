// The residents' report form: names only when not anonymous; where it happened, by tapping
// the map or by the phone's position.
(function () {
  "use strict";
  var form = document.getElementById("citizen-form");
  if (!form) return;
  // The form's one-time token. The page the back button shows is fetched again, with a
  // new token: the one it was sent with is kept for this tab, so that the form sent again
  // from there is the report it made, not a second one.
  var submission = form.querySelector("[name=submission]");
  var navigation = window.performance && performance.getEntriesByType
    ? performance.getEntriesByType("navigation")[0] : null;
  var tokenKey = "sambang.submission:" + location.pathname;
  try {
    var kept = sessionStorage.getItem(tokenKey);
    if (submission && kept && navigation && navigation.type === "back_forward") {
      submission.value = kept;
    } else if (submission) {
      sessionStorage.setItem(tokenKey, submission.value);
    }
  } catch (e) { /* no storage (private mode): the token the page came with */ }
  var anonymous = form.querySelector("#anonymous");
  var identity = form.querySelector("[data-identity]");
  function showIdentity() { identity.hidden = anonymous.checked; }
  anonymous.addEventListener("change", showIdentity);
  showIdentity();
  var latitude = form.querySelector("#latitude");
  var longitude = form.querySelector("#longitude");
  var status = form.querySelector("#gps-status");
  var marker = null;
  var map = null;
  function place(lat, lng) {
    latitude.value = lat.toFixed(6);
    longitude.value = lng.toFixed(6);
    status.textContent = lat.toFixed(5) + ", " + lng.toFixed(5);
    if (!map) return;
    if (marker) marker.setLatLng([lat, lng]);
    else marker = L.marker([lat, lng]).addTo(map);
  }
  var element = document.getElementById("pick-map");
  if (element && window.L && window.SambangMap) {
    map = SambangMap.create(element);
    var boundary = SambangMap.json("village-boundary");
    var lat = parseFloat(element.dataset.lat), lng = parseFloat(element.dataset.lng);
    if (boundary) {
      var shape = L.geoJSON(boundary, { style: { color: "#1f3a68", weight: 2, fillOpacity: 0.05 } });
      shape.addTo(map);
      map.fitBounds(shape.getBounds());
    } else if (!isNaN(lat) && !isNaN(lng)) {
      map.setView([lat, lng], 14);
    } else {
      map.setView([-2.5, 118], 5);
    }
    map.on("click", function (e) { place(e.latlng.lat, e.latlng.lng); });
    if (latitude.value && longitude.value) place(parseFloat(latitude.value), parseFloat(longitude.value));
  } else if (element) {
    element.hidden = true;
  }
  form.querySelector("#gps-button").addEventListener("click", function () {
    if (!navigator.geolocation) return;
    status.textContent = "…";
    navigator.geolocation.getCurrentPosition(function (p) {
      place(p.coords.latitude, p.coords.longitude);
      if (map) map.setView([p.coords.latitude, p.coords.longitude], Math.max(map.getZoom(), 16));
    }, function (e) { status.textContent = e.message; }, { enableHighAccuracy: true, timeout: 20000 });
  });
})();
