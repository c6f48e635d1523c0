/* The service worker. The server puts its settings first (app/child/installing.py):
   self.OUR_PROMISE = {version, pages, assets, offline, write, kept, send, status, icon}.

   - Install: precache the child pages that carry nothing personal (fetched without cookies,
     so no choice or card of the child's is in them) and the files they use.
   - Pages: network first; offline, the kept copy, else the offline page (or, for the
     message's steps, the page to write a message offline). A form posted while the
     connection fails is answered "204 No Content", so its page and answers stay. Pages fetched with the child's
     cookies are never stored, nor is any response marked no-store. Status and staff pages,
     and anything not a GET, go to the network untouched.
   - Static files have content-hashed URLs: from the cache, else the network.
   - Activate: caches of older versions are deleted.
   - Background Sync sends kept messages; a push shows a notification with no words. */
/* global OurPromiseKept */
"use strict";
var SETTINGS = self.OUR_PROMISE;
importScripts(SETTINGS.kept);
var PREFIX = "our-promise-";
var CACHE = PREFIX + SETTINGS.version;
/* Left to the browser and the network alone: staff pages, and the quick exit (whose
   Clear-Site-Data must reach the browser as it was sent). */
var UNTOUCHED = ["/staff", "/exit", "/sw.js"];

function storable(response) {
  var control = response.headers.get("Cache-Control") || "";
  return response.ok && !response.redirected && control.indexOf("no-store") === -1;
}

function precache(cache, url) {
  return fetch(new Request(url, { credentials: "omit", cache: "no-cache" })).then(function (response) {
    if (!storable(response)) throw new Error("not storable: " + url);
    if ((response.headers.get("Content-Type") || "").indexOf("text/html") !== 0) return cache.put(url, response);
    /* A page draws its symbols from one sheet (app/symbol_sheet.py): keep that sheet with it. */
    return response.clone().text().then(function (html) {
      var sheets = html.match(/\/symbols\/[^"#]+/g) || [];
      return cache.put(url, response).then(function () {
        return Promise.all(sheets.map(function (sheet) {
          return cache.match(sheet).then(function (kept) {
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
      return name.indexOf(PREFIX) === 0 && name !== CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function fromCache(url) {
  return caches.open(CACHE).then(function (cache) { return cache.match(url); });
}

function offlinePage(url) {
  var fallback = url.pathname.indexOf("/tell-us") === 0 ? SETTINGS.write : SETTINGS.offline;
  return fromCache(url.pathname + url.search).then(function (kept) {
    return kept || fromCache(fallback);
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
       every answer still in it, and the page is told (app.js) so it can say so. */
    event.respondWith(fetch(request).catch(function () {
      return tellPages({ unsent: url.pathname }).then(function () { return new Response(null, { status: 204 }); });
    }));
    return;
  }
  if (request.method !== "GET") return;
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(function () { return offlinePage(url); }));
    return;
  }
  var here = url.pathname + url.search;
  if (url.pathname.indexOf("/static/") === 0) {  /* hashed URLs: what is kept never changes */
    event.respondWith(fromCache(here).then(function (kept) { return kept || fetch(request); }));
  } else if (url.pathname.indexOf("/symbols/") === 0) {
    /* A page's sheet of symbols (app/symbol_sheet.py): versioned like a static file, and kept
       once seen, so a page read online shows its pictures offline too. */
    event.respondWith(fromCache(here).then(function (kept) {
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
      return fromCache(here).then(function (kept) { return kept || Response.error(); });
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

/* A push says only that there is news: never words, names or topics (phones are shared). */
self.addEventListener("push", function (event) {
  var news = {};
  try { news = event.data ? event.data.json() : {}; } catch (e) { news = {}; }
  event.waitUntil(self.registration.showNotification(news.title || "", {
    body: news.body || "",
    tag: "news",
    icon: SETTINGS.icon,
    data: { url: SETTINGS.status }
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
