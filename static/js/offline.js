/* The host page opens offline from the first visit on: it installs the service worker (static/js/sw.js) and,
   unless a copy of this page is kept already, asks it to keep one (with the table's token in it) and of every
   script and stylesheet the page loads. When that is done, body[data-offline-ready] is "true". */
(function () {
  "use strict";
  const D = window.Dialogcafe;

  function pageAndAssets() {
    const urls = [location.pathname + location.search];
    document.querySelectorAll("script[src], link[rel=stylesheet][href]").forEach(function (el) {
      const url = new URL(el.src || el.href, location.href);
      if (url.origin === location.origin) { urls.push(url.pathname + url.search); }
    });
    return urls;
  }

  function precache(worker, urls) {
    return new Promise(function (resolve, reject) {
      const channel = new MessageChannel();
      channel.port1.onmessage = function (event) { if (event.data && event.data.ok) { resolve(); } else { reject(); } };
      worker.postMessage({ type: "precache", urls: urls }, [channel.port2]);
    });
  }

  /* A copy of this page kept already (a load under the worker's control keeps one), or null. */
  function kept() {
    return window.caches ? caches.match(location.pathname + location.search, { ignoreVary: true }) : Promise.resolve(null);
  }

  function prepare() {
    if (!("serviceWorker" in navigator)) { return; }
    navigator.serviceWorker.register("/sw.js").then(function () { return navigator.serviceWorker.ready; })
      .then(function (registration) {
        return kept().then(function (copy) { return copy ? null : precache(registration.active, pageAndAssets()); });
      })
      .then(function () { document.body.dataset.offlineReady = "true"; })
      .catch(function () { /* the page still works online, and the outbox still keeps every note */ });
  }

  D.offline = { prepare: prepare };
})();
