/* Personal data in a note, found while the host types: the same rules as cafe/privacy/pii.py and
   names.py (identity and coordination numbers with a valid date, Swedish phone numbers, e-mail, clients'
   names next to a client word or a number) on the same names file (static/vendor/names_sv.txt, copied
   from cafe/privacy/data by `make vendor`). Warns while typing; before sending, the first press only
   explains what will happen, also when the note only seems to name a person. */
(function () {
  "use strict";
  const W = "[\\p{L}\\p{N}_]";
  const LETTER = "[\\p{L}\\p{Nl}\\p{No}]";  // Python's [^\W\d_]
  const IDENTITY = new RegExp("(?<!" + W + ")((?:18|19|20)?[0-9]{6})([-+ ]?)([0-9]{4})(?!" + W + ")", "gu");
  const PHONE_RUN = new RegExp("(?<![\\p{L}\\p{N}_+(])\\+?\\(?[0-9]+\\)?(?:(?: ?[-–] ?| |(?<=\\)))\\+?\\(?[0-9]+\\)?)*" +
    "(?!" + W + ")", "gu");
  const PHONE_GROUP = /\+?\(?[0-9]+\)?/g;
  const DATE_LIKE = /^[0-9]{1,2}[-./ ][0-9]{1,2}[-./ ][0-9]{2,4}$|^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
  const EMAIL = new RegExp("(?<![\\p{L}\\p{N}_.+-])[\\p{L}\\p{N}_.+-]+@[\\p{L}\\p{N}_-]+(?:\\.[\\p{L}\\p{N}_-]+)*" +
    "\\.[A-Za-z]{2,}(?!" + W + ")", "gu");
  const LABELS = { "personnummer": "[personnummer]", "samordningsnummer": "[samordningsnummer]",
    "telefonnummer": "[telefonnummer]", "e-post": "[e-post]", "namn": "[namn]" };
  const MIN_DIGITS = 8;
  const WORD = new RegExp(LETTER + "+(?:-" + LETTER + "+)*", "gu");
  const NEAR = /^[ \t]*[,:(–-]?[ \t]*["'“”‘’]?$/;
  const NEAR_BEFORE = /^[."'“”‘’)]?[ \t]*[,:(–-]?[ \t]*["'“”‘’]?$/;
  const APPOSITION = /^[ \t]*[,(][ \t]*$/;
  const LIST_COMMA = /^[ \t]*,[ \t]*$/;
  const NOT_A_PERSON = new RegExp("(?<!" + W + ")(?:S:t|Sankt|St\\.?|[Ll]ex)[ \t]+$", "u");
  const MAX_NAME_WORDS = 4;
  const SECTIONS = ["first names", "surnames", "also words", "client words", "family words", "number words",
    "name connectors"];
  let voc = null;

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
    const yy = Number(short.slice(0, 2)), month = Number(short.slice(2, 4)), day = Number(short.slice(4, 6));
    const year = birth.length === 8 ? Number(birth.slice(0, 4)) : 2000 + yy;
    const either = function (d) {
      return validDate(year, month, d) || (birth.length === 6 && validDate(1900 + yy, month, d));
    };
    if (either(day)) { return "personnummer"; }
    if (day > 60 && either(day - 60)) { return "samordningsnummer"; }
    return null;
  }

  function identities(text) {
    const checked = [], typos = [];
    for (const m of text.matchAll(IDENTITY)) {
      const kind = identityKind(m[1], m[3]);
      if (kind) {
        (luhnOk(m[1].slice(-6) + m[3]) ? checked : typos).push({ kind: kind, start: m.index, end: m.index + m[0].length });
      }
    }
    return [checked, typos];
  }

  function strip(group) { return group.replace(/^[+()]+|[+()]+$/g, ""); }

  function nationalGroups(groups) {
    let digits = groups.map(strip);
    if (groups[0].startsWith("+46") || digits[0].startsWith("0046")) {
      digits[0] = groups[0].startsWith("+") ? digits[0].slice(2) : digits[0].slice(4);
      digits = digits.filter(Boolean);
      if (digits.length && digits[0].startsWith("0")) {
        digits[0] = digits[0].slice(1);
        digits = digits.filter(Boolean);
      }
      return digits.length ? ["0" + digits[0]].concat(digits.slice(1)) : null;
    }
    if (groups.some(function (g) { return g.startsWith("+"); }) || !digits[0].startsWith("0")) { return null; }
    return digits;
  }

  function isPhone(groups) {
    const national = nationalGroups(groups);
    if (national === null) { return false; }
    const number = national.join("");
    if (number.length < 8 || number.length > 10 || number[1] === "0" ||
        (number.startsWith("07") && number.length !== 10)) { return false; }
    if (national.length === 1) { return true; }
    const area = national[0], subscriber = number.slice(area.length);
    return (area === "08" || area.length === 3 || area.length === 4) && subscriber.length >= 5 &&
      subscriber.length <= 8 && subscriber[0] !== "0";
  }

  function phonesIn(run, offset, text) {
    const groups = Array.from(run.matchAll(PHONE_GROUP));
    const found = [];
    const mayStart = function (i) {
      if (i === 0) { return true; }
      const before = run.slice(groups[i - 1].index + groups[i - 1][0].length, groups[i].index);
      return !(before === " " && groups[i - 1][0].length <= 3);
    };
    for (let i = 0; i < groups.length; i++) {
      for (let j = Math.min(groups.length, i + 7) - 1; j >= i; j--) {
        const start = offset + groups[i].index, end = offset + groups[j].index + groups[j][0].length;
        if (mayStart(i) && !DATE_LIKE.test(text.slice(start, end)) &&
            isPhone(groups.slice(i, j + 1).map(function (g) { return g[0]; }))) {
          found.push({ kind: "telefonnummer", start: start, end: end });
          i = j;
          break;
        }
      }
    }
    return found;
  }

  function phones(text) {
    let found = [];
    for (const run of text.matchAll(PHONE_RUN)) {
      if ((run[0].match(/[0-9]/g) || []).length >= MIN_DIGITS) { found = found.concat(phonesIn(run[0], run.index, text)); }
    }
    return found;
  }

  function emails(text) {
    return Array.from(text.matchAll(EMAIL), function (m) { return { kind: "e-post", start: m.index, end: m.index + m[0].length }; });
  }

  function mayHold(text) {
    return text.includes("@") || (text.match(/[0-9]/g) || []).length >= MIN_DIGITS;
  }

  function overlaps(a, list) {
    return list.some(function (t) { return a.start < t.end && t.start < a.end; });
  }

  function numbers(text) {
    const ids = identities(text);
    const taken = [];
    ids[0].concat(emails(text), phones(text), ids[1]).forEach(function (f) {
      if (!overlaps(f, taken)) { taken.push(f); }
    });
    return taken;
  }

  /* Names: the same rules as cafe/privacy/names.py. */

  function parse(text) {
    const sections = {};
    SECTIONS.forEach(function (s) { sections[s] = []; });
    let current = null;
    text.split(/\r?\n/).forEach(function (raw) {
      const line = raw.split("#")[0].trim();
      if (line.startsWith("[") && line.endsWith("]")) { current = line.slice(1, -1); }
      else if (line && sections[current]) { sections[current].push(line.toLowerCase()); }
    });
    const connectors = sections["name connectors"].map(function (c) { return c.split(/\s+/); })
      .sort(function (a, b) { return b.length - a.length; });
    return { first: new Set(sections["first names"]), surnames: new Set(sections.surnames),
      words: new Set(sections["also words"]), clients: new Set(sections["client words"]),
      family: new Set(sections["family words"]), numberWords: new Set(sections["number words"]),
      connectors: connectors };
  }

  function capitalised(part) {
    return part.length > 1 && part[0] !== part[0].toLowerCase() && part.slice(1) === part.slice(1).toLowerCase();
  }

  function nameClass(token) {
    const parts = token.split("-");
    const keys = parts.map(function (p) { return p.toLowerCase(); });
    if (!keys.every(function (k) { return voc.first.has(k) || voc.surnames.has(k); })) { return null; }
    if (parts.every(capitalised)) { return keys.every(function (k) { return voc.words.has(k); }) ? "weak" : "strong"; }
    if (token === token.toLowerCase() && !keys.some(function (k) { return voc.words.has(k); })) { return "lower"; }
    return null;
  }

  function genitiveClass(token) {
    return token.length > 2 && token.endsWith("s") && nameClass(token) === null ? nameClass(token.slice(0, -1)) : null;
  }

  function named(cls) { return cls === "strong" || cls === "weak"; }

  function Note(text) {
    this.text = text;
    this.words = Array.from(text.matchAll(WORD), function (m) { return [m.index, m.index + m[0].length, m[0]]; });
  }
  Note.prototype.gap = function (i) { return this.text.slice(this.words[i - 1][1], this.words[i][0]); };
  Note.prototype.lower = function (i) { return i >= 0 && i < this.words.length ? this.words[i][2].toLowerCase() : ""; };
  Note.prototype.cls = function (i) { return i >= 0 && i < this.words.length ? nameClass(this.words[i][2]) : null; };
  Note.prototype.near = function (i) { return i > 0 && i < this.words.length && NEAR.test(this.gap(i)); };
  Note.prototype.spaced = function (i) { return i > 0 && i < this.words.length && this.gap(i) === " "; };
  Note.prototype.followsName = function (i) {
    return this.spaced(i) && capitalised(this.words[i][2].split("-")[0]) &&
      voc.first.has(this.lower(i - 1).split("-").pop());
  };
  Note.prototype.sequence = function (i, back) {
    let first = i;
    while (back && first > 0 && i - first < MAX_NAME_WORDS - 1 && this.spaced(first) &&
           named(this.cls(first - 1)) && voc.first.has(this.lower(first - 1))) { first--; }
    let last = i;
    while (last - first < MAX_NAME_WORDS - 1 && last + 1 < this.words.length &&
           ((this.spaced(last + 1) && named(this.cls(last + 1))) || this.followsName(last + 1))) { last++; }
    return [first, last];
  };
  Note.prototype.listed = function (last) {
    const k = last + 1;
    if (k < this.words.length && LIST_COMMA.test(this.gap(k)) && named(this.cls(k))) { return k; }
    if (this.lower(k) === "och" && this.spaced(k) && this.spaced(k + 1) && named(this.cls(k + 1))) { return k + 1; }
    return null;
  };
  Note.prototype.span = function (first, last) { return [this.words[first][0], this.words[last][1]]; };

  function afterClientWord(note, i) {
    let j = i + 1;
    for (const connector of voc.connectors) {
      if (connector.every(function (word, n) { return note.lower(j + n) === word && note.near(j + n); })) {
        j += connector.length;
        break;
      }
    }
    return note.near(j) && note.cls(j) !== null ? j : null;
  }

  function clientWordStarts(note) {
    const starts = [];
    for (let i = 0; i < note.words.length; i++) {
      if (voc.clients.has(note.lower(i))) {
        const j = afterClientWord(note, i);
        if (j !== null) { starts.push(j); }
      } else if (voc.clients.has(note.lower(i + 1)) && APPOSITION.test(note.gap(i + 1)) && note.cls(i) === "strong") {
        starts.push(i);
      }
    }
    return starts;
  }

  function familyStarts(note) {
    const starts = [];
    for (let i = 0; i < note.words.length - 1; i++) {
      if (voc.family.has(note.lower(i + 1)) && note.spaced(i + 1) && named(genitiveClass(note.words[i][2]))) {
        starts.push(i);
      }
    }
    return starts;
  }

  function wordBefore(note, position) {
    let index = -1;
    for (let i = 0; i < note.words.length; i++) {
      if (note.words[i][1] > position) { break; }
      index = i;
    }
    return index;
  }

  function nameBefore(note, position) {
    let k = wordBefore(note, position);
    for (let n = 0; n < 3; n++) {
      if (k < 0 || !NEAR_BEFORE.test(note.text.slice(note.words[k][1], position))) { return null; }
      if (note.cls(k) !== null) { return k; }
      if (!voc.numberWords.has(note.lower(k))) { return null; }
      position = note.words[k][0];
      k -= 1;
    }
    return null;
  }

  function numberStarts(note, anchors) {
    const starts = [];
    anchors.forEach(function (a) {
      const before = nameBefore(note, a[0]);
      if (before !== null) { starts.push(before); }
      const after = wordBefore(note, a[1]) + 1;
      if (after < note.words.length && note.cls(after) !== null && NEAR.test(note.text.slice(a[1], note.words[after][0]))) {
        starts.push(after);
      }
    });
    return starts;
  }

  function merged(spans) {
    const out = [];
    spans.slice().sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; }).forEach(function (s) {
      if (out.length && s[0] <= out[out.length - 1][1]) {
        out[out.length - 1] = [out[out.length - 1][0], Math.max(s[1], out[out.length - 1][1])];
      } else { out.push(s); }
    });
    return out;
  }

  function spansOf(note, starts) {
    const spans = [];
    Array.from(new Set(starts)).sort(function (a, b) { return a - b; }).forEach(function (i) {
      let seq = note.sequence(i, true);
      spans.push(note.span(seq[0], seq[1]));
      let k = note.listed(seq[1]);
      while (k !== null) {
        seq = note.sequence(k, false);
        spans.push(note.span(seq[0], seq[1]));
        k = note.listed(seq[1]);
      }
    });
    return merged(spans);
  }

  function clientNames(text, anchors) {
    if (!voc) { return []; }
    const note = new Note(text);
    const lowered = note.words.map(function (w) { return w[2].toLowerCase(); });
    if (!anchors.length && !lowered.some(function (w) { return voc.clients.has(w) || voc.family.has(w); })) { return []; }
    return spansOf(note, clientWordStarts(note).concat(familyStarts(note), numberStarts(note, anchors)));
  }

  function spanOverlaps(s, taken) {
    return taken.some(function (t) { return s[0] < t.end && t.start < s[1]; });
  }

  function nameMentions(text, taken) {
    if (!voc) { return []; }
    const note = new Note(text);
    const starts = [];
    note.words.forEach(function (w, i) {
      if (spanOverlaps(w, taken) || NOT_A_PERSON.test(text.slice(Math.max(0, w[0] - 12), w[0]))) { return; }
      const cls = note.cls(i) || genitiveClass(w[2]);
      const surnameNext = i + 1 < note.words.length && note.spaced(i + 1) && named(note.cls(i + 1)) &&
        voc.surnames.has(note.lower(i + 1)) && voc.first.has(note.lower(i));
      if (cls === "strong" || (cls === "weak" && surnameNext)) { starts.push(i); }
    });
    const spans = starts.map(function (i) { const seq = note.sequence(i, false); return note.span(seq[0], seq[1]); });
    return merged(spans).filter(function (s) { return !spanOverlaps(s, taken); });
  }

  function find(text) {
    const found = mayHold(text) ? numbers(text) : [];
    const anchors = found.filter(function (f) { return f.kind !== "e-post"; }).map(function (f) { return [f.start, f.end]; });
    clientNames(text, anchors).map(function (s) { return { kind: "namn", start: s[0], end: s[1] }; })
      .filter(function (f) { return !overlaps(f, found); })
      .forEach(function (f) { found.push(f); });
    return found.sort(function (a, b) { return a.start - b.start; });
  }

  function mentions(text, findings) {
    return nameMentions(text, findings || find(text)).map(function (s) { return { kind: "namn", start: s[0], end: s[1] }; });
  }

  function kinds(findings) {
    return Object.keys(LABELS).filter(function (k) { return findings.some(function (f) { return f.kind === k; }); });
  }

  function mask(text) {
    return find(text).reverse().reduce(function (t, f) {
      return t.slice(0, f.start) + LABELS[f.kind] + t.slice(f.end);
    }, text);
  }

  const box = document.getElementById("note-pii");
  const namesUrl = box && box.dataset.names;
  const ready = !namesUrl ? Promise.resolve(false) : fetch(namesUrl).then(function (response) {
    return response.ok ? response.text() : Promise.reject(new Error(response.status));
  }).then(function (text) { voc = parse(text); return true; }).catch(function () { return false; });

  window.Dialogcafe = window.Dialogcafe || {};
  window.Dialogcafe.pii = { find: find, kinds: kinds, mask: mask, mentions: mentions, ready: ready };

  const form = document.getElementById("note-form");
  const field = document.getElementById("note-text");
  if (!box || !form || !field) { return; }
  const s = box.dataset;
  let confirmedText = null;

  function names(list) {
    const words = JSON.parse(s.kinds);
    return list.map(function (k) { return words[k] || k; }).join(", ");
  }

  function quoted(text, found) {
    return Array.from(new Set(found.map(function (f) { return text.slice(f.start, f.end); }))).join(", ");
  }

  function show(message) {
    box.textContent = message;
    box.hidden = !message;
  }

  function check(text) {
    const findings = find(text);
    return { kinds: kinds(findings), persons: quoted(text, mentions(text, findings)) };
  }

  function typingMessage(found) {
    const parts = [];
    if (found.kinds.length) { parts.push(s.typing.replace("%s", names(found.kinds))); }
    if (found.persons) { parts.push(s.personTyping.replace("%s", found.persons)); }
    return parts.join(" ");
  }

  function sendingMessage(found) {
    if (!found.kinds.length) { return s.person.replace("%s", found.persons); }
    const rule = s.mode === "block" ? s.block : s.mode === "warn" ? s.warn : s.mask;
    const also = found.persons ? " " + s.personAlso.replace("%s", found.persons) : "";
    return rule.replace("%s", names(found.kinds)) + also;
  }

  function refresh() {
    confirmedText = null;
    show(typingMessage(check(field.value)));
  }

  field.addEventListener("input", refresh);
  ready.then(function (loaded) { if (loaded && field.value) { refresh(); } });

  // Registered on the document while capturing, so it runs before the page's own submit handler.
  document.addEventListener("submit", function (event) {
    if (event.target !== form) { return; }
    const text = field.value.trim();
    const found = check(text);
    if (!found.kinds.length && !found.persons) { show(""); return; }
    if (s.mode === "block" && found.kinds.length) {
      show(sendingMessage(found));
    } else if (confirmedText !== text) {
      confirmedText = text;
      show(sendingMessage(found));
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
