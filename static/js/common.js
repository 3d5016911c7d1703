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

  window.Dialogcafe = { protocol: protocol, connectSocket: connectSocket, catchUp: catchUp,
    showConnection: showConnection, uuid4: uuid4, serverNow: serverNow, setServerNow: setServerNow, el: el,
    showPlanChanged: showPlanChanged };
})();
