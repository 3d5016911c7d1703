/* The table host's page: every note goes to an outbox in localStorage first, so nothing typed is lost
   to a dead network, a reload or a server restart; the outbox is sent in order whenever connected. */
(function () {
  "use strict";
  const D = window.Dialogcafe;
  const E = D.protocol.events;
  const body = document.body;
  const tableId = body.dataset.tableId;
  const strings = document.getElementById("host-strings").dataset;
  const levelNames = JSON.parse(strings.levels);
  const key = function (name) { return "dialogcafe:table:" + tableId + ":" + name; };
  const OPS = { add: E.NOTE_ADD, edit: E.NOTE_EDIT, delete: E.NOTE_DELETE, restore: E.NOTE_RESTORE };
  const RETRY_CODES = ["internal", "too_many_requests"];

  let notes = load("notes", {});
  let outbox = load("outbox", []);
  let lastSeq = load("seq", 0);
  let sending = false;
  let retryTimer = null;

  function load(name, fallback) {
    try { const v = JSON.parse(localStorage.getItem(key(name))); return v === null ? fallback : v; }
    catch (e) { return fallback; }
  }
  function save() {
    localStorage.setItem(key("notes"), JSON.stringify(notes));
    localStorage.setItem(key("outbox"), JSON.stringify(outbox));
    localStorage.setItem(key("seq"), JSON.stringify(lastSeq));
  }

  const socket = D.connectSocket(D.protocol.namespaces.table, { token: body.dataset.token });

  socket.on("connect", function () {
    D.showConnection("online", strings.online);
    D.catchUp(socket, lastSeq, applyChange).then(function (seq) {
      lastSeq = Math.max(lastSeq, seq); save(); render(); flush();
    }).catch(function () { flush(); });
  });
  socket.on("disconnect", function () { D.showConnection("offline", strings.offline); sending = false; });
  socket.on("connect_error", function () { D.showConnection("offline", strings.offline); });
  [E.NOTE_ADDED, E.NOTE_UPDATED, E.NOTE_DELETED].forEach(function (name) {
    socket.on(name, function (change) { applyChange(change); save(); render(); });
  });
  socket.on(E.EVENT_UPDATED, function (change) { lastSeq = Math.max(lastSeq, change.seq || 0); D.showPlanChanged(); });
  socket.on(E.SYNTHESIS_SUGGESTED, function (message) {
    if (message && message.suggested) { fillSuggestions(message.suggested); save(); render(); }
  });
  [E.ROUND_UPDATED, E.MESSAGE_BROADCAST].forEach(function (name) {
    socket.on(name, function (change) { applyChange(change, true); save(); });
  });
  const clock = D.RoundClock(document.getElementById("round-box"));

  function pendingFor(clientId) {
    return outbox.some(function (op) { return op.client_id === clientId; });
  }

  function applyChange(change, live) {
    lastSeq = Math.max(lastSeq, change.seq || 0);
    if (change.note) { mergeServerNote(change.note); }
    if (change.type === E.ROUND_UPDATED) { clock.update(change, live); if (live) { levelOfNewRound(change); } }
    if (change.type === E.MESSAGE_BROADCAST) { D.showBroadcast(change, live); }
    if (change.suggested && change.suggested.length) { fillSuggestions(change.suggested); }
  }

  /* The synthesis pass's suggested points, [note id, point] pairs (live as synthesis:suggested, else on sync). */
  function fillSuggestions(pairs) {
    const byId = {};
    Object.values(notes).forEach(function (n) { if (n.id) { byId[n.id] = n; } });
    pairs.forEach(function (pair) { if (byId[pair[0]]) { byId[pair[0]].suggested_point = pair[1]; } });
  }

  /* A round that just started asks about one level (individ, enhet, förvaltning): make it the default. */
  function levelOfNewRound(change) {
    if (!change.round || (change.action !== "start" && change.action !== "next")) { return; }
    const radio = document.querySelector('input[name=level][value="' + (change.round.level || "") + '"]');
    if (radio) { radio.checked = true; }
  }

  function mergeServerNote(note) {
    const local = notes[note.client_id];
    if (local && pendingFor(note.client_id)) { local.id = note.id; return; }
    notes[note.client_id] = { client_id: note.client_id, id: note.id, text: note.text, level: note.level,
      unit_id: note.unit_id, deleted: note.deleted, status: "saved", created: note.created_at,
      version: note.version, starred: note.starred, suggested_point: note.suggested_point,
      confirmed_point: note.confirmed_point };
  }

  function flush() {
    if (sending || !socket.connected || outbox.length === 0) { return; }
    sending = true;
    const op = outbox[0];
    socket.timeout(8000).emit(OPS[op.op], op.payload, function (err, ack) {
      sending = false;
      if (err) { scheduleRetry(); return; }
      if (ack && ack.ok) {
        outbox.shift();
        mergeServerNote(ack.note);
      } else if (ack && ack.error && RETRY_CODES.indexOf(ack.error.code) >= 0) {
        scheduleRetry(); return;
      } else {
        outbox.shift();
        markFailed(op, ack && ack.error ? ack.error.message : strings.failed);
      }
      save(); render(); flush();
    });
  }

  function scheduleRetry() {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(flush, 1000 + Math.random() * 2000);
  }

  function markFailed(op, message) {
    const note = notes[op.client_id];
    if (note) { note.status = "failed"; note.error = message; }
  }

  function enqueue(op, clientId, payload) {
    outbox.push({ op: op, client_id: clientId, payload: payload });
    const note = notes[clientId];
    if (note) { note.status = "pending"; note.error = null; }
    save(); render(); flush();
  }

  function currentLevel() {
    const checked = document.querySelector("input[name=level]:checked");
    return checked && checked.value ? checked.value : null;
  }
  function currentUnit() {
    const select = document.getElementById("note-unit");
    return select && select.value ? Number(select.value) : null;
  }

  function addNote(text) {
    const clientId = D.uuid4();
    const payload = { client_id: clientId, text: text, level: currentLevel(), unit_id: currentUnit(),
      point: window.DialogcafePoints ? window.DialogcafePoints.take() : null };
    notes[clientId] = { client_id: clientId, text: text, level: payload.level, unit_id: payload.unit_id,
      confirmed_point: payload.point,
      deleted: false, status: "pending", created: new Date(D.serverNow()).toISOString() };
    enqueue("add", clientId, payload);
  }

  function editNote(clientId, text) {
    const queuedAdd = outbox.find(function (op) { return op.op === "add" && op.client_id === clientId; });
    notes[clientId].text = text;
    if (queuedAdd) { queuedAdd.payload.text = text; save(); render(); return; }
    enqueue("edit", clientId, { client_id: clientId, text: text });
  }

  function setDeleted(clientId, deleted) {
    notes[clientId].deleted = deleted;
    enqueue(deleted ? "delete" : "restore", clientId, { client_id: clientId });
  }

  const form = document.getElementById("note-form");
  const field = document.getElementById("note-text");
  const errorEl = document.getElementById("note-error");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    const text = field.value.trim();
    if (!text) { errorEl.textContent = strings.empty; field.focus(); return; }
    errorEl.textContent = "";
    addNote(text);
    field.value = "";
    field.focus();
  });
  field.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  function statusText(note) {
    if (note.status === "failed") { return strings.failed + ": " + (note.error || ""); }
    if (note.status === "pending") { return strings.waiting; }
    return note.deleted ? strings.deleted : strings.saved;
  }

  function renderNote(note) {
    const item = document.getElementById("note-template").content.firstElementChild.cloneNode(true);
    item.dataset.clientId = note.client_id;
    item.dataset.status = note.status;
    item.dataset.deleted = note.deleted ? "true" : "false";
    item.querySelector(".note-text").textContent = note.text;
    item.querySelector(".note-level").textContent = note.level ? levelNames[note.level] || note.level : "";
    item.querySelector(".note-status").textContent = statusText(note);
    item.querySelector("[data-action=star]").setAttribute("aria-pressed", note.starred ? "true" : "false");
    if (window.DialogcafePoints) { item.querySelector(".note-point").textContent = window.DialogcafePoints.describe(note); }
    return item;
  }

  function render() {
    const list = document.getElementById("note-list");
    const sorted = Object.values(notes).sort(function (a, b) { return (b.created || "").localeCompare(a.created || ""); });
    list.replaceChildren.apply(list, sorted.map(renderNote));
    document.getElementById("note-count").textContent =
      sorted.filter(function (n) { return !n.deleted; }).length;
  }

  document.getElementById("note-list").addEventListener("click", function (event) {
    const button = event.target.closest("button[data-action]");
    if (!button) { return; }
    const item = button.closest(".note");
    const clientId = item.dataset.clientId;
    if (button.dataset.action === "delete") { setDeleted(clientId, true); }
    if (button.dataset.action === "restore") { setDeleted(clientId, false); }
    if (button.dataset.action === "edit") { startEdit(item, clientId); }
    if (button.dataset.action === "star" && window.DialogcafePoints) {
      window.DialogcafePoints.toggleStar(notes[clientId], function () { save(); render(); });
    }
  });

  function startEdit(item, clientId) {
    const area = D.el("textarea", "edit-text");
    area.value = notes[clientId].text;
    area.setAttribute("aria-label", strings.editLabel);
    area.rows = 3;
    const saveButton = D.el("button", "button small primary", strings.save);
    const cancelButton = D.el("button", "button small", strings.cancel);
    saveButton.type = cancelButton.type = "button";
    const box = D.el("div", "note-edit");
    box.append(area, saveButton, cancelButton);
    item.replaceChildren(box);
    area.focus();
    saveButton.addEventListener("click", function () {
      const text = area.value.trim();
      if (text && text !== notes[clientId].text) { editNote(clientId, text); } else { render(); }
    });
    cancelButton.addEventListener("click", render);
    area.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); saveButton.click(); }
      if (event.key === "Escape") { render(); }
    });
  }

  window.addEventListener("online", flush);
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js").catch(function () { /* pages still work without it */ });
  }
  render();
  window.DialogcafeHost = { socket: socket, outbox: function () { return outbox; } };
})();
