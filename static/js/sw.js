/* Service worker for the table host's page: network first, the last good copy when the network is
   down, so a host can reload the page on dead wifi and still see and keep typing notes. On the first visit
   the page asks it (a `precache` message) to keep a copy of the page and everything it loads, so the page
   opens offline from then on, not only after a second visit. */
"use strict";
const CACHE = "dialogcafe-host-v2";

function cacheable(request) {
  if (request.method !== "GET") { return false; }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/socket.io")) { return false; }
  return url.pathname.startsWith("/t/") || url.pathname.startsWith("/static/");
}

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) { return name.startsWith("dialogcafe-host-") && name !== CACHE; })
      .map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

/* {type: "precache", urls: [...]} from a page; the answer on the message's port says whether all were kept. */
self.addEventListener("message", function (event) {
  const data = event.data || {};
  const port = event.ports && event.ports[0];
  if (data.type !== "precache" || !Array.isArray(data.urls)) { return; }
  const urls = data.urls.filter(function (url) { return cacheable(new Request(new URL(url, self.location.origin))); });
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(urls); }).then(function () {
    if (port) { port.postMessage({ ok: true }); }
  }, function () {
    if (port) { port.postMessage({ ok: false }); }
  }));
});

self.addEventListener("fetch", function (event) {
  if (!cacheable(event.request)) { return; }
  event.respondWith(fetch(event.request).then(function (response) {
    if (response.ok) {
      const copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(event.request, copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(event.request, { ignoreVary: true }).then(function (cached) { return cached || Response.error(); });
  }));
});
