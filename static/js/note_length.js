/* How long a note may be. The limit is the server's (NOTE_MAX_CHARS, passed in the page); from 80 % of it a
   counter shows how much is used, and a screen reader hears it once the host pauses typing. A text over the
   limit is never cut: it stays in the field, marked invalid, and the page refuses to send it until shortened. */
(function () {
  "use strict";
  const D = window.Dialogcafe;
  const SHOW_FROM = 0.8;
  const ANNOUNCE_AFTER_MS = 1200;  // a polite announcement per pause, not one per keystroke

  /* Characters as the server counts them: NFC code points of the trimmed text, a line break as one. */
  function length(text) {
    return Array.from(text.normalize("NFC").replace(/\r\n?/g, "\n").trim()).length;
  }

  /* field: the textarea; counter: the visible count; live: a polite live region; words: the page's strings. */
  function NoteLength(field, counter, live, words) {
    const max = Number(words.maxChars);
    const number = new Intl.NumberFormat(document.documentElement.lang || "sv");
    let timer = null;

    function say(template, used) {
      return template.replace("{used}", number.format(used)).replace("{max}", number.format(max));
    }

    function update() {
      const used = length(field.value);
      const over = used > max;
      const text = used >= SHOW_FROM * max ? say(over ? words.tooLong : words.count, used) : "";
      counter.hidden = !text;
      counter.textContent = text;
      counter.dataset.over = over ? "true" : "false";
      if (over) { field.setAttribute("aria-invalid", "true"); } else { field.removeAttribute("aria-invalid"); }
      clearTimeout(timer);
      timer = setTimeout(function () { if (live.textContent !== text) { live.textContent = text; } }, ANNOUNCE_AFTER_MS);
    }

    field.addEventListener("input", update);
    update();
    return {
      update: update,
      /* The refusal to show when the text is over the limit, else null. */
      refusal: function () { return length(field.value) > max ? say(words.tooLongError, length(field.value)) : null; },
    };
  }

  D.NoteLength = NoteLength;
})();
