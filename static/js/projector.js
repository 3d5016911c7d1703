/* The plenary projector: slides the facilitator steps through (or lets rotate), updated in place as
   notes, synthesis updates and curations arrive. Arrow keys step locally. */
(function () {
  "use strict";
  const D = window.Dialogcafe;
  const E = D.protocol.events;
  const body = document.body.dataset;
  const strings = document.getElementById("projector-strings").dataset;
  const slides = JSON.parse(body.slides).map(function (s) { return s[0]; });
  const pointLabels = JSON.parse(body.points);
  const prevote = JSON.parse(body.prevote);
  const tableIds = JSON.parse(body.tables);
  const TILES = 6, STARRED = 6;
  const notes = new Map(), themes = new Map(), marks = new Set(), tiles = new Map(), novelTiles = new Map();
  let spread = [], lastSeq = 0, started = body.started === "true";
  let chosen = JSON.parse(body.state), local = null, rotateTimer = null, scheduled = false;
  const charts = {};
  const clock = D.RoundClock(document.getElementById("projector-clock"));

  /* ------------------------------------------------------------------ changes */
  function apply(change) {
    lastSeq = Math.max(lastSeq, change.seq || 0);
    if (change.note) { notes.set(change.note.id, change.note); }
    (change.themes || []).forEach(function (t) { themes.set(t.id, t); });
    (change.marks || []).forEach(function (m) { if (m[1]) { marks.add(m[0]); } else { marks.delete(m[0]); } });
    if (change.type === E.SYNTHESIS_UPDATED && change.points) { spread = change.points; }
    if (change.type === E.CURATION_APPLIED && change.points) {
      change.points.forEach(function (p) { pointLabels[p.number] = p.label; });
    }
    if (change.type === E.PROJECTOR_STATE) { chosen = { slide: change.slide, rotate: change.rotate }; local = null; }
    if (change.type === E.ROUND_UPDATED) {
      started = change.event_status !== "draft" && (change.rounds || []).some(function (r) { return r.started_at; });
      clock.update(change, false);
    }
  }

  function schedule() {
    if (scheduled) { return; }
    scheduled = true;
    window.requestAnimationFrame(function () { scheduled = false; render(); });
  }

  /* ------------------------------------------------------------------ slides */
  function currentSlide() {
    if (local) { return local; }
    if (chosen && chosen.slide) { return chosen.slide; }
    return started ? "themes" : "join";
  }

  function step(delta) {
    const i = slides.indexOf(currentSlide());
    local = slides[(i + delta + slides.length) % slides.length];
    schedule();
  }

  function setRotation() {
    const seconds = chosen && chosen.rotate;
    if (rotateTimer && rotateTimer.seconds === seconds) { return; }
    if (rotateTimer) { window.clearInterval(rotateTimer.id); rotateTimer = null; }
    if (seconds) { rotateTimer = { seconds: seconds, id: window.setInterval(function () { step(1); }, seconds * 1000) }; }
  }

  function showSlide(name) {
    document.querySelectorAll(".slide").forEach(function (section) {
      const visible = section.dataset.slide === name;
      if (section.hidden === visible) { section.hidden = !visible; }
    });
    const position = strings.position.replace("{n}", slides.indexOf(name) + 1).replace("{total}", slides.length);
    setText(document.getElementById("slide-position"), position);
  }

  /* ------------------------------------------------------------------ helpers */
  function setText(node, text) { if (node.textContent !== String(text)) { node.textContent = text; } }

  function liveNotes() { return Array.from(notes.values()).filter(function (n) { return !n.deleted; }); }

  function pointOf(note) {
    const p = note.confirmed_point !== null && note.confirmed_point !== undefined ? note.confirmed_point : note.suggested_point;
    return p && pointLabels[p] ? p : null;
  }

  function pointName(p) { return p ? p + ". " + pointLabels[p] : strings.outside; }

  function shownThemes() {
    return Array.from(themes.values()).filter(function (t) { return !t.merged_into && !t.hidden && t.count > 0; })
      .sort(function (a, b) { return (b.marked - a.marked) || (b.count - a.count) || (a.id - b.id); });
  }

  /* Keep a list's children in the given order, touching the DOM only where it differs. */
  function arrange(list, nodes) {
    nodes.forEach(function (node, i) { if (list.children[i] !== node) { list.insertBefore(node, list.children[i] || null); } });
    while (list.children.length > nodes.length) { list.removeChild(list.lastElementChild); }
  }

  /* A theme card: title, its point or "Nytt tema", count, one quote (shortened to fit, see fit()). */
  function tile(theme, store) {
    let node = store.get(theme.id);
    if (!node) {
      node = D.el("li", "tile fit-box");
      node.append(D.el("h3", "tile-label fit"), D.el("p", "tile-meta"), D.el("p", "tile-quote fit"));
      store.set(theme.id, node);
    }
    node.classList.toggle("tile-marked", !!theme.marked);
    setFull(node.querySelector(".tile-label"), theme.label);
    setText(node.querySelector(".tile-meta"), (theme.novel ? strings.newTheme : pointName(theme.point)) + " · " +
      D.plural(strings, "notes", theme.count));
    setFull(node.querySelector(".tile-quote"), (theme.quotes || [])[0] || "");
    return node;
  }

  /* ------------------------------------------------------------------ fitting */
  /* A text that fit() may shorten: the whole text is kept aside; fit() shows as much as the box holds. */
  function setFull(node, text) {
    if (node.dataset.full !== text) { node.dataset.full = text; node.textContent = text; }
  }

  function overflows(box) {
    return box.scrollHeight > box.clientHeight + 1 || box.scrollWidth > box.clientWidth + 1;
  }

  function cut(words, n) { return n >= words.length ? words.join(" ") : words.slice(0, n).join(" ").replace(/[\s,.;:–-]+$/, "") + " …"; }

  /* Show as many whole words of the node's text as its card holds, with an ellipsis when cut. */
  function shorten(node, box) {
    const words = node.dataset.full.split(/\s+/).filter(Boolean);
    node.textContent = node.dataset.full;
    if (!overflows(box)) { return; }
    let lo = 0, hi = words.length - 1;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      node.textContent = cut(words, mid);
      if (overflows(box)) { hi = mid - 1; } else { lo = mid; }
    }
    node.textContent = lo > 0 ? cut(words, lo) : "";
  }

  /* Every card of the visible slide holds its text: the quote is cut at a word first, the title only if
     the card still overflows. Cards whose texts and size are unchanged are left alone. */
  function fit(section) {
    const size = window.innerWidth + "x" + window.innerHeight;
    section.querySelectorAll(".fit-box").forEach(function (box) {
      const nodes = Array.from(box.querySelectorAll(".fit"));
      const key = size + "|" + box.clientWidth + "x" + box.clientHeight + "|" +
        nodes.map(function (n) { return n.dataset.full || ""; }).join("\n");
      if (box.dataset.fitted === key && !overflows(box)) { return; }
      nodes.forEach(function (n) { n.textContent = n.dataset.full || ""; });
      nodes.reverse().forEach(function (n) { if (overflows(box)) { shorten(n, box); } });
      box.dataset.fitted = key;
    });
  }

  /* Columns and rows for n cards on a 16:9 screen, written where the grid reads them. */
  function grid(list, n, ratio) {
    setGrid(list, Math.max(1, Math.ceil(Math.sqrt(n * ratio))), n);
  }

  function setGrid(list, cols, n) {
    list.style.setProperty("--cols", String(cols));
    list.style.setProperty("--rows", String(Math.max(1, Math.ceil(n / cols))));
  }

  /* The join cards' columns for this screen: as many as give the largest QR codes, with room under each
     for two lines of the table's name and its code on one line (a 4:3 projector wants fewer than 16:9). */
  function joinGrid(list) {
    const cards = list.querySelectorAll(".join-card");
    if (!cards.length || !list.clientWidth) { return; }
    const style = window.getComputedStyle(list), card = window.getComputedStyle(cards[0]);
    const name = window.getComputedStyle(cards[0].querySelector(".join-name"));
    const probe = cards[0].querySelector(".join-code").cloneNode(true);  // the code's width on one line
    probe.style.cssText = "position: absolute; visibility: hidden; white-space: nowrap; width: auto";
    list.append(probe);
    const code = probe.getBoundingClientRect();
    probe.remove();
    const padding = 2 * parseFloat(card.paddingLeft), gapX = parseFloat(style.columnGap) || 0;
    const gapY = parseFloat(style.rowGap) || 0, lineHeight = parseFloat(name.lineHeight) || 1.2 * parseFloat(name.fontSize);
    const text = code.height + 2 * lineHeight + parseFloat(name.marginTop) + padding;
    let best = 1, bestSide = -Infinity;
    for (let cols = 1; cols <= cards.length; cols++) {
      const rows = Math.ceil(cards.length / cols);
      const width = (list.clientWidth - (cols - 1) * gapX) / cols, height = (list.clientHeight - (rows - 1) * gapY) / rows;
      const side = Math.min(width - padding, height - text) - (width - padding < code.width ? 1e6 : 0);
      if (side > bestSide) { best = cols; bestSide = side; }
    }
    setGrid(list, best, cards.length);
  }

  /* ------------------------------------------------------------------ slide contents */
  /* The largest themes as cards, and a line saying how many more there are (on the console). */
  function renderTiles(list, themesShown, store, more) {
    arrange(list, themesShown.slice(0, TILES).map(function (t) { return tile(t, store); }));
    const rest = themesShown.length - TILES;
    more.hidden = rest <= 0;
    setText(more, rest > 0 ? D.plural(strings, "more", rest) : "");
  }

  function renderThemes() {
    const all = shownThemes();
    const novel = all.filter(function (t) { return t.novel; });
    renderTiles(document.getElementById("theme-tiles"), all.filter(function (t) { return !t.novel; }), tiles,
      document.getElementById("themes-more"));
    renderTiles(document.getElementById("novel-tiles"), novel, novelTiles, document.getElementById("novel-more"));
    document.getElementById("themes-empty").hidden = all.length > 0;
    document.getElementById("novel-empty").hidden = novel.length > 0;
  }

  const quoteNodes = new Map();
  function renderStarred(live) {
    const names = tableNames();
    const chosenNotes = live.filter(function (n) { return n.starred || marks.has(n.id); })
      .sort(function (a, b) { return (marks.has(b.id) - marks.has(a.id)) || (b.id - a.id); }).slice(0, STARRED);
    arrange(document.getElementById("starred-notes"), chosenNotes.map(function (n) {
      let node = quoteNodes.get(n.id);
      if (!node) {
        node = D.el("li", "quote fit-box");
        node.append(D.el("p", "quote-text fit"), D.el("p", "quote-source"));
        quoteNodes.set(n.id, node);
      }
      setFull(node.querySelector(".quote-text"), n.text);
      setText(node.querySelector(".quote-source"), names[n.table_id] || "");
      return node;
    }));
    document.getElementById("starred-empty").hidden = chosenNotes.length > 0;
  }

  function tableNames() {
    const names = {};
    document.querySelectorAll(".table-highlight").forEach(function (li) { names[li.dataset.tableId] = li.querySelector("h3").textContent; });
    return names;
  }

  function renderTables(live) {
    tableIds.forEach(function (id) {
      const box = document.querySelector('.table-highlight[data-table-id="' + id + '"]');
      const mine = live.filter(function (n) { return n.table_id === id; }).sort(function (a, b) { return b.id - a.id; });
      const counts = {};
      mine.forEach(function (n) { const p = pointOf(n); if (p) { counts[p] = (counts[p] || 0) + 1; } });
      const top = Object.keys(counts).sort(function (a, b) { return counts[b] - counts[a]; })[0];
      const pick = mine.find(function (n) { return marks.has(n.id); }) || mine.find(function (n) { return n.starred; }) || mine[0];
      D.showCount(box.querySelector(".table-count"), mine.length);
      setText(box.querySelector(".table-point"), top ? " · " + pointName(Number(top)) : "");
      setFull(box.querySelector(".table-quote"), pick ? pick.text : "");
    });
  }

  function spreadCounts(live) {
    if (spread.length) { return spread; }
    const counts = {};
    live.forEach(function (n) { const p = pointOf(n); counts[p] = (counts[p] || 0) + 1; });
    return Object.keys(pointLabels).map(Number).map(function (p) { return { point: p, count: counts[p] || 0 }; })
      .concat([{ point: null, count: counts[null] || 0 }]);
  }

  function fillTable(id, rows) {
    const tbody = document.querySelector("#" + id + " tbody");
    while (tbody.children.length < rows.length) {
      const tr = D.el("tr");
      tr.append(D.el("th"), D.el("td"));
      if (rows[0].length > 2) { tr.append(D.el("td")); }
      tr.firstChild.scope = "row";
      tbody.append(tr);
    }
    while (tbody.children.length > rows.length) { tbody.removeChild(tbody.lastElementChild); }
    rows.forEach(function (row, i) { row.forEach(function (cell, j) { setText(tbody.children[i].children[j], cell); }); });
  }

  /* The labels of a chart as large as the type around it (20 px on a 1080-line screen, growing with the zoom). */
  function labelSize(canvas) {
    return Math.max(12, Math.round(parseFloat(window.getComputedStyle(canvas.parentNode).fontSize) || 0));
  }

  /* Charts are made (and resized) only while their slide shows: a hidden canvas has no size. */
  function chart(id, datasets, labels) {
    const canvas = document.getElementById(id);
    if (!window.Chart || canvas.closest(".slide").hidden) { return; }
    const size = labelSize(canvas);
    if (charts[id]) {  // the screen or the zoom may have changed while the slide was hidden
      window.Chart.defaults.font.size = size;
      if (charts[id].labelSize !== size) { charts[id].labelSize = size; charts[id].update("none"); }
      charts[id].resize();
    }
    if (!charts[id]) {
      window.Chart.defaults.color = "#f5f5f5";
      window.Chart.defaults.font.size = size;
      charts[id] = new window.Chart(canvas, {
        type: "bar", data: { labels: labels, datasets: datasets },
        options: { indexAxis: "y", responsive: true, maintainAspectRatio: false, animation: D.reducedMotion() ? false : { duration: 300 },
          plugins: { legend: { display: datasets.length > 1 } },
          scales: { x: { grid: { color: "#3d444d" }, beginAtZero: true }, y: { grid: { display: false } } } },
      });
      charts[id].labelSize = size;
      return;
    }
    const c = charts[id];
    c.data.labels = labels;
    datasets.forEach(function (d, i) { c.data.datasets[i].data = d.data; });
    c.update();
  }

  function renderPoints(counts) {
    const labels = counts.map(function (c) { return c.point ? c.point + ". " + (pointLabels[c.point] || "") : strings.outside; });
    chart("points-chart", [{ label: strings.count, data: counts.map(function (c) { return c.count; }), backgroundColor: "#58a6ff" }], labels);
    fillTable("points-table", counts.map(function (c, i) { return [labels[i], c.count]; }));
  }

  function renderPrevote(counts) {
    if (!prevote.length) { return; }
    const votes = prevote.reduce(function (s, p) { return s + p.votes; }, 0) || 1;
    const noted = counts.reduce(function (s, c) { return s + (c.point ? c.count : 0); }, 0) || 1;
    const byPoint = {};
    counts.forEach(function (c) { byPoint[c.point] = c.count; });
    const labels = prevote.map(function (p) { return p.point + ". " + (pointLabels[p.point] || ""); });
    const voteShare = prevote.map(function (p) { return Math.round(100 * p.votes / votes); });
    const noteShare = prevote.map(function (p) { return Math.round(100 * (byPoint[p.point] || 0) / noted); });
    chart("prevote-chart", [{ label: strings.votes, data: voteShare, backgroundColor: "#d2a8ff" },
      { label: strings.discussed, data: noteShare, backgroundColor: "#58a6ff" }], labels);
    fillTable("prevote-table", labels.map(function (l, i) { return [l, voteShare[i] + " %", noteShare[i] + " %"]; }));
  }

  function render() {
    const live = liveNotes();
    D.showCount(document.getElementById("note-count"), live.length);
    const name = currentSlide();
    showSlide(name);
    setRotation();
    const counts = spreadCounts(live);
    renderThemes();
    renderStarred(live);
    renderTables(live);
    renderPoints(counts);
    renderPrevote(counts);
    if (name === "join") { joinGrid(document.querySelector(".join-grid")); }
    fit(document.querySelector('.slide[data-slide="' + name + '"]'));
    document.body.dataset.slide = name;
  }

  /* ------------------------------------------------------------------ wiring */
  const socket = D.connectSocket(D.protocol.namespaces.projector, { token: body.token });
  socket.on("connect", function () {
    D.showConnection("online", strings.online);
    D.catchUp(socket, lastSeq, apply).then(function (seq) { lastSeq = Math.max(lastSeq, seq); schedule(); });
  });
  socket.on("disconnect", function () { D.showConnection("offline", strings.lost); });
  socket.on("connect_error", function () { D.showConnection("offline", strings.lost); });
  [E.NOTE_ADDED, E.NOTE_UPDATED, E.NOTE_DELETED, E.SYNTHESIS_UPDATED, E.CURATION_APPLIED, E.PROJECTOR_STATE,
    E.ROUND_UPDATED].forEach(function (name) {
    socket.on(name, function (change) {
      if (name === E.NOTE_ADDED && change.note && !notes.has(change.note.id)) { D.announceNotes(1); }
      apply(change); schedule();
    });
  });
  socket.on(E.EVENT_UPDATED, function () {  // nobody stands at the wall: take the new plan by itself
    window.setTimeout(function () { window.location.reload(); }, 1500);
  });
  grid(document.getElementById("table-highlights"), tableIds.length, 1.4);
  grid(document.querySelector(".join-grid"), document.querySelectorAll(".join-card").length, 2.2);
  window.addEventListener("resize", schedule);
  if (window.ResizeObserver) {  // the header grows or shrinks (clock, title): the cards are fitted again
    const watcher = new window.ResizeObserver(schedule);
    document.querySelectorAll(".slide").forEach(function (section) { watcher.observe(section); });
  }
  document.addEventListener("keydown", function (event) {
    if (event.key === "ArrowRight" || event.key === "PageDown" || event.key === " ") { step(1); event.preventDefault(); }
    if (event.key === "ArrowLeft" || event.key === "PageUp") { step(-1); event.preventDefault(); }
  });
  render();
})();
