"""Every slide of the projector fits a 1920x1080 and a 1280x720 screen whatever the café holds (16 tables,
600 notes, 1,000-character notes, 40-letter compounds, dozens of themes with long names and quotes): no
scrolling, nothing outside the screen, no text spilling out of its card, no text under 20 px at 1080.
The console shows the same cards and the notes no theme took, which can be moved into one. One server and one page for the module;
the café is written straight into the database, with the synthesis service off so it stays as written."""

import pytest

from cafe import create_app
from cafe.extensions import db
from cafe.models import Event, Table, Theme
from cafe.notes import capture, editing
from cafe.realtime import changes, protocol
from tests.browser.conftest import login
from tests.conftest import new_note
from tests.server_fixtures import serve_copy

COMPOUND = "socialsekreterarutbildningsansvarig"
LONG = " ".join([COMPOUND, "behöver tid för introduktion av nyanställda och ärendehandledning varje vecka"] * 9)[:1000]
SIZES = [(1920, 1080), (1280, 720)]
SLIDES = ("join", "points", "themes", "starred", "novel", "tables", "prevote")

# What is wrong on the visible slide: the page scrolls, an element lies outside the screen, a box's
# content overflows it, or visible text is smaller than `min_font` px.
PROBLEMS = """(minFont) => {
  const out = [], vw = window.innerWidth, vh = window.innerHeight;
  const root = document.documentElement;
  if (root.scrollHeight > vh + 1 || root.scrollWidth > vw + 1) { out.push("the page scrolls"); }
  const slide = document.querySelector(".slide:not([hidden])");
  const nodes = [document.querySelector(".projector-bar"), ...document.querySelectorAll(".projector-bar *"),
                 slide, ...slide.querySelectorAll("*")];
  const name = (el) => el.tagName.toLowerCase() + "." + (el.className.baseVal === undefined ? el.className : "") +
    " «" + (el.textContent || "").trim().slice(0, 40) + "»";
  for (const el of nodes) {
    if (el.closest(".visually-hidden, [hidden], svg") && el.tagName.toLowerCase() !== "svg") { continue; }
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) { continue; }
    if (r.right > vw + 1 || r.bottom > vh + 1 || r.left < -1 || r.top < -1) { out.push("outside the screen: " + name(el)); }
    const style = getComputedStyle(el);
    if (style.display !== "inline" && el.clientHeight > 0 &&
        (el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1)) {
      out.push("overflows its box: " + name(el));
    }
    const text = Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim());
    if (text && minFont && parseFloat(style.fontSize) < minFont) { out.push(style.fontSize + " text: " + name(el)); }
  }
  return out;
}"""


def _crowd(database_url: str, event_id: int) -> None:
    """16 tables, 600 notes (some of 1,000 characters), six starred, 36 themes with long names and quotes."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "live-test-secret",
                      "SYNTHESIS_WORKER": "off", "REDIS_URL": None, "JOB_WORKER": "thread"})
    with app.app_context():
        event = db.session.get(Event, event_id)
        for number in range(len(event.tables) + 1, 17):
            db.session.add(Table(event_id=event_id, number=number, name=f"Bord {number} {COMPOUND}",
                                 join_code=f"FIT{number:03d}"))
        db.session.commit()
        tables = list(db.session.get(Event, event_id).tables)
        ids, long_ones = [], {}
        for i in range(450):  # with the demo's notes, over 600
            table = tables[i % len(tables)]
            ids.append(capture.add(table, new_note(LONG if i % 7 == 0 else
                                                   f"{COMPOUND} {i}: mer tid för ärendena och stöd från chefen")).note.id)
            if i % 7 == 0:
                long_ones.setdefault(table.id, (table, ids[-1]))
        for table, note_id in list(long_ones.values())[:6]:
            editing.star(table, {"id": note_id})
        themes = [Theme(event_id=event_id, label=(f"Tema {k} om {COMPOUND} och mer tid" if k % 3 else
                                                  f"{COMPOUND} {COMPOUND} {COMPOUND}")[:120],
                        label_custom=k % 3 == 0, keywords=["tid"], quotes=[LONG, LONG], point=(k % 13) + 1,
                        novel=k >= 30, size=400 - k) for k in range(36)]
        db.session.add_all(themes)
        db.session.flush()
        changes.record(event_id, protocol.SYNTHESIS_UPDATED, {
            "themes": [t.to_dict() for t in themes], "suggested": [],
            "memberships": [[note_id, themes[k % 36].id] for k, note_id in enumerate(ids[:-40])]})
        db.session.commit()


@pytest.fixture(scope="module")
def crowded(tmp_path_factory, live_template):
    """A server on a café as full as a big day gets."""
    server = serve_copy(tmp_path_factory.mktemp("crowded"), live_template, env={"SYNTHESIS_WORKER": "off"},
                        start=False)
    _crowd(server.env["DATABASE_URL"], server.demo["event_id"])
    server.start()
    yield server
    server.stop()


def _open_projector(browser, server, **screen):
    """The crowded café's projector in a browser context of its own, once every note and theme is in."""
    context = browser.new_context(locale="sv-SE", **screen)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(server.demo["projector_url"])
    page.wait_for_selector('#connection[data-state="online"]')
    page.wait_for_function("() => Number(document.getElementById('note-count').textContent) >= 600")
    page.wait_for_selector("#theme-tiles .tile:nth-child(6)")
    return context, page


@pytest.fixture(scope="module")
def projector(browser, crowded):
    """The projector, with every note and theme in."""
    context, page = _open_projector(browser, crowded, viewport={"width": 1920, "height": 1080})
    yield page
    context.close()


def _show(page, slide: str) -> None:
    """Step with the arrow key to a slide and let it draw."""
    for _ in SLIDES:
        shown = page.evaluate("() => document.body.dataset.slide")
        if shown == slide:
            break
        page.keyboard.press("ArrowRight")
        page.wait_for_function("(before) => document.body.dataset.slide !== before", arg=shown)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    assert page.evaluate("() => document.body.dataset.slide") == slide


@pytest.mark.parametrize("width, height", SIZES)
def test_every_slide_fits_the_screen(projector, width, height, assert_accessible):
    projector.set_viewport_size({"width": width, "height": height})
    for slide in SLIDES:
        _show(projector, slide)
        problems = projector.evaluate(PROBLEMS, 20 if height >= 1080 else 0)
        assert problems == [], f"{slide} at {width}x{height}: {problems[:8]}"
    assert projector.locator("#theme-tiles .tile").count() == 6
    assert "teman till" in projector.inner_text("#themes-more")
    _show(projector, "themes")
    quotes = [q for q in projector.locator("#theme-tiles .tile-quote").all_inner_texts() if q]
    assert quotes, "a card with room shows the start of its quote"
    for quote in quotes:  # cut at a word, with an ellipsis
        assert quote.endswith("…") and " ".join(LONG.split()).startswith(quote[:-1].rstrip())
    if height == 1080:
        assert_accessible(projector)
    assert projector.errors == []


def test_the_console_shows_the_same_cards_and_the_notes_in_no_theme(crowded, context, assert_accessible):
    page = context.new_page()
    creds = crowded.demo["facilitator"]
    login(page, crowded.url, creds["email"], creds["password"])
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(crowded.demo["facilitator_url"])
    page.wait_for_selector("#theme-list .theme-card .theme-quote p")
    page.wait_for_selector("#ungrouped:not([hidden])")
    assert int(page.inner_text("#ungrouped-count")) >= 40
    page.focus("#ungrouped summary")
    page.keyboard.press("Enter")
    page.wait_for_selector("#ungrouped-list .theme-note button")
    wide = page.evaluate("""() => Array.from(document.querySelectorAll('.theme-card, .theme-note'))
        .filter(el => el.scrollWidth > el.clientWidth + 1).length""")
    assert wide == 0
    beyond = page.evaluate("""() => Array.from(document.querySelectorAll('main *'))
        .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
        .map(el => el.tagName + '.' + el.className + ' ' + (el.textContent || '').slice(0, 30)).slice(0, 5)""")
    assert beyond == []
    assert_accessible(page)
    before = int(page.inner_text("#ungrouped-count"))
    page.locator("#ungrouped-list .theme-note button").first.click()
    page.wait_for_selector("#note-dialog[open]")
    page.click("#note-move")
    page.wait_for_selector("#note-dialog", state="hidden")
    page.wait_for_function("(n) => Number(document.getElementById('ungrouped-count').textContent) === n - 1",
                           arg=before)


# What a 200 % zoom must not do to the projector: scroll sideways, or cut a text (a box hiding its
# content, or a quote shortened with an ellipsis: a column that scrolls has room for all of it).
CUT = """() => {
  const out = [], root = document.documentElement;
  if (root.scrollWidth > root.clientWidth + 1) { out.push("the page scrolls sideways"); }
  const slide = document.querySelector(".slide:not([hidden])");
  for (const el of [document.querySelector(".projector-bar"), slide, ...slide.querySelectorAll("*")]) {
    if (el.closest(".visually-hidden, [hidden], svg") || !el.getClientRects().length) { continue; }
    const style = getComputedStyle(el);
    if (style.display !== "inline" && el.clientHeight > 0 && ["hidden", "clip"].includes(style.overflowY) &&
        (el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1)) {
      out.push("cut: " + el.tagName.toLowerCase() + "." + el.className);
    }
    if (el.classList.contains("fit") && el.textContent.endsWith("…")) { out.push("shortened: " + el.className); }
  }
  return out;
}"""
# The type of each slide, in CSS px (the chart's labels as Chart.js draws them).
TYPE = """() => {
  const slide = document.querySelector(".slide:not([hidden])");
  const out = {};
  for (const el of [document.querySelector(".projector-bar h1"), ...slide.querySelectorAll("h2, h3, p, th, td")]) {
    if (el.closest(".visually-hidden, [hidden]") || !el.getClientRects().length || !el.textContent.trim()) { continue; }
    const name = el.tagName.toLowerCase() + "." + el.className;
    out[name] = Math.min(out[name] || 1e9, parseFloat(getComputedStyle(el).fontSize));
  }
  if (slide.querySelector("canvas") && window.Chart) { out.chart = window.Chart.defaults.font.size; }
  return out;
}"""


def test_at_200_percent_zoom_the_type_doubles_and_no_text_is_cut(projector, assert_accessible):
    """A 1920x1080 screen zoomed to 200 % is a window of 960x540 CSS px (WCAG 1.4.4): every text is at
    least as many CSS px as at 100 %, so twice as large on the screen, in one column that scrolls down,
    with nothing cut or shortened. The zoom is taken while the projector runs, as a viewer would."""
    projector.set_viewport_size({"width": 1920, "height": 1080})
    normal = {}
    for slide in SLIDES:
        _show(projector, slide)
        normal[slide] = projector.evaluate(TYPE)
    projector.set_viewport_size({"width": 960, "height": 540})
    try:
        for slide in SLIDES:
            _show(projector, slide)
            assert projector.evaluate(CUT) == [], slide
            zoomed = projector.evaluate(TYPE)
            assert normal[slide] and set(normal[slide]) <= set(zoomed), (slide, normal[slide], zoomed)
            small = {name: (normal[slide][name], size) for name, size in zoomed.items()
                     if name in normal[slide] and size < normal[slide][name] - 0.5}
            assert small == {}, f"{slide}: text that does not grow with the zoom (px at 100 %, at 200 %): {small}"
            if slide == "themes":
                assert_accessible(projector)
                assert projector.evaluate("() => document.scrollingElement.scrollHeight > innerHeight"), \
                    "one column that scrolls"
    finally:
        projector.set_viewport_size({"width": 1920, "height": 1080})
    assert projector.errors == []


def test_a_1024x768_projector_keeps_the_screen_layout(projector):
    """An older projector's 1024x768 is no zoom: every slide still fits the screen, nothing scrolls."""
    projector.set_viewport_size({"width": 1024, "height": 768})
    try:
        for slide in SLIDES:
            _show(projector, slide)
            problems = projector.evaluate(PROBLEMS, 0)
            assert problems == [], f"{slide} at 1024x768: {problems[:8]}"
    finally:
        projector.set_viewport_size({"width": 1920, "height": 1080})
