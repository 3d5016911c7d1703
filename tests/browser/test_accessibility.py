"""Every page and state of the app, in Swedish and in English: axe-core finds no WCAG 2.1 A/AA violation,
headings and landmarks make sense, the footer links the accessibility statement, and at 320 CSS px and
at 200 % zoom no page needs horizontal scrolling and no text is cut off (WCAG 1.4.10).

One server and one browser profile per role and language serve the whole module."""
import re

import pytest

from cafe import create_app
from tests.browser.conftest import axe_violations, login

LANGUAGES = ["sv", "en"]
# 320 CSS px is 400 % zoom on a 1280 px screen; 640 x 400 is 200 % zoom on 1280 x 800.
REFLOW_VIEWPORTS = [{"width": 320, "height": 640}, {"width": 640, "height": 400}]
DESKTOP = {"width": 1280, "height": 800}

STRUCTURE = """() => {
  const shown = el => el.getClientRects().length > 0;
  const levels = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].filter(shown)
    .map(h => Number(h.tagName[1]));
  const skipped = levels.filter((level, i) => i > 0 && level > levels[i - 1] + 1);
  return {levels, skipped, mains: document.querySelectorAll('main').length,
          banner: !!document.querySelector('body > header'), nav: !!document.querySelector('header nav'),
          statement: !!document.querySelector('footer a[href="/tillganglighet"]')};
}"""

REFLOW = """() => {
  const doc = document.scrollingElement;
  const cut = [];
  for (const el of document.querySelectorAll('main *, header *, footer *')) {
    if (!el.getClientRects().length || el.closest('.visually-hidden, dialog:not([open]), [hidden]')) continue;
    const style = getComputedStyle(el);
    if (!['hidden', 'clip'].includes(style.overflowX) || !el.textContent.trim()) continue;
    if (el.scrollWidth > el.clientWidth + 1) cut.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                                                    + (el.className ? '.' + el.className : ''));
  }
  const wide = [...document.querySelectorAll('body *')].filter(el => el.getClientRects().length
    && el.getBoundingClientRect().right > doc.clientWidth + 1 && !el.closest('.visually-hidden'))
    .slice(-5).map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + '.' + el.className);
  return {scroll: doc.scrollWidth, client: doc.clientWidth, cut, wide: doc.scrollWidth > doc.clientWidth ? wide : []};
}"""


def _report_rules() -> list[str]:
    """The URL rules of the report pages (…/report), when the app has them."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x",
                      "SYNTHESIS_WORKER": False, "REDIS_URL": None, "JOB_WORKER": "thread"})
    return sorted(r.rule for r in app.url_map.iter_rules()
                  if r.rule.endswith("/report") and "GET" in r.methods and not r.rule.startswith("/api/"))


@pytest.fixture(scope="module")
def profiles(browser, module_server):
    """A signed-in browser profile per role and language, opened when first asked for."""
    opened = {}

    def profile(role: str, lang: str):
        if (role, lang) not in opened:
            context = browser.new_context(locale="sv-SE", viewport=DESKTOP)
            page = context.new_page()
            if role != "anon":
                creds = module_server.demo[role]
                login(page, module_server.url, creds["email"], creds["password"])
            page.goto(module_server.url + "/")
            if lang == "en":
                page.click("header button[lang=en]")
                page.wait_for_selector("html[lang=en]")
            page.close()
            opened[(role, lang)] = context
        return opened[(role, lang)]
    yield profile
    for context in opened.values():
        context.close()


def _open(profiles, lang, role, url, ready=None):
    """A new page of the role's profile at the URL, ready when the selector shows."""
    page = profiles(role, lang).new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    response = page.goto(url)
    page.response = response
    if ready:
        page.wait_for_selector(ready, timeout=20000)
    assert page.get_attribute("html", "lang") == lang
    return page


def _check(page, state: str, *, projector: bool = False) -> None:
    """axe, structure, and reflow at 320 px and 200 % zoom for the page as it stands."""
    violations = axe_violations(page)
    assert violations == [], f"{state}: " + "\n".join(f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes']}"
                                                     for v in violations)
    structure = page.evaluate(STRUCTURE)
    assert structure["levels"][:1] == [1] and structure["levels"].count(1) == 1, (state, structure)
    assert structure["skipped"] == [], (state, structure)
    assert structure["mains"] == 1, state
    if not projector:
        assert structure["banner"] and structure["nav"] and structure["statement"], (state, structure)
    try:
        for viewport in REFLOW_VIEWPORTS:
            page.set_viewport_size(viewport)
            page.wait_for_timeout(50)  # charts redraw on resize
            reflow = page.evaluate(REFLOW)
            assert reflow["scroll"] <= reflow["client"], (state, viewport, reflow)
            assert reflow["cut"] == [], (state, viewport, reflow)
    finally:
        page.set_viewport_size(DESKTOP)
    assert page.errors == [], state


def _page_check(profiles, lang, role, url, ready=None, status=200, **kwargs):
    """Open a page, check it, close it."""
    page = _open(profiles, lang, role, url, ready)
    assert page.response.status == status
    _check(page, url, **kwargs)
    page.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_public_pages(module_server, profiles, lang):
    base = module_server.url
    for path in ("/", "/tillganglighet", "/join", "/login"):
        _page_check(profiles, lang, "anon", base + path, "main h1")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_host_note_entry_online_and_offline(module_server, profiles, lang):
    table = module_server.demo["tables"][1 if lang == "sv" else 2]
    page = _open(profiles, lang, "anon", table["url"], '#connection[data-state="online"]')
    page.fill("#note-text", "Mentor till alla nyanställda" if lang == "sv" else "Mentor for new staff")
    page.press("#note-text", "Enter")
    page.wait_for_selector('#note-list .note[data-status="saved"]')
    _check(page, "host online")
    page.context.set_offline(True)
    try:
        page.wait_for_selector('#connection[data-state="offline"]', timeout=30000)
        page.fill("#note-text", "Skrivet utan nät")
        page.press("#note-text", "Enter")
        page.wait_for_selector('#note-list .note[data-status="pending"]')
        _check(page, "host offline")
    finally:
        page.context.set_offline(False)
    page.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_facilitator_console_with_its_dialogs(module_server, profiles, lang):
    page = _open(profiles, lang, "facilitator", module_server.demo["facilitator_url"],
                 '#connection[data-state="online"]')
    page.wait_for_selector("#theme-list .theme-card", timeout=60000)
    page.wait_for_selector("#feed .feed-item")
    _check(page, "console")
    card = page.locator("#theme-list .theme-card").first
    for action, dialog in (("rename", "#rename-dialog"), ("merge", "#merge-dialog"), ("split", "#split-dialog")):
        card.locator(f'[data-action="{action}"]').click()
        page.wait_for_selector(f"{dialog}[open]")
        assert axe_violations(page) == [], action
        page.click(f"{dialog} [data-close]")
    card.locator("details.theme-notes summary").click()
    card.locator(".theme-note-list button").first.click()
    page.wait_for_selector("#note-dialog[open]")
    assert axe_violations(page) == [], "note dialog"
    page.click("#note-dialog [data-close]")
    page.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_projector(module_server, profiles, lang):
    page = _open(profiles, lang, "anon", module_server.demo["projector_url"], '#connection[data-state="online"]')
    page.wait_for_function("() => document.body.dataset.slide")
    _check(page, "projector", projector=True)
    page.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_planning_prevote_results_actions_city(module_server, profiles, lang):
    demo = module_server.demo
    for url in (demo["planned"]["planning_url"], demo["held"]["vote_results_url"], demo["held"]["actions_url"],
                module_server.url + "/city/", module_server.url + "/organizer/"):
        _page_check(profiles, lang, "organizer", url, "main h1")
    _page_check(profiles, lang, "anon", demo["planned"]["vote_url"], "main h1")
    _page_check(profiles, lang, "anon", demo["held"]["feedback_url"], "main h1")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_report_pages(module_server, profiles, lang):
    rules = _report_rules()
    if not rules:
        pytest.skip("the app has no report page (/…/report) yet")
    event_id = str(module_server.demo["held"]["event_id"])
    for rule in rules:
        _page_check(profiles, lang, "organizer", module_server.url + re.sub(r"<[^>]*>", event_id, rule), "main h1")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_error_pages(module_server, profiles, lang):
    _page_check(profiles, lang, "anon", module_server.url + "/finns-inte", "main h1", status=404)
    _page_check(profiles, lang, "facilitator", module_server.url + "/city/", "main h1", status=403)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_too_many_attempts_page(module_server, profiles, lang):
    """Last in the module: it uses up the sign-in limit of the test's address."""
    page = _open(profiles, lang, "anon", module_server.url + "/login", "#email")
    for _ in range(12):
        page.fill("#email", "nobody@example.org")
        page.fill("#password", "wrong-password")
        with page.expect_navigation():
            page.click("main form [type=submit]")
        if page.title().startswith(("För många", "Too many")):
            break
    assert page.title().startswith(("För många", "Too many")), page.title()
    _check(page, "429")
    page.close()
