// The notifications page: turns Web Push on or off for this browser. Subscribing asks the
// browser's permission, subscribes with the server's VAPID key and registers the
// subscription with the API; the page's own form saves which kinds arrive.
(function () {
  "use strict";
  var box = document.getElementById("push-device");
  if (!box) return;
  var state = box.querySelector("[data-push-state]");
  var onButton = box.querySelector("[data-push-on]");
  var offButton = box.querySelector("[data-push-off]");
  var csrf = document.querySelector("input[name=csrfmiddlewaretoken]");

  function say(text) { state.textContent = text; }

  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    say(box.dataset.unsupported);
    return;
  }

  // The key as the bytes pushManager.subscribe wants (it arrives in base64url).
  function keyBytes(text) {
    var padded = (text + "===".slice((text.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = window.atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function sameKey(subscription) {
    var own = subscription.options && subscription.options.applicationServerKey;
    if (!own) return true;  // the browser does not say: assume it is ours
    var mine = keyBytes(box.dataset.key);
    var theirs = new Uint8Array(own);
    if (mine.length !== theirs.length) return false;
    for (var i = 0; i < mine.length; i++) if (mine[i] !== theirs[i]) return false;
    return true;
  }

  function call(method, url, body) {
    var headers = { "X-CSRFToken": csrf ? csrf.value : "" };
    if (body) headers["Content-Type"] = "application/json";
    return fetch(url, {
      method: method, credentials: "same-origin", headers: headers,
      body: body ? JSON.stringify(body) : undefined
    }).then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response;
    });
  }

  function show(subscription) {
    say(subscription ? box.dataset.on : box.dataset.off);
    onButton.hidden = Boolean(subscription);
    offButton.hidden = !subscription;
  }

  function register(subscription) {
    return call("POST", box.dataset.api, subscription.toJSON()).then(function () { return subscription; });
  }

  function current() {
    return navigator.serviceWorker.ready.then(function (registration) {
      return registration.pushManager.getSubscription().then(function (subscription) {
        return { registration: registration, subscription: subscription };
      });
    });
  }

  // On opening the page: a subscription of this browser is registered again (the server
  // may have dropped it); one made with an older server key is replaced.
  current().then(function (found) {
    var subscription = found.subscription;
    if (!subscription) return show(null);
    if (!sameKey(subscription)) return subscription.unsubscribe().then(function () { show(null); });
    return register(subscription).then(show);
  }).catch(function () { say(box.dataset.failed); onButton.hidden = false; });

  onButton.addEventListener("click", function () {
    onButton.disabled = true;
    Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") { say(box.dataset.denied); return null; }
      return current().then(function (found) {
        return found.subscription || found.registration.pushManager.subscribe({
          userVisibleOnly: true, applicationServerKey: keyBytes(box.dataset.key)
        });
      }).then(register).then(show);
    }).catch(function () { say(box.dataset.failed); }).then(function () { onButton.disabled = false; });
  });

  offButton.addEventListener("click", function () {
    offButton.disabled = true;
    current().then(function (found) {
      var subscription = found.subscription;
      if (!subscription) return show(null);
      var url = box.dataset.api + "?endpoint=" + encodeURIComponent(subscription.endpoint);
      return call("DELETE", url).then(function () { return subscription.unsubscribe(); }).then(function () { show(null); });
    }).catch(function () { say(box.dataset.failed); }).then(function () { offButton.disabled = false; });
  });
})();
