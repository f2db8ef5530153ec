// The residents' report form: names only when not anonymous; the position on request.
(function () {
  "use strict";
  var form = document.getElementById("citizen-form");
  if (!form) return;
  var anonymous = form.querySelector("#anonymous");
  var identity = form.querySelector("[data-identity]");
  function showIdentity() { identity.hidden = anonymous.checked; }
  anonymous.addEventListener("change", showIdentity);
  showIdentity();
  var status = form.querySelector("#gps-status");
  form.querySelector("#gps-button").addEventListener("click", function () {
    if (!navigator.geolocation) return;
    status.textContent = "…";
    navigator.geolocation.getCurrentPosition(function (p) {
      form.querySelector("#latitude").value = p.coords.latitude.toFixed(6);
      form.querySelector("#longitude").value = p.coords.longitude.toFixed(6);
      status.textContent = p.coords.latitude.toFixed(5) + ", " + p.coords.longitude.toFixed(5);
    }, function (e) { status.textContent = e.message; }, { enableHighAccuracy: true, timeout: 20000 });
  });
})();
