// The report form: show the section the chosen activity needs, and fill in the GPS fix.
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) return;
  var type = form.querySelector("#activity_type");

  function required() {
    var option = type.options[type.selectedIndex];
    return option ? (option.getAttribute("data-required") || "").split(" ") : [];
  }

  function showSections() {
    var needs = required();
    form.querySelectorAll("[data-section]").forEach(function (section) {
      var shown = needs.indexOf(section.getAttribute("data-section")) >= 0;
      section.hidden = !shown;
      section.disabled = !shown;
    });
    form.querySelectorAll("[data-needs]").forEach(function (field) {
      field.classList.toggle("needed", needs.indexOf(field.getAttribute("data-needs")) >= 0);
    });
  }

  var consent = form.querySelector("#household-consent");
  function showConsent() {
    var names = form.querySelector("[data-consent]");
    if (names && consent) names.hidden = !consent.checked;
  }

  var status = form.querySelector("#gps-status");
  function locate() {
    if (!navigator.geolocation) {
      status.textContent = status.getAttribute("data-unavailable") || "GPS unavailable";
      return;
    }
    status.textContent = "…";
    navigator.geolocation.getCurrentPosition(
      function (position) {
        var c = position.coords;
        form.querySelector("#latitude").value = c.latitude.toFixed(6);
        form.querySelector("#longitude").value = c.longitude.toFixed(6);
        form.querySelector("#accuracy_m").value = Math.round(c.accuracy);
        status.textContent = c.latitude.toFixed(5) + ", " + c.longitude.toFixed(5) + " (± " + Math.round(c.accuracy) + " m)";
      },
      function (error) { status.textContent = error.message; },
      { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 }
    );
  }

  type.addEventListener("change", showSections);
  if (consent) consent.addEventListener("change", showConsent);
  form.querySelector("#gps-button").addEventListener("click", locate);
  showSections();
  showConsent();
  if (!form.querySelector("#latitude").value) locate();
})();
