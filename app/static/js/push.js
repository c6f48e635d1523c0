/* "Tell me when there's news" (issue 12): Web Push, only after the child taps the button. The
   server sends a push, with no words in it, for each change on this status page; the service
   worker shows it and opens the status page when it is tapped. */
(function () {
  "use strict";
  var box = document.querySelector("[data-news]");
  if (!box || !("serviceWorker" in navigator) || !("PushManager" in window) || !window.Notification) return;
  var on = box.querySelector("[data-news-on]");
  var off = box.querySelector("[data-news-off]");
  var status = box.querySelector("[data-news-status]");

  function show(isOn, message) {
    on.hidden = isOn;
    off.hidden = !isOn;
    status.textContent = message === "" ? "" : message || status.getAttribute(isOn ? "data-on-text" : "data-off-text");
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body)
    }).then(function (response) {
      if (!response.ok) throw new Error("refused");
      return response.json();
    });
  }

  function key() {
    var text = box.getAttribute("data-key").replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(text + "===".slice((text.length + 3) % 4));
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function registration() {
    return navigator.serviceWorker.register(box.getAttribute("data-worker")).then(function () {
      return navigator.serviceWorker.ready;
    });
  }

  on.addEventListener("click", function () {
    Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") throw new Error("refused");
      return registration();
    }).then(function (reg) {
      return reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key() });
    }).then(function (subscription) {
      return post(box.getAttribute("data-subscribe"), subscription.toJSON());
    }).then(function () { show(true); }, function () {
      show(false, status.getAttribute("data-refused-text"));
    });
  });

  off.addEventListener("click", function () {
    registration().then(function (reg) { return reg.pushManager.getSubscription(); }).then(function (subscription) {
      if (!subscription) return null;
      return post(box.getAttribute("data-unsubscribe"), { endpoint: subscription.endpoint }).then(function () {
        return subscription.unsubscribe();
      });
    }).then(function () { show(false); });
  });

  box.hidden = false;
  if (box.getAttribute("data-on")) {
    registration().then(function (reg) { return reg.pushManager.getSubscription(); }).then(function (subscription) {
      show(!!subscription, subscription ? null : "");  /* on for this phone, or not asked yet */
    });
  } else {
    show(false, "");
  }
})();
