/* Shared by every page: the realtime names from the server, sockets that back off with jitter,
   catch-up through `sync`, and the connection indicator. */
(function () {
  "use strict";
  const body = document.body;
  const protocol = JSON.parse(body.dataset.protocol || "{}");
  let serverOffset = Number(body.dataset.serverNow || Date.now()) - Date.now();

  function connectSocket(namespace, auth) {
    return io(namespace, {
      auth: auth,
      transports: ["websocket", "polling"],
      reconnection: true,
      reconnectionDelay: 500,
      reconnectionDelayMax: 10000,
      randomizationFactor: 0.5,
      timeout: 8000,
    });
  }

  /* Ask for every change after `since`, page by page, handing each to `apply`. */
  function catchUp(socket, since, apply) {
    return new Promise(function (resolve, reject) {
      function page(after) {
        socket.timeout(15000).emit(protocol.events.SYNC, { since: after }, function (err, ack) {
          if (err || !ack || !ack.ok) { reject(err || (ack && ack.error)); return; }
          let last = after;
          ack.changes.forEach(function (change) { apply(change); last = Math.max(last, change.seq); });
          if (ack.more) { page(last); } else { resolve(Math.max(last, ack.last_seq || 0)); }
        });
      }
      page(since);
    });
  }

  function showConnection(state, text) {
    const el = document.getElementById("connection");
    if (!el) { return; }
    el.dataset.state = state;
    el.querySelector(".connection-text").textContent = text;
  }

  function uuid4() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, function (x) { return x.toString(16).padStart(2, "0"); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function serverNow() { return Date.now() + serverOffset; }

  /* Correct the clock offset from a live message's `server_now` (ISO or ms); replays must not call it. */
  function setServerNow(value) {
    const ms = typeof value === "number" ? value : Date.parse(value);
    if (!isNaN(ms)) { serverOffset = ms - Date.now(); }
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  /* The organizer changed the café's plan while the page was open: offer a reload (the host page keeps
     unsent notes in localStorage, so reloading loses nothing). */
  function showPlanChanged() {
    const box = document.getElementById("plan-changed");
    if (box) { box.hidden = false; }
  }
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-reload]")) { window.location.reload(); }
  });

  /* A count in words: the page gives both forms of a string (data-x-one, data-x-other, from ngettext),
     the language's plural rule picks one, and "{n}" becomes the number. */
  const pluralRules = new Intl.PluralRules(document.documentElement.lang || "sv");
  function pluralForm(n) { return pluralRules.select(n) === "one" ? "One" : "Other"; }
  function plural(strings, key, n) { return (strings[key + pluralForm(n)] || "").replace("{n}", String(n)); }
  /* A count shown as a number beside its noun (<span class="count-noun" data-one data-other>): both follow n. */
  function showCount(node, n) {
    if (node.textContent !== String(n)) { node.textContent = String(n); }
    const noun = node.parentNode && node.parentNode.querySelector(".count-noun");
    if (noun) {
      const word = noun.dataset[pluralForm(n).toLowerCase()];
      if (noun.textContent !== word) { noun.textContent = word; }
    }
  }

  /* New notes told to a screen reader as one polite summary ("3 nya anteckningar") after a quiet spell,
     not one announcement per note. The region (templates/_notes_announce.html) holds its words. */
  let unannounced = 0, announceTimer = null;
  function announceNotes(count) {
    const region = document.getElementById("notes-announce");
    if (!region || !count) { return; }
    unannounced += count;
    if (announceTimer) { return; }
    announceTimer = setTimeout(function () {
      region.textContent = plural(region.dataset, "notes", unannounced);
      unannounced = 0; announceTimer = null;
    }, Number(region.dataset.every));
  }

  /* The user asked their system for less motion: charts draw without animating. */
  function reducedMotion() {
    return !!(window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches);
  }

  window.Dialogcafe = { protocol: protocol, connectSocket: connectSocket, catchUp: catchUp,
    showConnection: showConnection, uuid4: uuid4, serverNow: serverNow, setServerNow: setServerNow, el: el,
    showPlanChanged: showPlanChanged, plural: plural, pluralForm: pluralForm, showCount: showCount,
    announceNotes: announceNotes, reducedMotion: reducedMotion };
})();
