/* The note picker: tell how many notes are chosen, so the host knows what the drafts will hold. */
(function () {
  "use strict";
  const form = document.getElementById("draft-form");
  const count = document.getElementById("selected-count");
  if (!form || !count) { return; }
  function update() {
    const n = form.querySelectorAll("input[name=note_ids]:checked").length;
    count.textContent = n === 1 ? "1 anteckning vald" : n + " anteckningar valda";
  }
  form.addEventListener("change", update);
  update();
})();
