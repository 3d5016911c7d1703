/* The table host's page: every note goes to an outbox in localStorage first, so nothing typed is lost
   to a dead network, a reload or a server restart; the outbox is sent in order whenever connected. The note
   being typed and every edit left open are kept there too, and survive re-renders, reconnects and reloads.
   When the table is removed or the café closed, the page says so, stops the form and keeps what is unsent. */
(function () {
  "use strict";
  const D = window.Dialogcafe;
  const E = D.protocol.events;
  const body = document.body;
  const tableId = Number(body.dataset.tableId);
  const strings = document.getElementById("host-strings").dataset;
  const levelNames = JSON.parse(strings.levels);
  const key = function (name) { return D.unsent.tableKey(tableId, name); };
  const OPS = { add: E.NOTE_ADD, edit: E.NOTE_EDIT, delete: E.NOTE_DELETE, restore: E.NOTE_RESTORE };
  const RETRY_CODES = ["internal", "too_many_requests"];
  const GONE_CODES = { table_removed: "removed", event_closed: "closed" };

  let notes = load("notes", {});
  let outbox = load("outbox", []);
  let lastSeq = load("seq", 0);
  let edits = load("edits", {});  // the edits left open: client id -> the text in the edit box
  let inFlight = null;  // the outbox operation on its way to the server
  let retryTimer = null;
  let synced = false;
  // Why notes cannot be saved here any more: the server refused the table, the latest plan lacks it, or the
  // café is closed (from the latest change seen, so a replayed history ends in the state of today).
  const gone = { refused: false, listed: true, closed: document.getElementById("round-box").dataset.eventStatus === "closed" };
  const editBoxes = new Map();

  function load(name, fallback) {
    try { const v = JSON.parse(localStorage.getItem(key(name))); return v === null ? fallback : v; }
    catch (e) { return fallback; }
  }
  function save() {
    localStorage.setItem(key("notes"), JSON.stringify(notes));
    localStorage.setItem(key("outbox"), JSON.stringify(outbox));
    localStorage.setItem(key("seq"), JSON.stringify(lastSeq));
    localStorage.setItem(key("edits"), JSON.stringify(edits));
    if (goneKind()) { D.unsent.show(document.getElementById("unsent"), D.unsent.texts(tableId)); }
  }
  localStorage.setItem(D.unsent.codeKey(body.dataset.joinCode), String(tableId));

  const socket = D.connectSocket(D.protocol.namespaces.table, { token: body.dataset.token });

  function showState(state, text) {
    if (!goneKind()) { D.showConnection(state, text); }
  }

  socket.on("connect", function () {
    showState("online", strings.online);
    D.catchUp(socket, lastSeq, applyChange).then(function (seq) {
      lastSeq = Math.max(lastSeq, seq); synced = true; save(); render(); showGone(); flush();
    }).catch(function () { flush(); });
  });
  socket.on("disconnect", function () { showState("offline", strings.offline); inFlight = null; });
  socket.on("connect_error", function (error) {
    if (error && error.data && GONE_CODES[error.data.code] === "removed") {
      gone.refused = true; socket.disconnect(); showGone(); return;
    }
    showState("offline", strings.offline);
  });
  [E.NOTE_ADDED, E.NOTE_UPDATED, E.NOTE_DELETED].forEach(function (name) {
    socket.on(name, function (change) { applyChange(change); save(); render(); });
  });
  socket.on(E.EVENT_UPDATED, function (change) {
    applyChange(change); save(); showGone();
    if (!goneKind()) { D.showPlanChanged(); }
  });
  socket.on(E.SYNTHESIS_SUGGESTED, function (message) {
    if (message && message.suggested) { fillSuggestions(message.suggested); save(); render(); }
  });
  [E.ROUND_UPDATED, E.MESSAGE_BROADCAST].forEach(function (name) {
    socket.on(name, function (change) { applyChange(change, true); save(); showGone(); });
  });
  const clock = D.RoundClock(document.getElementById("round-box"));

  function pendingFor(clientId) {
    return outbox.some(function (op) { return op.client_id === clientId; });
  }

  function applyChange(change, live) {
    lastSeq = Math.max(lastSeq, change.seq || 0);
    if (change.note) { mergeServerNote(change.note); }
    if (change.type === E.ROUND_UPDATED) {
      clock.update(change, live);
      if (live) { levelOfNewRound(change); }
      gone.closed = change.event_status === "closed";
    }
    if (change.type === E.EVENT_UPDATED) { planChanged(change); }
    if (change.type === E.ROUND_UPDATED || change.type === E.MESSAGE_BROADCAST) { D.showBroadcast(change, live); }
    if (change.suggested && change.suggested.length) { fillSuggestions(change.suggested); }
  }

  /* The organizer's new plan: is this table still in it, is the café still open? */
  function planChanged(change) {
    if (change.tables) { gone.listed = change.tables.some(function (t) { return t.id === tableId; }); }
    if (change.event && change.event.status) { gone.closed = change.event.status === "closed"; }
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
    if (inFlight || goneKind() || !socket.connected || outbox.length === 0) { return; }
    const op = inFlight = outbox[0];
    socket.timeout(8000).emit(OPS[op.op], op.payload, function (err, ack) {
      if (inFlight === op) { inFlight = null; }
      if (err) { scheduleRetry(); return; }
      const code = ack && ack.error ? ack.error.code : null;
      if (ack && ack.ok) {
        drop(op);
        mergeServerNote(ack.note);
        if (op.op === "add") { tell(strings.saved); }
      } else if (RETRY_CODES.indexOf(code) >= 0) {
        scheduleRetry(); return;
      } else if (GONE_CODES[code]) {  // kept in the outbox: shown among the unsent notes to copy out
        if (GONE_CODES[code] === "removed") { gone.refused = true; } else { gone.closed = true; }
        save(); render(); showGone(); return;
      } else {
        drop(op);
        markFailed(op, ack && ack.error ? ack.error.message : strings.failed);
      }
      save(); render(); flush();
    });
  }

  /* Take an answered operation out of the outbox (by itself: a resend after a reconnect may answer twice). */
  function drop(op) {
    const index = outbox.indexOf(op);
    if (index >= 0) { outbox.splice(index, 1); }
  }

  function scheduleRetry() {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(flush, 1000 + Math.random() * 2000);
  }

  function markFailed(op, message) {
    const note = notes[op.client_id];
    if (note) { note.status = "failed"; note.error = message; }
  }

  /* The list of notes is redrawn as a whole, so it is no live region: a screen reader hears what became of
     the host's own note instead, once. */
  function tell(text) {
    const region = document.getElementById("note-saved-live");
    region.textContent = "";  // the same words again are a new announcement
    setTimeout(function () { region.textContent = text; }, 100);
  }

  function enqueue(op, clientId, payload) {
    outbox.push({ op: op, client_id: clientId, payload: payload });
    const note = notes[clientId];
    if (note) { note.status = "pending"; note.error = null; }
    if (op === "add" && !socket.connected) { tell(strings.waiting); }
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
    // A queued add still waiting takes the new wording; one already on its way is followed by an edit.
    const queuedAdd = outbox.find(function (op) { return op.op === "add" && op.client_id === clientId && op !== inFlight; });
    notes[clientId].text = text;
    if (queuedAdd) { queuedAdd.payload.text = text; save(); render(); return; }
    enqueue("edit", clientId, { client_id: clientId, text: text });
  }

  function setDeleted(clientId, deleted) {
    notes[clientId].deleted = deleted;
    enqueue(deleted ? "delete" : "restore", clientId, { client_id: clientId });
  }

  /* The note being typed: kept on the device at every keystroke, counted against the server's limit. */
  const form = document.getElementById("note-form");
  const field = document.getElementById("note-text");
  const errorEl = document.getElementById("note-error");
  field.value = load("draft", "");
  const fieldLength = D.NoteLength(field, document.getElementById("note-chars"),
    document.getElementById("note-chars-live"), strings);
  field.addEventListener("input", function () { localStorage.setItem(key("draft"), JSON.stringify(field.value)); });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (goneKind()) { errorEl.textContent = goneWords().title; return; }
    const text = field.value.trim();
    if (!text) { errorEl.textContent = strings.empty; field.focus(); return; }
    const tooLong = fieldLength.refusal();
    if (tooLong) { errorEl.textContent = tooLong; field.focus(); return; }
    errorEl.textContent = "";
    addNote(text);
    field.value = "";
    localStorage.removeItem(key("draft"));
    fieldLength.update();
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

  /* Put the wanted items in the list without moving those that stay, so an open edit keeps its focus,
     caret and typing; if one had to move anyway, its focus and selection are put back. */
  function place(list, wanted) {
    const active = document.activeElement;
    const selection = active && "selectionStart" in active ? [active.selectionStart, active.selectionEnd] : null;
    Array.from(list.children).forEach(function (child) { if (wanted.indexOf(child) < 0) { child.remove(); } });
    let cursor = list.firstElementChild;
    wanted.forEach(function (node) {
      if (node === cursor) { cursor = cursor.nextElementSibling; } else { list.insertBefore(node, cursor); }
    });
    if (active && active !== document.activeElement && list.contains(active)) {
      active.focus();
      if (selection) { active.setSelectionRange(selection[0], selection[1]); }
    }
    refocus(list, active);
  }

  /* A button of a note that was drawn anew (star, delete, restore) hands its focus to the same button of the
     new drawing, or to the first button shown there, so a keyboard user does not land at the top of the page. */
  function refocus(list, active) {
    const item = active && active.dataset && active.dataset.action && active.closest(".note");
    if (!item || list.contains(active) || !item.dataset.clientId) { return; }
    const again = list.querySelector('.note[data-client-id="' + CSS.escape(item.dataset.clientId) + '"]');
    if (!again) { return; }
    const buttons = Array.from(again.querySelectorAll("button[data-action]"))
      .filter(function (b) { return b.getClientRects().length > 0; });
    const same = buttons.find(function (b) { return b.dataset.action === active.dataset.action; });
    if (same || buttons[0]) { (same || buttons[0]).focus(); }
  }

  function render() {
    const list = document.getElementById("note-list");
    const sorted = Object.values(notes).sort(function (a, b) { return (b.created || "").localeCompare(a.created || ""); });
    place(list, sorted.map(function (note) {
      return edits[note.client_id] !== undefined ? editBox(note) : renderNote(note);
    }));
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
    if (button.dataset.action === "edit") { startEdit(clientId); }
    if (button.dataset.action === "star" && window.DialogcafePoints) {
      window.DialogcafePoints.toggleStar(notes[clientId], function () { save(); render(); });
    }
  });

  /* Edits: an open edit lives in `edits` (saved at every keystroke) and its box is kept across renders. */

  function startEdit(clientId) {
    edits[clientId] = notes[clientId].text;
    save(); render();
    const box = editBoxes.get(clientId);
    if (box) { box.querySelector("textarea").focus(); }
  }

  function closeEdit(clientId) {
    delete edits[clientId];
    editBoxes.delete(clientId);
    save(); render();
    const item = document.querySelector('#note-list .note[data-client-id="' + clientId + '"] [data-action=edit]');
    if (item) { item.focus(); }
  }

  function editBox(note) {
    const clientId = note.client_id;
    let item = editBoxes.get(clientId);
    if (!item) { item = buildEditBox(clientId); editBoxes.set(clientId, item); }
    item.dataset.status = note.status;
    item.querySelector(".note-status").textContent = statusText(note);
    return item;
  }

  function buildEditBox(clientId) {
    const item = D.el("li", "note editing");
    item.dataset.clientId = clientId;
    const area = D.el("textarea", "edit-text");
    area.value = edits[clientId];
    area.id = "edit-" + clientId;
    area.setAttribute("aria-label", strings.editLabel);
    area.setAttribute("aria-describedby", "edit-chars-" + clientId + " edit-error-" + clientId);
    area.rows = 3;
    const counter = D.el("p", "char-count");
    counter.id = "edit-chars-" + clientId;
    const live = D.el("p", "visually-hidden");
    live.setAttribute("aria-live", "polite");
    const error = D.el("p", "field-error");
    error.id = "edit-error-" + clientId;
    error.setAttribute("role", "alert");
    const saveButton = D.el("button", "button small primary", strings.save);
    const cancelButton = D.el("button", "button small", strings.cancel);
    saveButton.type = cancelButton.type = "button";
    const box = D.el("div", "note-edit");
    box.append(area, counter, live, error, saveButton, cancelButton, D.el("p", "note-meta note-status"));
    item.append(box);
    const length = D.NoteLength(area, counter, live, strings);
    area.addEventListener("input", function () { edits[clientId] = area.value; save(); });
    saveButton.addEventListener("click", function () {
      const text = area.value.trim();
      const tooLong = length.refusal();
      if (tooLong) { error.textContent = tooLong; area.focus(); return; }
      if (text && text !== notes[clientId].text) { editNote(clientId, text); }
      closeEdit(clientId);
    });
    cancelButton.addEventListener("click", function () { closeEdit(clientId); });
    area.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) { event.preventDefault(); saveButton.click(); }
      if (event.key === "Escape") { closeEdit(clientId); }
    });
    return item;
  }

  /* The table removed or the café closed: say so, stop the form, show what is unsent with a copy button. */

  function goneKind() {
    if (gone.refused || !gone.listed) { return "removed"; }
    return gone.closed ? "closed" : null;
  }

  function goneWords() {
    return goneKind() === "removed" ? { title: strings.removedTitle, text: strings.removedText }
      : { title: strings.closedTitle, text: strings.closedText };
  }

  function showGone() {
    const kind = goneKind();
    const banner = document.getElementById("host-gone");
    if (!kind || banner.dataset.kind === kind) { return; }
    const words = goneWords();
    banner.dataset.kind = kind;
    banner.querySelector("#host-gone-title").textContent = words.title;
    banner.querySelector("#host-gone-text").textContent = words.text;
    D.unsent.show(document.getElementById("unsent"), D.unsent.texts(tableId));
    banner.hidden = false;
    D.showConnection("gone", words.title);
    field.readOnly = true;
    form.querySelectorAll("input, select, button").forEach(function (control) { control.disabled = true; });
    document.getElementById("plan-changed").hidden = true;
    clearTimeout(retryTimer);
  }

  window.addEventListener("online", flush);
  render();
  showGone();
  D.offline.prepare();
  window.DialogcafeHost = { socket: socket, outbox: function () { return outbox; },
    synced: function () { return synced; } };
})();
