// The phone's outbox: reports written in the field are kept in IndexedDB (with their
// photos) under their client UUID, then sent; the same report sent twice is one report on
// the server. Used by the pages and by the service worker (no DOM here).
(function (root) {
  "use strict";
  var DB = "sambang";
  var STORE = "outbox";
  var SENT_KEPT_MS = 24 * 3600 * 1000;
  // The server is there but cannot answer for now (a database restart: 503, or a proxy's
  // 502/504): the record is sent again by itself, after the server's Retry-After.
  var BUSY = [502, 503, 504];
  var RETRY_DEFAULT_MS = 30 * 1000;
  var RETRY_MAX_MS = 10 * 60 * 1000;
  // A send that hears nothing back is given up and tried again by itself: a connection that
  // hangs must hold neither the officer's form nor the records behind it. The allowance
  // grows with what is sent, for photos over a weak link (~128 kbit/s).
  var SEND_TIMEOUT_MS = 30 * 1000;
  var SEND_BYTES_PER_S = 16 * 1024;
  var timer = null;
  var timerAt = 0;

  function retryDelay(response) {
    var value = (response.headers.get("Retry-After") || "").trim();
    var ms = /^[0-9]+$/.test(value) ? Number(value) * 1000 : Date.parse(value) - Date.now();
    if (!(ms >= 0)) ms = RETRY_DEFAULT_MS;
    return Math.min(Math.max(ms, 1000), RETRY_MAX_MS);
  }

  function sendTimeout(record) {
    var bytes = record.fields.reduce(function (total, field) {
      return total + (field.blob ? field.blob.size : String(field.value).length);
    }, 0);
    return SEND_TIMEOUT_MS + Math.ceil(bytes / SEND_BYTES_PER_S) * 1000;
  }

  // Tell the pages that records changed while none of them was sending.
  function changed() {
    if (root.clients && root.clients.matchAll) {  // in the service worker
      return root.clients.matchAll().then(function (clients) {
        clients.forEach(function (client) { client.postMessage("outbox-changed"); });
      });
    }
    if (root.dispatchEvent && typeof Event === "function") root.dispatchEvent(new Event("sambang-outbox-changed"));
  }

  // One timer for the whole outbox: the earliest retry wins; each run sends all that is due.
  function retryAt(at, token) {
    if (timer !== null && timerAt <= at) return;
    if (timer !== null) root.clearTimeout(timer);
    timerAt = at;
    timer = root.setTimeout(function () {
      timer = null;
      outbox.sendAll(token).then(changed, changed);
    }, Math.max(at - Date.now(), 0));
  }

  // What the officer reads for each field of a form (its label, or its group's legend), so
  // that the server's reasons name fields as the form does, not by their code names.
  function labelsOf(form) {
    var labels = {};
    Array.prototype.forEach.call(form.elements, function (control) {
      if (!control.name || labels[control.name]) return;
      var label = control.labels && control.labels[0];
      var text = label ? label.textContent : control.getAttribute("aria-label") || "";
      if (!text && control.closest) {
        var legend = control.closest("fieldset") && control.closest("fieldset").querySelector("legend");
        text = legend ? legend.textContent : "";
      }
      text = text.replace(/\s+/g, " ").replace(/[\s*:]+$/, "").trim();
      if (text) labels[control.name] = text;
    });
    return labels;
  }

  function reasons(fields, labels) {
    return Object.keys(fields || {}).map(function (name) {
      var said = [].concat(fields[name]).join(" ");
      if (name === "__all__" || name === "non_field_errors") return said;
      var label = labels[name] || labels[name.split(".")[0]] || name;
      return label + ": " + said;
    });
  }

  function open() {
    return new Promise(function (resolve, reject) {
      var request = root.indexedDB.open(DB, 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE, { keyPath: "uuid" }); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function run(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(STORE, mode);
        var request = work(transaction.objectStore(STORE));
        transaction.oncomplete = function () { db.close(); resolve(request ? request.result : undefined); };
        transaction.onerror = function () { db.close(); reject(transaction.error); };
      });
    });
  }

  var outbox = {
    put: function (record) { return run("readwrite", function (s) { return s.put(record); }); },
    get: function (uuid) { return run("readonly", function (s) { return s.get(uuid); }); },
    remove: function (uuid) { return run("readwrite", function (s) { return s.delete(uuid); }); },
    all: function () {
      return run("readonly", function (s) { return s.getAll(); }).then(function (records) {
        return (records || []).sort(function (a, b) { return a.created < b.created ? 1 : -1; });
      });
    },

    // A record from a submitted form: every field, photos as blobs.
    fromForm: function (form, submitter, extra) {
      var data;
      try {
        data = submitter ? new FormData(form, submitter) : new FormData(form);
      } catch (error) {  // browsers before 2023 take no submitter: add its value by hand
        data = new FormData(form);
        if (submitter && submitter.name) data.append(submitter.name, submitter.value);
      }
      var fields = [];
      data.forEach(function (value, name) {
        if (typeof value === "string") fields.push({ name: name, value: value });
        else if (value && value.size) fields.push({ name: name, blob: value, filename: value.name, type: value.type });
      });
      return Object.assign({
        uuid: data.get("uuid"),
        url: form.getAttribute("action") || root.location.pathname,
        created: new Date().toISOString(),
        fields: fields,
        labels: labelsOf(form),
        state: "waiting",
        message: ""
      }, extra || {});
    },

    // Send one record; its state afterwards: sent, attention (the server refused it, with
    // its reasons) or waiting (no connection, the login has expired, or the server asked
    // to wait or did not answer in time: then it is sent again by itself, after
    // Retry-After or half a minute).
    send: function (record, token, fromForm) {
      var body = new FormData();
      record.fields.forEach(function (field) {
        if (field.name === "csrfmiddlewaretoken") return;
        if (field.blob) body.append(field.name, field.blob, field.filename || "photo.jpg");
        else body.append(field.name, field.value);
      });
      record.state = "sending";
      var abort = typeof AbortController === "function" ? new AbortController() : null;
      var watchdog = null;
      return outbox.put(record).then(function () {
        if (abort) watchdog = root.setTimeout(function () { abort.abort(); }, sendTimeout(record));
        return fetch(record.url, {
          method: "POST",
          body: body,
          credentials: "same-origin",
          redirect: "manual",
          signal: abort ? abort.signal : undefined,
          // "form": the officer is waiting on the form, and the report's page confirms it.
          headers: { "X-Sambang-Sync": fromForm ? "form" : "1", "X-CSRFToken": token || record.token || "" }
        });
      }).then(function (response) {
        if (response.status === 200 || response.status === 201) {
          return response.json().then(function (answer) {
            delete record.retryAt;
            record.state = "sent";
            record.link = answer.url;
            record.message = "";
            record.sent = new Date().toISOString();
          });
        }
        if (response.status === 400 || response.status === 409) {
          return response.json().then(function (answer) {
            var error = answer.error || {};
            record.state = "attention";
            record.message = [error.message].concat(reasons(error.fields, record.labels || {})).join(" ");
          });
        }
        if (BUSY.indexOf(response.status) >= 0) {
          record.state = "waiting";
          record.message = "server";
          record.retryAt = Date.now() + retryDelay(response);
          retryAt(record.retryAt, token);
          return;
        }
        delete record.retryAt;
        record.state = "waiting";  // the login expired or was revoked (a redirect, 401, 403), or the server is down
        record.message = response.type === "opaqueredirect" || response.status === 401 || response.status === 403 ? "login" : "server";
      }).catch(function (error) {
        record.state = "waiting";
        record.message = "";
        if (error && error.name === "AbortError") {  // no answer in time (the server may
          record.message = "server";                 // have it: the UUID makes it once)
          record.retryAt = Date.now() + RETRY_DEFAULT_MS;
          retryAt(record.retryAt, token);
        }
      }).then(function () {
        root.clearTimeout(watchdog);
        return outbox.put(record).then(function () { return record; });
      });
    },

    // Send everything waiting, one at a time; forget what was sent more than a day ago.
    sendAll: function (token) {
      return outbox.all().then(function (records) {
        var now = Date.now();
        return records.reduce(function (chain, record) {
          return chain.then(function () {
            if (record.state === "sent") {
              if (now - Date.parse(record.sent || record.created) > SENT_KEPT_MS) return outbox.remove(record.uuid);
              return null;
            }
            if (record.state === "attention") return null;
            if (record.retryAt && record.retryAt > now) {  // not before the server asked
              retryAt(record.retryAt, token);
              return null;
            }
            return outbox.send(record, token);
          });
        }, Promise.resolve());
      });
    }
  };
  root.SambangOutbox = outbox;
})(self);
