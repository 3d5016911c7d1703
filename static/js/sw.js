/* Service worker for the table host's page: network first, the last good copy when the network is
   down, so a host can reload the page on dead wifi and still see and keep typing notes. */
"use strict";
const CACHE = "dialogcafe-host-v1";

function cacheable(request) {
  if (request.method !== "GET") { return false; }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/socket.io")) { return false; }
  return url.pathname.startsWith("/t/") || url.pathname.startsWith("/static/");
}

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

self.addEventListener("fetch", function (event) {
  if (!cacheable(event.request)) { return; }
  event.respondWith(fetch(event.request).then(function (response) {
    if (response.ok) {
      const copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(event.request, copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(event.request).then(function (cached) { return cached || Response.error(); });
  }));
});
