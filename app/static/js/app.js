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
})();
