// Today's page lists what waits on this phone, sends it when the connection returns, and
// lets the officer correct what the server refused.
(function () {
  "use strict";
  var section = document.getElementById("outbox");
  if (!section || !window.SambangOutbox) return;
  var list = document.getElementById("outbox-list");
  var labels = JSON.parse(document.getElementById("outbox-labels").textContent);
  var tones = { waiting: "warn", sending: "warn", sent: "ok", attention: "bad" };

  function token() {
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }
  function item(record) {
    var li = document.createElement("li");
    li.className = "card";
    li.dataset.uuid = record.uuid;
    var title = document.createElement("strong");
    title.textContent = record.label || record.uuid;
    var badge = document.createElement("span");
    badge.className = "badge " + (tones[record.state] || "");
    badge.textContent = labels[record.state] || record.state;
    li.append(title, " ", badge);
    if (record.message) {
      var note = document.createElement("p");
      note.className = "muted";
      note.textContent = labels[record.message] || record.message;
      li.append(note);
    }
    var actions = document.createElement("div");
    actions.className = "actions";
    if (record.state === "sent" && record.link) {
      var open = document.createElement("a");
      open.href = record.link;
      open.textContent = labels.open;
      actions.append(open);
    }
    if (record.state === "waiting") {
      var send = document.createElement("button");
      send.type = "button";
      send.className = "small";
      send.textContent = labels.send;
      send.addEventListener("click", function () { SambangOutbox.send(record, token()).then(show); });
      actions.append(send);
    }
    if (record.state === "attention") {
      var correct = document.createElement("a");
      correct.href = record.url + "?outbox=" + encodeURIComponent(record.uuid);
      correct.textContent = labels.correct;
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "small";
      remove.textContent = labels.remove;
      remove.addEventListener("click", function () { SambangOutbox.remove(record.uuid).then(show); });
      actions.append(correct, " ", remove);
    }
    li.append(actions);
    return li;
  }
  function show() {
    return SambangOutbox.all().then(function (records) {
      list.replaceChildren.apply(list, records.map(item));
      section.hidden = records.length === 0;
    });
  }
  function sync() {
    if (!navigator.onLine) return show();
    return show().then(function () { return SambangOutbox.sendAll(token()); }).then(show);
  }
  window.addEventListener("online", sync);
  window.addEventListener("sambang-outbox-changed", show);  // sent again after a 503
  if (navigator.serviceWorker) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data === "outbox-changed") show();
    });
  }
  sync();
})();
