/* The round and its countdown, as the host page, the console and the projector show it. The clock counts
   down to the round's `ends_at` on the server's clock (Dialogcafe.serverNow), never the browser's own. */
(function () {
  "use strict";
  const D = window.Dialogcafe;

  /* root holds .round-label, .round-question and .countdown; its data-* attributes hold the words. */
  function RoundClock(root) {
    const words = root.dataset;
    let round = JSON.parse(words.round || "null");
    let status = words.eventStatus || "live";

    function left(r) {
      if (r.status === "running" && r.ends_at) { return Math.round((Date.parse(r.ends_at) - D.serverNow()) / 1000); }
      return Math.round(r.remaining_seconds || 0);
    }

    function clockText(seconds) {
      const abs = Math.abs(seconds), m = Math.floor(abs / 60), s = abs % 60;
      return m + ":" + String(s).padStart(2, "0");
    }

    function countdownText(r) {
      if (status === "closed") { return words.closed; }
      if (!r || r.status === "planned") { return words.planned || ""; }
      if (r.status === "ended") { return words.ended; }
      const seconds = left(r);
      if (r.status === "paused") { return words.paused + " – " + clockText(seconds) + " " + words.left; }
      return seconds > 0 ? clockText(seconds) + " " + words.left : words.over;
    }

    /* A screen reader hears the last minutes (5, 2, 1 and time up) once each, never every second. */
    const MARKS = [300, 120, 60, 0];
    const region = D.el("span", "visually-hidden clock-announce");
    region.setAttribute("aria-live", "polite");
    root.appendChild(region);
    let passed = null;

    function announce(r) {
      const running = r && r.status === "running" && status !== "closed";
      const now = running ? MARKS.filter(function (mark) { return left(r) <= mark; }).length : null;
      if (running && passed !== null && now > passed) {
        const mark = MARKS[now - 1];
        region.textContent = mark === 0 ? words.over : D.plural(words, "remaining", mark / 60);
      }
      passed = now;
    }

    function tick() {
      const countdown = root.querySelector(".countdown");
      countdown.textContent = countdownText(round);
      announce(round);
      root.dataset.status = status === "closed" ? "closed" : (round ? round.status : "none");
      root.dataset.late = round && round.status === "running" && left(round) <= 0 ? "true" : "false";
    }

    function show() {
      const label = root.querySelector(".round-label"), question = root.querySelector(".round-question");
      if (label) { label.textContent = round ? words.roundWord + " " + round.number : ""; }
      if (question) { question.textContent = round ? round.question : words.none; }
      tick();
    }

    /* Apply a `round:updated` payload; `live` is true for a broadcast, false for a replay. */
    function update(change, live) {
      if (live && change.server_now) { D.setServerNow(change.server_now); }
      if (change.event_status) { status = change.event_status; }
      if ("round" in change) { round = change.round; }
      show();
    }

    setInterval(tick, 1000);
    show();
    return { update: update, round: function () { return round; }, status: function () { return status; } };
  }

  D.RoundClock = RoundClock;
})();

/* The facilitator's message of the current round on the host page. A message belongs to its round: a round
   change that starts or ends a round (`clear_messages`) takes it away, live or replayed by `sync`, so a page
   that catches up shows only what is live now. */
(function () {
  "use strict";
  const D = window.Dialogcafe;

  D.showBroadcast = function (change) {
    const box = document.getElementById("broadcast");
    if (!box) { return; }
    if (change.type === D.protocol.events.ROUND_UPDATED) {
      if (change.clear_messages) { box.querySelector(".broadcast-text").textContent = ""; box.dataset.shown = "false"; }
      return;
    }
    box.querySelector(".broadcast-text").textContent = change.text;
    box.dataset.shown = "true";
  };
})();
