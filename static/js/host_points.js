/* The host page's point suggestions and stars. While the host types, the text is sent (debounced, never
   blocking typing) as `note:suggest`; the best points appear as chips, most likely first, one tap chooses
   one, and the select offers every point and "annat". The choice goes with the next `note:add` as `point`.
   The mapper's scores choose and order the chips but are not shown: a percentage means nothing at the table. */
(function () {
  "use strict";
  const D = window.Dialogcafe;
  const E = D.protocol.events;
  const host = window.DialogcafeHost;
  const words = document.getElementById("point-strings").dataset;
  const labels = JSON.parse(words.points || "{}");
  const field = document.getElementById("note-text");
  const chips = document.getElementById("point-chips");
  const select = document.getElementById("point-select");
  const errorEl = document.getElementById("note-error");
  const DEBOUNCE_MS = 300;
  const MIN_SCORE = 0.05;  // a second or third point below 5 % is noise, not a suggestion
  let timer = null;
  let asked = 0;

  function pointName(point) {
    return Number(point) === 0 ? words.other : point + ". " + (labels[point] || "");
  }

  function chosen() {
    return select && select.value !== "" ? Number(select.value) : null;
  }

  function chip(point, text) {
    const label = D.el("label", "chip point-chip");
    const input = D.el("input");
    input.type = "radio";
    input.name = "point-chip";
    input.value = String(point);
    input.checked = chosen() === Number(point);
    label.append(input, document.createTextNode(" " + text));
    return label;
  }

  function showSuggestions(ack) {
    if (!chips) { return; }
    const likely = ack.points.filter(function (p, index) { return index === 0 || p.score >= MIN_SCORE; });
    const items = likely.map(function (p) {
      return chip(p.point, pointName(p.point));
    });
    items.push(chip(0, words.other + (ack.novel ? " – " + words.novel : "")));
    chips.replaceChildren.apply(chips, items);
  }

  function ask() {
    const text = field.value.trim();
    if (text.length < 3 || !host.socket.connected) { return; }
    const mine = ++asked;
    host.socket.timeout(3000).emit(E.NOTE_SUGGEST, { text: text }, function (err, ack) {
      if (err || !ack || !ack.ok || mine !== asked) { return; }
      if (!ack.ready) { clearTimeout(timer); timer = setTimeout(ask, 1500); return; }
      showSuggestions(ack);
    });
  }

  field.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, DEBOUNCE_MS);
  });

  if (chips) {
    chips.addEventListener("change", function (event) {
      if (event.target.name === "point-chip") { select.value = event.target.value; }
    });
    select.addEventListener("change", function () {
      chips.querySelectorAll("input").forEach(function (input) { input.checked = input.value === select.value; });
    });
  }

  /* The point chosen for the note being saved; the choice is cleared for the next note. */
  function take() {
    const point = chosen();
    asked++;
    if (select) { select.value = ""; }
    if (chips) { chips.replaceChildren(); }
    return point;
  }

  function describe(note) {
    if (note.confirmed_point !== null && note.confirmed_point !== undefined) {
      return pointName(note.confirmed_point) + " (" + words.chosen + ")";
    }
    if (note.suggested_point !== null && note.suggested_point !== undefined) {
      return pointName(note.suggested_point) + " (" + words.suggested + ")";
    }
    return "";
  }

  function toggleStar(note, done) {
    if (!host.socket.connected || !note.id) { errorEl.textContent = words.offlineStar; return; }
    const name = note.starred ? E.NOTE_UNSTAR : E.NOTE_STAR;
    host.socket.timeout(8000).emit(name, { client_id: note.client_id }, function (err, ack) {
      if (err || !ack) { errorEl.textContent = words.offlineStar; return; }
      if (!ack.ok) { errorEl.textContent = ack.error.message; return; }
      errorEl.textContent = "";
      note.starred = ack.note.starred;
      done();
    });
  }

  window.DialogcafePoints = { take: take, describe: describe, toggleStar: toggleStar };
})();
