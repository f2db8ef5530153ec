// Sambang's service worker, version {{ version }}: the app shell is cached at install; the
// officer's pages are fetched from the network first and kept for when there is none.
"use strict";
var VERSION = "{{ version }}";
var SHELL_CACHE = "sambang-shell-" + VERSION;
var PAGE_CACHE = "sambang-pages-" + VERSION;
var SHELL = {{ shell|safe }};
var PAGES = {{ pages|safe }};
var OFFLINE = {{ offline|safe }};
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
    event.waitUntil(caches.delete(PAGE_CACHE));
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
