// Installs the service worker, offers a new version when one is waiting, and forgets the
// cached pages when the user logs out.
(function () {
  "use strict";
  // A select marked data-autosubmit sends its form on change (the policy allows no inline
  // event handlers).
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  // The menu is open on a desktop; on a phone it waits behind its "Menu" button (without
  // scripts it stays open on both).
  var menu = document.querySelector(".nav-menu");
  if (menu && !window.matchMedia("(min-width: 48rem)").matches) menu.open = false;
  // Its groups open one at a time and close on a click elsewhere.
  var groups = document.querySelectorAll(".nav-group > details");
  groups.forEach(function (group) {
    group.addEventListener("toggle", function () {
      if (!group.open) return;
      groups.forEach(function (other) { if (other !== group) other.open = false; });
    });
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest(".nav-group")) return;
    groups.forEach(function (group) { group.open = false; });
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
  // While online, keep the pages linked with data-keep for reading without a connection:
  // the officer's report form, plans and villages (from their day), the library's documents.
  function warm() {
    var urls = [].slice.call(document.querySelectorAll("[data-keep]")).map(function (a) { return a.getAttribute("href"); });
    if (!navigator.onLine || !urls.length) return;
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.active) registration.active.postMessage({ warm: urls });
    });
  }
  window.addEventListener("online", warm);
  warm();
  document.querySelectorAll("form[data-logout]").forEach(function (form) {
    form.addEventListener("submit", function () {
      if (navigator.serviceWorker.controller) navigator.serviceWorker.controller.postMessage("forget");
    });
  });
})();
