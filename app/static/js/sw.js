/* The service worker: what it does, and why, is written in app/child/installing.py (kept
   out of this file, which every phone downloads). The server puts its settings first:
   self.OUR_PROMISE = {version, pages, assets, offline, write, not_safe, help, kept, send,
   status, icon, words, chosen, header}. */
/* global OurPromiseKept */
"use strict";
var SETTINGS = self.OUR_PROMISE;
importScripts(SETTINGS.kept);
var PREFIX = "our-promise-";
var CACHE = PREFIX + SETTINGS.version;
var CHOSEN = CACHE + "-chosen";  /* the pages in the child's choices */
var WANTED = PREFIX + "choices";  /* which choices those are to be, kept across versions */
var CHOICES = "/offline/choices";  /* where each of those two caches notes the choices */
var UNSURE = "?";  /* noted as wanted after a request that may have changed the choices */
/* Left to the browser and the network alone: staff pages, and the quick exit (whose
   Clear-Site-Data must reach the browser as it was sent). */
var UNTOUCHED = ["/staff", "/exit", "/sw.js"];

function storable(response) {
  var control = response.headers.get("Cache-Control") || "";
  return response.ok && !response.redirected && control.indexOf("no-store") === -1;
}

function precache(cache, url, choices) {
  var asked = { credentials: "omit", cache: "no-cache" };
  if (choices) { asked.headers = {}; asked.headers[SETTINGS.header] = choices; }
  return fetch(new Request(url, asked)).then(function (response) {
    /* In the child's choices, a page that is not there (the promises before an age band is
       chosen send the child to choose one) is left out; in the install, it is an error. */
    if (!storable(response)) { if (choices) return; throw new Error("not storable: " + url); }
    if ((response.headers.get("Content-Type") || "").indexOf("text/html") !== 0) return cache.put(url, response);
    /* A page draws its symbols from one sheet (app/symbol_sheet.py): keep that sheet with it,
       and its styles (the display choices add their own: css/display*.css). */
    return response.clone().text().then(function (html) {
      var sheets = html.match(/\/(symbols|static\/css)\/[^"#]+/g) || [];
      return cache.put(url, response).then(function () {
        return Promise.all(sheets.map(function (sheet) {
          return (choices ? lookup(sheet) : cache.match(sheet)).then(function (kept) {
            return kept || fetch(sheet).then(function (drawn) { if (storable(drawn)) return cache.put(sheet, drawn); });
          });
        }));
      });
    });
  });
}

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return Promise.all(SETTINGS.pages.concat(SETTINGS.assets).map(function (url) { return precache(cache, url); }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf(PREFIX) === 0 && [CACHE, CHOSEN, WANTED].indexOf(name) === -1;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }).then(function () {
    /* The pages in the child's choices again, for this version: not awaited, as pages wait for
       the activation; if the worker stops first, the next page from the network starts it. */
    keepChosen();
  }));
});

/* A kept copy: the page in the child's choices first, else the one made without them. */
function lookup(url) {
  return caches.match(url, { cacheName: CHOSEN }).then(function (kept) {
    return kept || caches.match(url, { cacheName: CACHE });
  });
}

function noted(name) {
  return caches.match(CHOICES, { cacheName: name }).then(function (kept) {
    return kept ? kept.text() : "";
  });
}

/* Keep the pages in the choices wanted, unless they already are. The note that they are is
   written last, so pages half kept when the network failed are kept again next time. */
var keeping = Promise.resolve();
function keepChosen() {
  keeping = keeping.then(function () {
    return Promise.all([noted(WANTED), noted(CHOSEN)]);
  }).then(function (both) {
    var wanted = both[0];
    if (wanted === both[1] || wanted === UNSURE) return;
    /* Nothing chosen: the install's copy is right. Else every page again, none left over
       from the choices before (until they are kept, offline shows the install's copy). */
    return caches.delete(CHOSEN).then(function () {
      if (!wanted) return;
      return caches.open(CHOSEN).then(function (cache) {
        return Promise.all(SETTINGS.chosen.map(function (url) { return precache(cache, url, wanted); })).then(function () {
          return cache.put(CHOICES, new Response(wanted));
        });
      });
    });
  }).catch(function () { /* offline: kept on the next page that comes from the network */ });
  return keeping;
}

/* The choices wanted are noted one after another, in the order the pages came, so an older
   page's note never lands after a newer "unsure". */
var noting = Promise.resolve();
function note(choices) {
  noting = noting.then(function () { return noted(WANTED); }).then(function (wanted) {
    if (wanted === choices) return;
    return caches.open(WANTED).then(function (cache) {
      return cache.put(CHOICES, new Response(choices));
    });
  }).catch(function () { /* no room: the next page notes them again */ });
  return noting;
}

function choose(choices) {
  return note(choices).then(keepChosen);
}

function unsure() {
  return note(UNSURE);
}

/* A promise page in the child's choices, when its copy in them is whole and they are sure;
   else nothing (the page comes from the network). */
function promisePage(url) {
  var here = url.pathname + url.search;
  if (SETTINGS.promises.indexOf(here) === -1) return Promise.resolve(null);
  return noting.then(function () {
    return Promise.all([noted(WANTED), noted(CHOSEN)]);
  }).then(function (both) {
    if (!both[0] || both[0] === UNSURE || both[0] !== both[1]) return null;
    return caches.match(here, { cacheName: CHOSEN });
  }).catch(function () { return null; });
}

function fromNetwork(event, url) {
  return fetch(event.request).then(function (response) {
    var choices = response.headers.get(SETTINGS.header);
    if (choices !== null) {
      event.waitUntil(choose(choices));
      return response;
    }
    /* A redirect (the language menu's link) or a page that does not say: the choices may
       have changed, so the next promise page comes from the network (noted before the
       browser follows the redirect). */
    return unsure().then(function () { return response; });
  }, function () { return offlinePage(url); });
}

function offlinePage(url) {
  var fallback = url.pathname.indexOf("/tell-us") === 0 ? SETTINGS.write : SETTINGS.offline;
  /* "I don't feel safe right now" (on every step) shows who to call: offline, the kept page
     that does, never the form to write a message. */
  if (url.pathname === SETTINGS.not_safe) fallback = SETTINGS.help;
  return lookup(url.pathname + url.search).then(function (kept) {
    return kept || lookup(fallback);
  }).then(function (page) {
    return page || Response.error();
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (UNTOUCHED.some(function (path) { return url.pathname.indexOf(path) === 0; })) return;
  if (request.mode === "navigate" && request.method === "POST") {
    /* A form the connection failed under: "204 No Content" leaves the page where it is, with
       every answer still in it, and the page is told (app.js) so it can say so. A form may
       change the choices (/choose, /display): unsure before it leaves. */
    event.respondWith(unsure().then(function () { return fetch(request); }).catch(function () {
      return tellPages({ unsent: url.pathname }).then(function () { return new Response(null, { status: 204 }); });
    }));
    return;
  }
  if (request.method !== "GET") {  /* to the network untouched; a choice may be in it */
    event.waitUntil(unsure());
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(promisePage(url).then(function (kept) {
      return kept || fromNetwork(event, url);
    }));
    return;
  }
  var here = url.pathname + url.search;
  var seen = request.destination === "style" || request.destination === "font";
  if (url.pathname.indexOf("/static/") === 0 && !seen) {  /* hashed URLs: what is kept never changes */
    event.respondWith(lookup(here).then(function (kept) { return kept || fetch(request); }));
  } else if (url.pathname.indexOf("/symbols/") === 0 || seen) {
    /* A page's sheet of symbols (app/symbol_sheet.py), and the styles and fonts of the
       child's display choices (the font's 240 KB only if they chose it): versioned like a
       static file, and kept once seen, so a page read online looks the same offline. */
    event.respondWith(lookup(here).then(function (kept) {
      return kept || fetch(request).then(function (response) {
        if (storable(response)) {
          var copy = response.clone();
          caches.open(CACHE).then(function (cache) { cache.put(here, copy); });
        }
        return response;
      });
    }));
  } else if (SETTINGS.assets.indexOf(here) !== -1) {  /* the manifest, the words for kept messages */
    event.respondWith(fetch(request).catch(function () {
      return lookup(here).then(function (kept) { return kept || Response.error(); });
    }));
  }
});

function tellPages(news) {
  return self.clients.matchAll({ type: "window" }).then(function (windows) {
    windows.forEach(function (page) { page.postMessage(news); });
  });
}

self.addEventListener("sync", function (event) {
  if (event.tag !== "send-kept") return;
  /* A rejection (still offline) makes the browser try the sync again later. */
  event.waitUntil(OurPromiseKept.sendAll(SETTINGS.send).then(function (answers) {
    return tellPages({ kept: answers });
  }));
});

/* A push says only that there is news: never words, names or topics (phones are shared). It
   is shown in the words kept with the pages, in the child's language (the push's own are in
   the service's language); the push's words if none are kept. */
self.addEventListener("push", function (event) {
  var news = {};
  try { news = event.data ? event.data.json() : {}; } catch (e) { news = {}; }
  event.waitUntil(lookup(SETTINGS.words).then(function (kept) {
    return kept ? kept.json() : {};
  }).catch(function () { return {}; }).then(function (words) {
    return self.registration.showNotification(words.news_title || news.title || "", {
      body: words.news || news.body || "",
      tag: "news",
      icon: SETTINGS.icon,
      data: { url: SETTINGS.status }
    });
  }));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var target = new URL(event.notification.data.url, self.location.origin).href;
  event.waitUntil(self.clients.matchAll({ type: "window" }).then(function (windows) {
    for (var i = 0; i < windows.length; i++) {
      if (windows[i].url === target && "focus" in windows[i]) return windows[i].focus();
    }
    return self.clients.openWindow(target);
  }));
});
