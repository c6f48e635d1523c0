/* Our Promise: what only the story books and the printables need, loaded by those pages
   alone (app.js stays small for every other page). Both work without it. */
/* A story book turns its page with a swipe too: only an extra to its Back and Next buttons,
   which work without JavaScript (a page per URL). A swipe towards the start reads on. */
(function () {
  "use strict";
  var book = document.querySelector("[data-swipe]");
  if (!book) return;
  var startX = null;
  var startY = null;
  book.addEventListener("touchstart", function (event) {
    startX = event.changedTouches[0].clientX;
    startY = event.changedTouches[0].clientY;
  }, { passive: true });
  book.addEventListener("touchend", function (event) {
    if (startX === null) return;
    var dx = event.changedTouches[0].clientX - startX;
    var dy = event.changedTouches[0].clientY - startY;
    startX = null;
    if (Math.abs(dx) < 60 || Math.abs(dy) > Math.abs(dx)) return;
    var rightToLeft = document.documentElement.dir === "rtl";
    var link = book.querySelector((dx < 0) !== rightToLeft ? "a[rel=next]" : "a[rel=prev]");
    if (link) window.location.href = link.href;
  }, { passive: true });
})();

/* "Print this page" on the printables: a phone's browser hides its own Print deep in a menu. */
(function () {
  "use strict";
  var holders = document.querySelectorAll("[data-print]");
  for (var i = 0; i < holders.length; i++) {
    holders[i].hidden = false;
    holders[i].querySelector("button").addEventListener("click", function () { window.print(); });
  }
})();
