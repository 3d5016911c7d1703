/* A host's unsent text, read from what the table's page keeps in localStorage: notes and changes still in the
   outbox, notes the server refused, edits left open and the note being typed. When the table is removed or the
   café closed they cannot be saved any more, so the host page and the join page show them with a button that
   copies them out. */
(function () {
  "use strict";
  const D = window.Dialogcafe;

  function tableKey(tableId, name) { return "dialogcafe:table:" + tableId + ":" + name; }
  function codeKey(code) { return "dialogcafe:code:" + String(code || "").toUpperCase().replace(/[^A-Z0-9]/g, ""); }

  function stored(tableId, name, fallback) {
    try { const v = JSON.parse(localStorage.getItem(tableKey(tableId, name))); return v === null ? fallback : v; }
    catch (e) { return fallback; }
  }

  /* Every text typed at the table that the server does not have, oldest first, each once. */
  function texts(tableId) {
    const notes = stored(tableId, "notes", {});
    const outbox = stored(tableId, "outbox", []);
    const edits = stored(tableId, "edits", {});
    const out = [];
    function add(text) {
      text = (text || "").trim();
      if (text && out.indexOf(text) < 0) { out.push(text); }
    }
    outbox.forEach(function (op) {
      if (op.op === "add" || op.op === "edit") { add(notes[op.client_id] ? notes[op.client_id].text : op.payload.text); }
    });
    Object.values(notes).forEach(function (note) { if (note.status === "failed") { add(note.text); } });
    Object.keys(edits).forEach(function (clientId) {
      const note = notes[clientId];
      if (!note || note.text !== edits[clientId].trim()) { add(edits[clientId]); }
    });
    add(stored(tableId, "draft", ""));
    return out;
  }

  /* Fill the box (templates/host/_unsent.html) with the texts. */
  function show(box, list) {
    box.querySelector("#unsent-text").value = list.join("\n\n");
    box.querySelector("#unsent-none").hidden = list.length > 0;
    box.querySelector("#unsent-some").hidden = list.length === 0;
  }

  function copy(box) {
    const area = box.querySelector("#unsent-text");
    const status = box.querySelector("#copy-unsent-status");
    function copied() { status.textContent = box.dataset.copied; }
    function byHand() {  // without the clipboard API: select the text and ask the browser to copy it
      area.focus();
      area.select();
      let done = false;
      try { done = document.execCommand("copy"); } catch (e) { done = false; }
      status.textContent = done ? box.dataset.copied : box.dataset.copyFailed;
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(area.value).then(copied, byHand);
    } else {
      byHand();
    }
  }

  document.addEventListener("click", function (event) {
    const button = event.target.closest && event.target.closest("#copy-unsent");
    if (button) { copy(button.closest("#unsent")); }
  });

  /* The join page names a table's code: a table this phone wrote at and that has gone away. */
  function showForCode() {
    const box = document.getElementById("unsent");
    const section = document.getElementById("unsent-section");
    if (!box || !section || !box.dataset.code) { return; }
    const tableId = localStorage.getItem(codeKey(box.dataset.code));
    const list = tableId ? texts(tableId) : [];
    if (list.length) { show(box, list); section.hidden = false; }
  }

  D.unsent = { tableKey: tableKey, codeKey: codeKey, texts: texts, show: show };
  showForCode();
})();
