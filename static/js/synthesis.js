/* The console's synthesis panel: live themes, every curation (keyboard-accessible dialogs), the undo list,
   the synthesis state, and the projector's slides. Has its own socket on /facilitator. */
(function () {
  "use strict";
  const D = window.Dialogcafe;
  const E = D.protocol.events;
  const S = document.getElementById("synthesis-strings").dataset;
  const points = JSON.parse(S.points);
  const slides = Array.from(document.getElementById("slide-select").options).map(function (o) { return o.value; });
  const themes = new Map(), members = new Map(), notes = new Map(), marks = new Set(), curations = new Map();
  const cards = new Map();
  let lastSeq = 0, scheduled = false, projector = { slide: null, rotate: null }, current = null, opener = null;
  let openerCard = null;

  /* ------------------------------------------------------------------ state */
  function apply(change) {
    lastSeq = Math.max(lastSeq, change.seq || 0);
    if (change.note) { notes.set(change.note.id, change.note); }
    (change.themes || []).forEach(function (t) { themes.set(t.id, t); });
    (change.memberships || []).forEach(function (m) { if (m[1] === null) { members.delete(m[0]); } else { members.set(m[0], m[1]); } });
    (change.marks || []).forEach(function (m) { if (m[1]) { marks.add(m[0]); } else { marks.delete(m[0]); } });
    (change.suggested || []).forEach(function (s) { const n = notes.get(s[0]); if (n) { n.suggested_point = s[1]; } });
    if (change.curation) { curations.set(change.curation.id, change.curation); }
    (change.curations || []).forEach(function (c) { curations.set(c.id, c); });
    if (change.type === E.CURATION_APPLIED && change.points) {
      change.points.forEach(function (p) { points[p.number] = p.label; });
    }
    if (change.type === E.PROJECTOR_STATE) { projector = { slide: change.slide, rotate: change.rotate }; }
  }

  function schedule() {
    if (scheduled) { return; }
    scheduled = true;
    window.requestAnimationFrame(function () { scheduled = false; render(); });
  }

  function setText(node, text) { if (node.textContent !== String(text)) { node.textContent = text; } }

  function shown() {
    return Array.from(themes.values()).filter(function (t) { return !t.merged_into && !t.hidden && t.count > 0; })
      .sort(function (a, b) { return (b.count - a.count) || (a.id - b.id); });
  }

  function themeNotes(id) {
    const out = [];
    members.forEach(function (themeId, noteId) {
      const note = notes.get(noteId);
      if (themeId === id && note && !note.deleted) { out.push(note); }
    });
    return out.sort(function (a, b) { return a.id - b.id; });
  }

  function pointText(p) { return p === null || p === undefined ? S.outside : S.point + " " + p + ". " + (points[p] || ""); }

  /* ------------------------------------------------------------------ rendering */
  const SURE_AT = 0.5;  // "säker" when the dominant point carries at least half of its notes' scores

  /* The theme's point with a plain word, säker or osäker; the figure stays in the word's tooltip and in text
     for screen readers, for the facilitator who wants it. */
  function showPoint(node, theme) {
    const figure = Math.round(100 * (theme.confidence || 0));
    const shown = theme.novel ? "novel" : theme.point + ":" + figure;
    if (node.dataset.shown === shown) { return; }
    node.dataset.shown = shown;
    if (theme.novel) { node.textContent = S.newTheme; return; }
    const word = D.el("span", "confidence", theme.confidence >= SURE_AT ? S.sure : S.unsure);
    word.title = S.confidence.replace("{figure}", figure);
    node.replaceChildren(pointText(theme.point) + " (", word, ")",
      D.el("span", "visually-hidden", ", " + word.title));
  }
  function card(theme) {
    let node = cards.get(theme.id);
    if (!node) {
      node = document.getElementById("theme-template").content.firstElementChild.cloneNode(true);
      node.dataset.themeId = theme.id;
      node.querySelector(".theme-notes").addEventListener("toggle", function () { fillNotes(node, theme.id); });
      cards.set(theme.id, node);
    }
    setText(node.querySelector(".theme-label"), theme.label);
    setText(node.querySelector(".theme-count"), theme.count);
    node.querySelector(".theme-count").setAttribute("aria-label", D.plural(S, "notes", theme.count));
    node.querySelector(".badge-novel").hidden = !theme.novel;
    node.querySelector(".badge-marked").hidden = !theme.marked;
    showPoint(node.querySelector(".theme-point"), theme);
    const quote = (theme.quotes || [])[0] || "";
    setText(node.querySelector(".theme-quote p"), quote);
    node.querySelector(".theme-quote").hidden = !quote;
    setText(node.querySelector('[data-action="mark"]'), theme.marked ? S.unmark : S.mark);
    node.querySelector('[data-action="promote"]').hidden = !theme.novel || theme.promoted_point !== null;
    if (node.querySelector(".theme-notes").open) { fillNotes(node, theme.id); }
    return node;
  }

  function fillNotes(node, id) {
    if (!node.querySelector(".theme-notes").open) { return; }
    fillNoteList(node.querySelector(".theme-note-list"), themeNotes(id));
  }

  /* A list of notes, each with its point and a button to change its point or move it to a theme. */
  function fillNoteList(list, rows) {
    rows = rows.map(function (note) {
      const li = D.el("li", "theme-note");
      const point = note.confirmed_point !== null && note.confirmed_point !== undefined
        ? pointText(note.confirmed_point || null) + " (" + S.confirmed + ")"
        : (note.suggested_point ? pointText(note.suggested_point) + " (" + S.suggested + ")" : S.noPoint);
      li.append(D.el("span", "theme-note-text", note.text), D.el("span", "theme-note-point", point));
      if (marks.has(note.id)) { li.append(D.el("span", "badge", S.mark)); }
      const edit = D.el("button", "button small", S.editNote);
      edit.type = "button";
      edit.dataset.noteId = note.id;
      li.append(edit);
      return li;
    });
    if (list.contains(document.activeElement)) { return; }
    list.replaceChildren.apply(list, rows);
  }

  /* Notes in no shown theme: counted truly, listed on demand, each movable into a theme. */
  function ungroupedNotes() {
    const shownIds = new Set(shown().map(function (t) { return t.id; }));
    return Array.from(notes.values()).filter(function (n) { return !n.deleted && !shownIds.has(members.get(n.id)); })
      .sort(function (a, b) { return a.id - b.id; });
  }

  function renderUngrouped() {
    const box = document.getElementById("ungrouped");
    const rows = ungroupedNotes();
    box.hidden = rows.length === 0;
    setText(document.getElementById("ungrouped-count"), rows.length);
    document.getElementById("ungrouped-count").setAttribute("aria-label", D.plural(S, "notes", rows.length));
    if (box.open) { fillNoteList(document.getElementById("ungrouped-list"), rows); }
    return rows.length;
  }

  function renderThemes() {
    const list = document.getElementById("theme-list");
    const wanted = shown().map(card);
    const focusInside = list.contains(document.activeElement);
    wanted.forEach(function (node, i) {
      if (list.children[i] !== node && !(focusInside && node.contains(document.activeElement))) {
        list.insertBefore(node, list.children[i] || null);
      }
    });
    Array.from(list.children).forEach(function (node) { if (wanted.indexOf(node) < 0 && !node.contains(document.activeElement)) { node.remove(); } });
    document.getElementById("themes-empty").hidden = wanted.length > 0;
  }

  /* A curation's words in the page's language (curation_words.py): a template per key, `{name}` filled in
     one pass so a theme label that contains braces stays as typed; rows from before keep their summary. */
  const WORDS = JSON.parse(S.curationWords || "{}");
  function summary(words) {
    if (!words || !words.key) { return words && words.text ? words.text : ""; }
    const template = words.key === "split" ? WORDS["split" + D.pluralForm(Number(words.num))] : WORDS[words.key];
    if (!template) { return words.text || ""; }
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      if (words.key === "undo" && name === "summary") { return summary(words.of); }
      return name in words ? String(words[name]) : whole;
    });
  }

  function renderCurations() {
    const list = document.getElementById("curation-list");
    const rows = Array.from(curations.values()).sort(function (a, b) { return b.id - a.id; }).slice(0, 20);
    const focused = list.contains(document.activeElement) ? document.activeElement.dataset.curationId : null;
    list.replaceChildren.apply(list, rows.map(function (c) {
      const li = D.el("li", "curation");
      const text = c.words ? summary(c.words) : c.summary;
      li.append(D.el("span", "curation-summary", text), D.el("span", "curation-who", " – " + c.user));
      if (c.undone_at) { li.append(" ", D.el("span", "badge", S.undone)); }
      const undo = D.el("button", "button small", S.undo);
      undo.type = "button";
      undo.dataset.curationId = c.id;
      undo.disabled = !!c.undone_at;
      undo.setAttribute("aria-label", S.undo + ": " + text);
      li.append(" ", undo);
      return li;
    }));
    if (focused) {  // the focus stays on the same change, or on the list's heading once it is undone
      const again = list.querySelector('button[data-curation-id="' + focused + '"]:not([disabled])');
      (again || document.getElementById("curation-log-heading")).focus();
    }
  }

  function renderProjector() {
    const select = document.getElementById("slide-select");
    const label = projector.slide ? select.options[slides.indexOf(projector.slide)].text : "–";
    setText(document.getElementById("projector-now"), S.showing.replace("{slide}", label));
    const rotate = document.getElementById("rotate-select");
    if (document.activeElement !== rotate) { rotate.value = projector.rotate ? String(projector.rotate) : ""; }
  }

  let lastState = null;
  function render() { renderThemes(); renderCurations(); renderProjector(); if (lastState) { showState(lastState); } }

  function showState(state) {
    lastState = state;
    const node = document.getElementById("synthesis-state");
    node.dataset.state = state.state;
    const grouped = Math.max(state.included - renderUngrouped(), 0);
    const text = state.state === "up_to_date" ? D.plural(S, "upToDate", state.included).replace("{grouped}", grouped)
      : state.state === "failed" ? S.failed : D.plural(S, "updating", state.pending);
    setText(node, text);
  }

  /* ------------------------------------------------------------------ talking to the server */
  function message(text, where) {
    const node = where || document.getElementById("curation-message");
    node.hidden = !text;
    setText(node, text || "");
  }

  function send(name, payload, done) {
    socket.timeout(10000).emit(name, payload, function (err, ack) {
      const dialogError = document.querySelector("dialog[open] .dialog-error");
      if (err || !ack) { message(S.timeout, dialogError); return; }
      if (!ack.ok) {
        ((ack.error.details || {}).themes || []).forEach(function (t) { themes.set(t.id, t); });
        message(ack.error.message, dialogError);
        schedule();
        return;
      }
      apply(ack);
      message("");
      schedule();
      if (done) { done(ack); }
    });
  }

  function base(ids) {
    const out = {};
    ids.forEach(function (id) { const t = themes.get(id); if (t) { out[id] = t.version; } });
    return out;
  }

  /* ------------------------------------------------------------------ dialogs */
  function open(id, trigger) {
    const dialog = document.getElementById(id);
    opener = trigger;
    openerCard = trigger ? trigger.closest(".theme-card") : null;
    message("", dialog.querySelector(".dialog-error"));
    dialog.showModal();
    return dialog;
  }

  function closeDialog(dialog) { dialog.close(); }

  document.querySelectorAll("dialog.curation-dialog").forEach(function (dialog) {
    dialog.addEventListener("close", function () { giveFocusBack(); });
    dialog.querySelectorAll("[data-close]").forEach(function (b) { b.addEventListener("click", function () { closeDialog(dialog); }); });
  });

  /* Back to the button that opened the dialog; when a curation took it away (a note moved out of the theme),
     to its theme's list of notes, or to the panel's heading when the theme is gone too. */
  function giveFocusBack() {
    if (opener && document.contains(opener)) { opener.focus(); return; }
    const card = openerCard && document.contains(openerCard) ? openerCard : null;
    const fallback = card ? card.querySelector("summary") : document.getElementById("synthesis-heading");
    if (fallback) { fallback.focus(); }
  }

  function onSubmit(id, handler) {
    document.getElementById(id).querySelector("form").addEventListener("submit", function (event) {
      event.preventDefault();
      handler(document.getElementById(id));
    });
  }

  const actions = {
    rename: function (theme, trigger) {
      const dialog = open("rename-dialog", trigger);
      dialog.querySelector("#rename-label").value = theme.label;
    },
    merge: function (theme, trigger) {
      const select = document.getElementById("merge-source");
      select.replaceChildren.apply(select, shown().filter(function (t) { return t.id !== theme.id; }).map(function (t) {
        const option = D.el("option", "", t.label + " (" + t.count + ")");
        option.value = t.id;
        return option;
      }));
      open("merge-dialog", trigger);
    },
    split: function (theme, trigger) {
      const list = document.getElementById("split-notes");
      list.replaceChildren.apply(list, themeNotes(theme.id).map(function (note) {
        const li = D.el("li"), box = D.el("input"), label = D.el("label", "", note.text);
        box.type = "checkbox"; box.value = note.id; box.id = "split-note-" + note.id; label.htmlFor = box.id;
        li.append(box, label);
        return li;
      }));
      document.getElementById("split-label").value = "";
      open("split-dialog", trigger);
    },
    mark: function (theme) {
      send(E.CURATION_MARK, { theme_id: theme.id, marked: !theme.marked, base_version: theme.version });
    },
    promote: function (theme, trigger) {
      const dialog = open("promote-dialog", trigger);
      dialog.querySelector("#promote-label").value = theme.label;
    },
  };

  onSubmit("rename-dialog", function (dialog) {
    const label = dialog.querySelector("#rename-label").value;
    send(E.CURATION_RENAME, { theme_id: current, label: label, base_version: themes.get(current).version },
      function () { closeDialog(dialog); });
  });
  onSubmit("merge-dialog", function (dialog) {
    const source = Number(document.getElementById("merge-source").value);
    send(E.CURATION_MERGE, { theme_id: current, source_ids: [source], base_versions: base([current, source]) },
      function () { closeDialog(dialog); });
  });
  onSubmit("split-dialog", function (dialog) {
    const chosen = Array.from(dialog.querySelectorAll("#split-notes input:checked")).map(function (b) { return Number(b.value); });
    const payload = { theme_id: current, note_ids: chosen, base_version: themes.get(current).version };
    const label = document.getElementById("split-label").value.trim();
    if (label) { payload.label = label; }
    send(E.CURATION_SPLIT, payload, function () { closeDialog(dialog); });
  });
  onSubmit("promote-dialog", function (dialog) {
    send(E.CURATION_PROMOTE, { theme_id: current, label: dialog.querySelector("#promote-label").value,
      base_version: themes.get(current).version }, function () { closeDialog(dialog); });
  });

  let currentNote = null;
  function openNote(noteId, trigger) {
    const note = notes.get(noteId);
    currentNote = noteId;
    setText(document.getElementById("note-dialog-text"), note.text);
    const point = document.getElementById("note-point");
    point.value = note.confirmed_point === null || note.confirmed_point === undefined ? "" : String(note.confirmed_point);
    const theme = document.getElementById("note-theme");
    theme.replaceChildren.apply(theme, shown().filter(function (t) { return t.id !== members.get(noteId); }).map(function (t) {
      const option = D.el("option", "", t.label);
      option.value = t.id;
      return option;
    }));
    setText(document.getElementById("note-mark"), marks.has(noteId) ? S.unmarkNote : S.markNote);
    open("note-dialog", trigger);
  }

  document.getElementById("note-point-save").addEventListener("click", function () {
    const value = document.getElementById("note-point").value;
    const note = notes.get(currentNote);
    send(E.CURATION_POINT, { note_id: currentNote, point: value === "" ? null : Number(value),
      base_point: note.confirmed_point === undefined ? null : note.confirmed_point });
  });
  document.getElementById("note-move").addEventListener("click", function () {
    const target = Number(document.getElementById("note-theme").value);
    const payload = { note_id: currentNote, theme_id: target, base_versions: base([target]) };
    send(E.CURATION_MOVE, payload, function () { closeDialog(document.getElementById("note-dialog")); });
  });
  document.getElementById("note-mark").addEventListener("click", function () {
    send(E.CURATION_MARK, { note_id: currentNote, marked: !marks.has(currentNote) }, function () {
      setText(document.getElementById("note-mark"), marks.has(currentNote) ? S.unmarkNote : S.markNote);
    });
  });

  document.getElementById("theme-list").addEventListener("click", function (event) {
    const button = event.target.closest("button");
    if (!button) { return; }
    const themeId = Number(button.closest(".theme-card").dataset.themeId);
    if (button.dataset.noteId) { current = themeId; openNote(Number(button.dataset.noteId), button); return; }
    const action = actions[button.dataset.action];
    if (action) { current = themeId; action(themes.get(themeId), button); }
  });
  document.getElementById("ungrouped-list").addEventListener("click", function (event) {
    const button = event.target.closest("button[data-note-id]");
    if (button) { current = null; openNote(Number(button.dataset.noteId), button); }
  });
  document.getElementById("ungrouped").addEventListener("toggle", renderUngrouped);
  document.getElementById("curation-list").addEventListener("click", function (event) {
    const button = event.target.closest("button[data-curation-id]");
    if (button) { send(E.CURATION_UNDO, { curation_id: Number(button.dataset.curationId) }); }
  });

  /* ------------------------------------------------------------------ projector controls */
  function showSlide(name) { send(E.PROJECTOR_SLIDE, { slide: name }); }
  document.getElementById("slide-show").addEventListener("click", function () {
    showSlide(document.getElementById("slide-select").value);
  });
  function stepSlide(delta) {
    const i = Math.max(slides.indexOf(projector.slide), 0);
    const name = slides[(i + delta + slides.length) % slides.length];
    document.getElementById("slide-select").value = name;
    showSlide(name);
  }
  document.getElementById("slide-prev").addEventListener("click", function () { stepSlide(-1); });
  document.getElementById("slide-next").addEventListener("click", function () { stepSlide(1); });
  document.getElementById("rotate-select").addEventListener("change", function (event) {
    send(E.PROJECTOR_ROTATE, { seconds: event.target.value ? Number(event.target.value) : null });
  });

  /* ------------------------------------------------------------------ the socket */
  const socket = D.connectSocket(D.protocol.namespaces.facilitator, { event_id: Number(document.body.dataset.eventId) });
  socket.on("connect", function () {
    D.catchUp(socket, lastSeq, apply).then(function (seq) {
      lastSeq = Math.max(lastSeq, seq);
      schedule();
      socket.emit(E.SYNTHESIS_STATUS, {}, function (ack) { if (ack && ack.ok) { showState(ack.state); } });
    });
  });
  [E.NOTE_ADDED, E.NOTE_UPDATED, E.NOTE_DELETED, E.SYNTHESIS_UPDATED, E.CURATION_APPLIED, E.PROJECTOR_STATE]
    .forEach(function (name) {
      socket.on(name, function (change) {
        apply(change);
        if (name === E.SYNTHESIS_UPDATED && change.state) { showState(change.state); }  /* carried live, not on sync */
        schedule();
      });
    });
  socket.on(E.SYNTHESIS_STATE, showState);
})();
