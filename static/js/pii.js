/* Personal data in a note, found while the host types: the same rules as cafe/services/pii.py
   (personnummer and samordningsnummer with a valid date and Luhn digit, Swedish phone numbers, e-mail).
   Warns while typing; before sending, the first press only explains what will happen. */
(function () {
  "use strict";
  const W = "[\\p{L}\\p{N}_]";
  const IDENTITY = new RegExp("(?<!" + W + ")((?:18|19|20)?\\d{6})([-+ ]?)(\\d{4})(?!" + W + ")", "gu");
  const PHONE = new RegExp("(?<![\\p{L}\\p{N}_+])(?<!\\d[ -])(?:(?:\\+|00)46[ -]?(?:\\(0\\)[ -]?)?[1-9]|0[1-9]|" +
    "\\(0[1-9]\\d{0,2}\\)[ -]?\\d)(?:[ -]?\\d){6,8}(?!" + W + ")", "gu");
  const DATE_LIKE = /^\d{1,2}[-./ ]\d{1,2}[-./ ]\d{2,4}$|^\d{4}-\d{2}-\d{2}$/;
  const EMAIL = new RegExp("(?<![\\p{L}\\p{N}_.+-])[\\p{L}\\p{N}_.+-]+@[\\p{L}\\p{N}_-]+(?:\\.[\\p{L}\\p{N}_-]+)*" +
    "\\.[A-Za-z]{2,}(?!" + W + ")", "gu");
  const LABELS = { "personnummer": "[personnummer]", "samordningsnummer": "[samordningsnummer]",
    "telefonnummer": "[telefonnummer]", "e-post": "[e-post]" };

  function luhnOk(digits) {
    let total = 0;
    for (let i = 0; i < digits.length; i++) {
      let n = Number(digits[digits.length - 1 - i]) * (i % 2 ? 2 : 1);
      total += n > 9 ? n - 9 : n;
    }
    return total % 10 === 0;
  }

  function validDate(year, month, day) {
    const d = new Date(Date.UTC(year, month - 1, day));
    return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
  }

  function identityKind(birth, serial) {
    const short = birth.slice(-6);
    if (!luhnOk(short + serial)) { return null; }
    const yy = Number(short.slice(0, 2)), month = Number(short.slice(2, 4)), day = Number(short.slice(4, 6));
    const year = birth.length === 8 ? Number(birth.slice(0, 4)) : 2000 + yy;
    const either = function (d) {
      return validDate(year, month, d) || (birth.length === 6 && validDate(1900 + yy, month, d));
    };
    if (either(day)) { return "personnummer"; }
    if (day > 60 && either(day - 60)) { return "samordningsnummer"; }
    return null;
  }

  function matches(regex, text, kindOf) {
    const found = [];
    for (const m of text.matchAll(regex)) {
      const kind = kindOf(m);
      if (kind) { found.push({ kind: kind, start: m.index, end: m.index + m[0].length }); }
    }
    return found;
  }

  function find(text) {
    const all = matches(IDENTITY, text, function (m) { return identityKind(m[1], m[3]); })
      .concat(matches(EMAIL, text, function () { return "e-post"; }))
      .concat(matches(PHONE, text, function (m) { return DATE_LIKE.test(m[0]) ? null : "telefonnummer"; }));
    const taken = [];
    all.forEach(function (f) {
      if (!taken.some(function (t) { return f.start < t.end && t.start < f.end; })) { taken.push(f); }
    });
    return taken.sort(function (a, b) { return a.start - b.start; });
  }

  function kinds(findings) {
    return Object.keys(LABELS).filter(function (k) { return findings.some(function (f) { return f.kind === k; }); });
  }

  function mask(text) {
    return find(text).reverse().reduce(function (t, f) {
      return t.slice(0, f.start) + LABELS[f.kind] + t.slice(f.end);
    }, text);
  }

  window.Dialogcafe = window.Dialogcafe || {};
  window.Dialogcafe.pii = { find: find, kinds: kinds, mask: mask };

  const box = document.getElementById("note-pii");
  const form = document.getElementById("note-form");
  const field = document.getElementById("note-text");
  if (!box || !form || !field) { return; }
  const s = box.dataset;
  let confirmedText = null;

  function names(list) {
    const words = JSON.parse(s.kinds);
    return list.map(function (k) { return words[k] || k; }).join(", ");
  }

  function show(message) {
    box.textContent = message;
    box.hidden = !message;
  }

  field.addEventListener("input", function () {
    const found = kinds(find(field.value));
    confirmedText = null;
    show(found.length ? s.typing.replace("%s", names(found)) : "");
  });

  // Registered on the document while capturing, so it runs before the page's own submit handler.
  document.addEventListener("submit", function (event) {
    if (event.target !== form) { return; }
    const text = field.value.trim();
    const found = kinds(find(text));
    if (!found.length) { show(""); return; }
    if (s.mode === "block") {
      show(s.block.replace("%s", names(found)));
    } else if (confirmedText !== text) {
      confirmedText = text;
      show((s.mode === "warn" ? s.warn : s.mask).replace("%s", names(found)));
    } else {
      confirmedText = null;
      show("");
      return;
    }
    event.preventDefault();
    event.stopImmediatePropagation();
    field.focus();
  }, true);
})();
