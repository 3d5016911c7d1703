/* The facilitator's console: round control and messages, every table's notes live (per round, last
   activity, each host's connection) and a feed filtered in the browser. */
(function () {
  "use strict";
  const D = window.Dialogcafe;
  const E = D.protocol.events;
  const strings = document.getElementById("console-strings").dataset;
  const statusWords = document.getElementById("round-status-words").dataset;
  const levelNames = JSON.parse(strings.levels);
  const pointLabels = JSON.parse(strings.points || "{}");
  const eventId = Number(document.body.dataset.eventId);
  const panel = document.getElementById("round-panel");
  const clock = D.RoundClock(panel);
  const notes = new Map();
  const FEED_MAX = 200;
  let rounds = JSON.parse(panel.dataset.rounds || "[]");
  let lastSeq = 0;
  let renderQueued = false;

  const socket = D.connectSocket(D.protocol.namespaces.facilitator, { event_id: eventId });
  socket.on("connect", function () {
    D.showConnection("online", strings.online);
    D.catchUp(socket, lastSeq, apply).then(function (seq) { lastSeq = Math.max(lastSeq, seq); render(); });
    socket.emit(E.PRESENCE_LIST, {}, function (ack) {
      if (ack && ack.ok) { ack.tables.forEach(showPresence); }
    });
  });
  socket.on("disconnect", function () { D.showConnection("offline", strings.lost); });
  socket.on("connect_error", function () { D.showConnection("offline", strings.lost); });
  [E.NOTE_ADDED, E.NOTE_UPDATED, E.NOTE_DELETED, E.ROUND_UPDATED, E.MESSAGE_BROADCAST,
    E.SYNTHESIS_UPDATED].forEach(function (name) {
    socket.on(name, function (change) { apply(change, true); scheduleRender(); });
  });
  socket.on(E.PRESENCE, showPresence);
  socket.on(E.EVENT_UPDATED, function (change) { lastSeq = Math.max(lastSeq, change.seq || 0); D.showPlanChanged(); });

  function apply(change, live) {
    lastSeq = Math.max(lastSeq, change.seq || 0);
    if (live && change.type === E.NOTE_ADDED && change.note && !notes.has(change.note.id)) { D.announceNotes(1); }
    if (change.note) { notes.set(change.note.id, change.note); }
    (change.suggested || []).forEach(function (pair) {  // the synthesis pass fills in suggested points
      const note = notes.get(pair[0]);
      if (note) { note.suggested_point = pair[1]; }
    });
    if (change.type === E.ROUND_UPDATED) { showRounds(change, live); }
    if (change.type === E.MESSAGE_BROADCAST && live) {
      document.getElementById("message-status").textContent = strings.sent + ": " + change.text;
    }
    if (change.type === E.MESSAGE_BROADCAST) { showLiveMessage(change.text); }
    if (change.type === E.ROUND_UPDATED && change.clear_messages) { showLiveMessage(""); }
  }

  /* The message the tables show now: the latest of the round, gone when a round starts or ends. */
  function showLiveMessage(text) {
    document.getElementById("message-live").textContent = text;
    document.getElementById("message-live-box").hidden = !text;
  }

  /* Round control */

  function showRounds(change, live) {
    clock.update(change, live);
    rounds = change.rounds || rounds;
    rounds.forEach(function (r) {
      const item = document.querySelector('#round-list li[data-round-id="' + r.id + '"]');
      if (item) { item.dataset.status = r.status; }
    });
    showRoundStatus();
  }

  function showRoundStatus() {
    document.querySelectorAll("#round-list li").forEach(function (item) {
      item.querySelector(".round-status").textContent = statusWords[item.dataset.status] || "";
    });
    const closed = clock.status() === "closed";
    const current = rounds.find(function (r) { return r.status === "running" || r.status === "paused"; });
    const planned = rounds.some(function (r) { return r.status === "planned"; });
    const allowed = {
      "round:start": !current && planned, "round:next": planned,
      "round:pause": current && current.status === "running", "round:resume": current && current.status === "paused",
      "round:extend": !!current, "round:end": !!current, "event:close": true,
    };
    const buttons = Array.from(document.querySelectorAll("#round-controls [data-control]"));
    const focused = buttons.indexOf(document.activeElement);
    buttons.forEach(function (button) { button.disabled = closed || !allowed[button.dataset.control]; });
    if (focused >= 0 && buttons[focused].disabled) {  // a keyboard user keeps a focus among the controls
      const next = buttons.slice(focused).concat(buttons.slice(0, focused)).find(function (b) { return !b.disabled; });
      if (next) { next.focus(); }
    }
  }

  function controlPayload(name) {
    if (name === E.ROUND_EXTEND) { return { minutes: Number(document.getElementById("extend-minutes").value) }; }
    return {};
  }

  document.getElementById("round-controls").addEventListener("click", function (event) {
    const button = event.target.closest("button[data-control]");
    if (!button || button.disabled) { return; }
    const name = button.dataset.control;
    if (name === E.EVENT_CLOSE && !window.confirm(strings.confirmClose)) { return; }
    const errorEl = document.getElementById("control-error");
    socket.timeout(8000).emit(name, controlPayload(name), function (err, ack) {
      if (err) { errorEl.textContent = strings.lost; return; }
      if (!ack.ok) { errorEl.textContent = ack.error.message; return; }
      errorEl.textContent = "";
      showRounds(ack, true);
    });
  });

  document.getElementById("message-form").addEventListener("submit", function (event) {
    event.preventDefault();
    const input = document.getElementById("message-text");
    const status = document.getElementById("message-status");
    socket.timeout(8000).emit(E.MESSAGE_SEND, { text: input.value }, function (err, ack) {
      if (err) { status.textContent = strings.lost; return; }
      if (!ack.ok) { status.textContent = ack.error.message; input.focus(); return; }
      status.textContent = strings.sent + ": " + ack.message.text;
      input.value = "";
    });
  });

  /* Tables */

  function showPresence(state) {
    const card = document.querySelector('.table-card[data-table-id="' + state.table_id + '"]');
    if (!card) { return; }
    const presence = card.querySelector(".presence");
    presence.dataset.online = state.online ? "true" : "false";
    presence.querySelector(".presence-text").textContent = state.online ? strings.online : strings.offline;
    if (state.last_seen_at) { card.dataset.lastSeen = state.last_seen_at; showLastActivity(card); }
  }

  function clockTime(iso) {
    const date = new Date(iso);
    return String(date.getHours()).padStart(2, "0") + ":" + String(date.getMinutes()).padStart(2, "0");
  }

  function showLastActivity(card) {
    const latest = [card.dataset.lastNote, card.dataset.lastSeen].filter(Boolean).sort().pop();
    if (latest) { card.querySelector(".last-activity-time").textContent = clockTime(latest); }
  }

  function renderTables(live) {
    const byTable = {};
    live.forEach(function (n) {
      const t = byTable[n.table_id] = byTable[n.table_id] || { total: 0, rounds: {}, last: "" };
      t.total += 1;
      t.rounds[n.round_id] = (t.rounds[n.round_id] || 0) + 1;
      if ((n.updated_at || "") > t.last) { t.last = n.updated_at; }
    });
    document.querySelectorAll(".table-card").forEach(function (card) {
      const t = byTable[card.dataset.tableId] || { total: 0, rounds: {}, last: "" };
      D.showCount(card.querySelector(".count"), t.total);
      card.querySelectorAll(".per-round li").forEach(function (item) {
        item.querySelector(".round-count").textContent = t.rounds[item.dataset.roundId] || 0;
      });
      if (t.last) { card.dataset.lastNote = t.last; }
      showLastActivity(card);
    });
  }

  /* Feed */

  function pointOf(note) {
    return note.confirmed_point !== null && note.confirmed_point !== undefined ? note.confirmed_point : note.suggested_point;
  }

  function filters() {
    const wanted = {};
    document.querySelectorAll("#feed-filters [data-filter]").forEach(function (input) {
      if (input.type === "checkbox") { if (input.checked) { wanted[input.dataset.filter] = true; } }
      else if (input.value !== "") { wanted[input.dataset.filter] = input.value; }
    });
    return wanted;
  }

  function matches(note, wanted) {
    const point = pointOf(note);
    if (wanted.starred && !note.starred) { return false; }
    if (wanted.novel && point !== 0) { return false; }
    if (wanted.point !== undefined && String(point) !== wanted.point) { return false; }
    return ["table_id", "round_id", "level", "unit_id"].every(function (key) {
      return wanted[key] === undefined || String(note[key]) === wanted[key];
    });
  }

  function optionText(selectId, value) {
    const option = document.querySelector("#" + selectId + ' option[value="' + value + '"]');
    return option && value !== null && value !== undefined ? option.textContent : "";
  }

  function pointText(note) {
    const point = pointOf(note);
    if (point === null || point === undefined) { return ""; }
    const name = point === 0 ? strings.other : point + ". " + (pointLabels[point] || "");
    const confirmed = note.confirmed_point !== null && note.confirmed_point !== undefined;
    return name + " (" + (confirmed ? strings.confirmed : strings.suggested) + ")";
  }

  function feedItem(n) {
    const item = D.el("li", "feed-item");
    item.dataset.noteId = n.id;
    item.dataset.starred = n.starred ? "true" : "false";
    item.dataset.point = pointOf(n) === null || pointOf(n) === undefined ? "" : String(pointOf(n));
    const meta = [optionText("filter-table", n.table_id), optionText("filter-round", n.round_id),
      n.level ? levelNames[n.level] || n.level : "", optionText("filter-unit", n.unit_id),
      n.starred ? "★ " + strings.starred : ""].filter(Boolean).join(" · ");
    item.append(D.el("p", "feed-text", n.text), D.el("p", "feed-meta", meta),
      D.el("p", "feed-meta feed-point", pointText(n)));
    return item;
  }

  function renderFeed(live) {
    const wanted = filters();
    const shown = live.filter(function (n) { return matches(n, wanted); }).sort(function (a, b) { return b.id - a.id; });
    const feed = document.getElementById("feed");
    feed.replaceChildren.apply(feed, shown.slice(0, FEED_MAX).map(feedItem));
    document.getElementById("feed-shown").textContent =
      D.plural(strings, "shown", live.length).replace("{shown}", shown.length);
  }

  function render() {
    renderQueued = false;
    const live = Array.from(notes.values()).filter(function (n) { return !n.deleted; });
    document.getElementById("note-count").textContent = live.length;
    renderTables(live);
    renderFeed(live);
  }

  function scheduleRender() {
    if (renderQueued) { return; }
    renderQueued = true;
    setTimeout(render, 50);
  }

  document.getElementById("feed-filters").addEventListener("change", render);
  D.setServerNow(panel.dataset.serverNow);
  showRoundStatus();
  window.DialogcafeConsole = { socket: socket, notes: notes };
})();
