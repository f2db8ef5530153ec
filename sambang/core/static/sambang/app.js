// Installs the service worker, offers a new version when one is waiting, and forgets the
// cached pages when the user logs out.
(function () {
  "use strict";
  // A select marked data-autosubmit sends its form on change (the policy allows no inline
  // event handlers).
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  if (!("serviceWorker" in navigator)) return;
  var updating = false;  // reload only when the user took a new version, never on first install
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(function (registration) {
    function offer(worker) {
      var bar = document.getElementById("app-update");
      if (!bar || !worker) return;
      bar.hidden = false;
      bar.querySelector("button").addEventListener("click", function () {
        updating = true;
        worker.postMessage("skip-waiting");
      });
    }
    if (registration.waiting && navigator.serviceWorker.controller) offer(registration.waiting);
    registration.addEventListener("updatefound", function () {
      var worker = registration.installing;
      worker.addEventListener("statechange", function () {
        if (worker.state === "installed" && navigator.serviceWorker.controller) offer(worker);
      });
    });
  });
  navigator.serviceWorker.addEventListener("controllerchange", function () {
    if (!updating) return;
    updating = false;
    window.location.reload();
  });
  document.querySelectorAll("form[data-logout]").forEach(function (form) {
    form.addEventListener("submit", function () {
      if (navigator.serviceWorker.controller) navigator.serviceWorker.controller.postMessage("forget");
    });
  });
})();
