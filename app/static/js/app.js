/* Our Promise: a little help on top of pages that already work without JavaScript. */
(function () {
  "use strict";

  /* The quick exit, as GOV.UK's "Exit this page" does it: blank the page at once, then leave
     through our own /exit, which forgets everything on this device. Shift pressed three times,
     each within 5 seconds of the last, does the same; any other key starts the count again. */
  var exitLinks = document.querySelectorAll("[data-quick-exit]");
  var exitUrl = exitLinks.length ? exitLinks[0].getAttribute("href") : null;
  var overlay = document.querySelector("[data-exit-overlay]");
  var dots = document.querySelector("[data-exit-dots]");
  var status = document.querySelector("[data-exit-status]");
  var presses = 0;
  var timer = null;

  function leave(event) {
    if (event) event.preventDefault();
    if (overlay) overlay.hidden = false;
    document.title = "Exit";
    try { sessionStorage.clear(); localStorage.clear(); } catch (e) { /* storage may be off */ }
    /* A message kept to send later goes too. /exit's Clear-Site-Data empties the rest. */
    try { indexedDB.deleteDatabase("our-promise"); } catch (e) { /* storage may be off */ }
    window.location.href = exitUrl;
  }

  function showCount() {
    if (!dots) return;
    dots.hidden = presses === 0;
    var spots = dots.querySelectorAll("span");
    for (var i = 0; i < spots.length; i++) spots[i].className = i < presses ? "on" : "";
    if (status) {
      status.textContent = presses === 0 ? "" : status.getAttribute(presses === 1 ? "data-two-more" : "data-one-more");
    }
  }

  function reset() {
    presses = 0;
    if (timer) { clearTimeout(timer); timer = null; }
    showCount();
  }

  if (exitUrl) {
    for (var i = 0; i < exitLinks.length; i++) exitLinks[i].addEventListener("click", leave);
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Shift") { if (presses) reset(); return; }
      if (event.repeat) return;
      presses += 1;
      if (timer) clearTimeout(timer);
      if (presses >= 3) { reset(); leave(); return; }
      timer = setTimeout(reset, 5000);
      showCount();
    });
    /* Coming back with Back after an exit asks the server again, which has forgotten everything,
       rather than showing the page as it was. */
    window.addEventListener("pageshow", function (event) {
      if (event.persisted && overlay && !overlay.hidden) window.location.reload();
    });
  }

  /* A second press of a send button while the first is on its way does nothing. The server
     would make one message of both anyway (the form's one-time key); this saves the wait. */
  var forms = document.querySelectorAll("form");
  for (var f = 0; f < forms.length; f++) {
    forms[f].addEventListener("submit", function (event) {
      var button = event.target.querySelector("[data-prevent-double-click]");
      if (!button) return;
      if (button.getAttribute("data-sending")) { event.preventDefault(); return; }
      button.setAttribute("data-sending", "1");
      setTimeout(function () { button.removeAttribute("data-sending"); }, 2000);
    });
  }

  /* The error summary takes focus, so a screen reader hears what to fix first. */
  var summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();

  offline();

  /* Read aloud (issue 13): read_aloud.js adds the "Read to me" buttons. Fetched after the page
     and its pictures, and only on a page with something to read. */
  var reading = document.querySelector("[data-read-aloud-words]");
  if (reading && (window.speechSynthesis || window.Audio)) {
    window.addEventListener("load", function () {
      var script = document.createElement("script");
      script.src = reading.getAttribute("data-script");
      document.head.appendChild(script);
    });
  }
})();





/* Offline (issue 12): see sw.js and kept.js, loaded only when needed. */
function offline() {
  "use strict";
  var worker = navigator.serviceWorker;
  var status = document.querySelector("[data-kept-status]");
  if (!worker || !status || !window.indexedDB) return;
  window.addEventListener("load", function () { worker.register("/sw.js"); });

  function kept(then) {
    var load = function () { window.OurPromiseKept.page(status).then(then); };
    if (window.OurPromiseKept) { load(); return; }
    var script = document.createElement("script");
    script.src = status.getAttribute("data-script");
    script.onload = load;
    document.head.appendChild(script);
  }

  function anyKept() {
    var listed = indexedDB.databases ? indexedDB.databases() : Promise.resolve([{ name: "our-promise" }]);
    listed.then(function (found) {
      if (found.some(function (db) { return db.name === "our-promise"; })) kept(function (ui) { ui.sendOrShow(); });
    });
  }

  /* A form the connection failed under stays, answers and all (sw.js answers 204). */
  var posted = null;
  var forms = document.querySelectorAll("form[method=post]");
  for (var f = 0; f < forms.length; f++) {
    forms[f].addEventListener("submit", function (event) { posted = event.target; });
  }
  worker.addEventListener("message", function (event) {
    var news = event.data || {};
    if (news.kept) kept(function (ui) { ui.showAnswers(news.kept); });
    var form = posted;
    if (!news.unsent || !form || new URL(form.action, window.location.href).pathname !== news.unsent) return;
    posted = null;
    var button = form.querySelector("[data-sending]");
    if (button) button.removeAttribute("data-sending");
    kept(function (ui) { ui.unsent(form); });
  });
  worker.startMessages();
  window.addEventListener("online", anyKept);
  anyKept();
}
