// Sambang's service worker, version {{ version }}: the app shell is cached at install; the
// officer's pages are fetched from the network first and kept for when there is none.
"use strict";
var VERSION = "{{ version }}";
var SHELL_CACHE = "sambang-shell-" + VERSION;
var PAGE_CACHE = "sambang-pages-" + VERSION;
var SHELL = {{ shell|safe }};
var PAGES = {{ pages|safe }};
var OFFLINE = {{ offline|safe }};
var ICON = {{ icon|safe }};
importScripts({{ outbox|safe }});

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL_CACHE).then(function (cache) { return cache.addAll(SHELL); }));
});

self.addEventListener("activate", function (event) {
  // Only this worker's own caches are replaced; queued records live in IndexedDB.
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("sambang-") === 0 && name !== SHELL_CACHE && name !== PAGE_CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("message", function (event) {
  if (event.data === "skip-waiting") self.skipWaiting();
  if (event.data === "forget") {  // logging out: nothing of this user stays on the phone
    event.waitUntil(Promise.all([
      caches.delete(PAGE_CACHE),
      // Their notifications stop too (the server forgets the device at the next push).
      self.registration.pushManager.getSubscription().then(function (subscription) {
        return subscription && subscription.unsubscribe();
      }).catch(function () {})
    ]));
  }
  if (event.data && event.data.warm) {  // the officer's pages, kept before they are needed
    event.waitUntil(caches.open(PAGE_CACHE).then(function (cache) {
      return Promise.all(event.data.warm.map(function (url) {
        return fetch(url, { credentials: "same-origin" }).then(function (response) {
          if (response.ok && !response.redirected) return cache.put(url, response);
        }).catch(function () {});
      }));
    }));
  }
});

function offlinePage(path) {
  return PAGES.some(function (prefix) { return path.indexOf(prefix) === 0; }) || path === "/";
}

// Background sync, where the browser has it: the outbox is sent even with the app closed.
self.addEventListener("sync", function (event) {
  if (event.tag !== "sambang-outbox") return;
  event.waitUntil(self.SambangOutbox.sendAll().then(function () {
    return self.clients.matchAll().then(function (clients) {
      clients.forEach(function (client) { client.postMessage("outbox-changed"); });
    });
  }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (SHELL.indexOf(url.pathname) >= 0) {
    event.respondWith(caches.match(request).then(function (hit) { return hit || fetch(request); }));
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).then(function (response) {
      if (response.ok && !response.redirected && offlinePage(url.pathname)) {
        var copy = response.clone();
        caches.open(PAGE_CACHE).then(function (cache) { cache.put(request, copy); });
      }
      return response;
    }).catch(function () {
      return caches.match(request, { ignoreVary: true }).then(function (hit) {
        // /field/?kept=… is /field/
        return hit || caches.match(request, { ignoreSearch: true, ignoreVary: true });
      }).then(function (hit) {
        return hit || caches.match(OFFLINE);
      });
    }));
  }
});

// Web Push: a notification brings a title, a short generic text and a link into the app
// (never restricted data: the page checks the reader's scope when it opens).
self.addEventListener("push", function (event) {
  var data = {};
  try { data = event.data ? event.data.json() : {}; } catch (error) { data = {}; }
  event.waitUntil(self.registration.showNotification(data.title || "Sambang", {
    body: data.body || "",
    icon: ICON,
    badge: ICON,
    tag: data.tag || undefined,
    data: { url: data.url || "/" }
  }));
});

// Opening a notification focuses the app's window already on that page, or opens it;
// only pages of this app are opened.
self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var target = new URL((event.notification.data && event.notification.data.url) || "/", self.location.origin);
  if (target.origin !== self.location.origin) target = new URL("/", self.location.origin);
  event.waitUntil(self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (windows) {
    for (var i = 0; i < windows.length; i++) {
      if (windows[i].url === target.href && "focus" in windows[i]) return windows[i].focus();
    }
    return self.clients.openWindow(target.href);
  }));
});
