// The report form: show the section the chosen activity needs (and its guidance), and fill
// in the GPS fix.
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
    // The library's guidance for the chosen activity.
    form.querySelectorAll("[data-guidance]").forEach(function (help) {
      help.hidden = help.getAttribute("data-guidance") !== type.value;
    });
  }

  var consent = form.querySelector("#household-consent");
  function showConsent() {
    var names = form.querySelector("[data-consent]");
    if (names && consent) names.hidden = !consent.checked;
  }

  var status = form.querySelector("#gps-status");
  function locate() {
    // The page's words for each outcome (the browser's own messages are in its language).
    if (!navigator.geolocation) {
      status.textContent = status.getAttribute("data-unavailable");
      return;
    }
    status.textContent = status.getAttribute("data-locating");
    navigator.geolocation.getCurrentPosition(
      function (position) {
        var c = position.coords;
        form.querySelector("#latitude").value = c.latitude.toFixed(6);
        form.querySelector("#longitude").value = c.longitude.toFixed(6);
        form.querySelector("#accuracy_m").value = Math.round(c.accuracy);
        status.textContent = c.latitude.toFixed(5) + ", " + c.longitude.toFixed(5) + " (± " + Math.round(c.accuracy) + " m)";
      },
      function (error) {
        var words = { 1: "data-denied", 2: "data-unavailable", 3: "data-failed" }[error.code] || "data-failed";
        status.textContent = status.getAttribute(words);
      },
      { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 }
    );
  }

  // A new report goes to the phone's outbox first, then to the server: nothing is lost if
  // the connection is gone or drops halfway. (Editing a sent report still needs a connection.)
  if (form.hasAttribute("data-outbox") && window.SambangOutbox && window.indexedDB) {
    var labels = JSON.parse(document.getElementById("outbox-labels").textContent);
    var notice = document.getElementById("outbox-message");
    var kept = null;  // the record being corrected, with its photos
    var params = new URLSearchParams(window.location.search);
    var pad = function (n) { return String(n).padStart(2, "0"); };
    var now = new Date();
    if (window.crypto && crypto.randomUUID) form.querySelector("[name=uuid]").value = crypto.randomUUID();
    form.querySelector("#occurred_at").value = now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" +
      pad(now.getDate()) + "T" + pad(now.getHours()) + ":" + pad(now.getMinutes());
    if (params.get("outbox")) {
      SambangOutbox.get(params.get("outbox")).then(function (record) {
        if (!record) return;
        kept = record;
        form.querySelectorAll("input[type=checkbox]").forEach(function (box) { box.checked = false; });
        record.fields.forEach(function (field) {
          if (field.blob || field.name === "csrfmiddlewaretoken") return;
          form.querySelectorAll("[name='" + field.name + "']").forEach(function (input) {
            if (input.type === "checkbox" || input.type === "radio") {
              if (input.value === field.value || (input.value === "on" && field.value === "on")) input.checked = true;
            } else {
              input.value = field.value;
            }
          });
        });
        notice.textContent = record.message;
        notice.className = "message error";
        notice.hidden = false;
        showSections();
        showConsent();
      });
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var chosen = function (select) { var o = select.options[select.selectedIndex]; return o ? o.text : ""; };
      var record = SambangOutbox.fromForm(form, event.submitter, {
        label: chosen(type) + " · " + chosen(form.querySelector("#village")),
        token: (document.cookie.match(/(?:^|; )csrftoken=([^;]+)/) || [])[1] || ""
      });
      if (kept) {  // a correction keeps the photos already taken, unless new ones were chosen
        record.created = kept.created;
        if (!record.fields.some(function (f) { return f.blob; })) {
          record.fields = record.fields.concat(kept.fields.filter(function (f) { return f.blob; }));
        }
      }
      SambangOutbox.put(record).then(function () {
        if (navigator.serviceWorker && navigator.serviceWorker.ready) {
          navigator.serviceWorker.ready.then(function (registration) {
            if (registration.sync) registration.sync.register("sambang-outbox").catch(function () {});
          });
        }
        if (!navigator.onLine) return record;
        return SambangOutbox.send(record, decodeURIComponent(record.token), true);
      }).then(function (sent) {
        if (sent.state === "sent") { window.location.href = sent.link; return; }
        if (sent.state === "attention") {
          kept = sent;
          notice.textContent = sent.message;
          notice.className = "message error";
          notice.hidden = false;
          window.scrollTo(0, 0);
          return;
        }
        window.location.href = "/field/?kept=" + encodeURIComponent(sent.uuid);
      });
    });
  }

  type.addEventListener("change", showSections);
  if (consent) consent.addEventListener("change", showConsent);
  var gps = form.querySelector("#gps-button");  // absent where a supervisor records a late report
  if (gps) gps.addEventListener("click", locate);
  showSections();
  showConsent();
  if (gps && !form.querySelector("#latitude").value) locate();
})();
