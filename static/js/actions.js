/* The note picker: tell how many notes are chosen, so the project lead knows what the drafts will hold
   (the words come from the page, in its language). */
(function () {
  "use strict";
  const form = document.getElementById("draft-form");
  const count = document.getElementById("selected-count");
  if (!form || !count) { return; }
  function update() {
    const n = form.querySelectorAll("input[name=note_ids]:checked").length;
    count.textContent = window.Dialogcafe.plural(count.dataset, "chosen", n);
  }
  form.addEventListener("change", update);
  update();
})();
