"""The main pages in English in Chromium, after their scripts ran: no Swedish UI words are left (the words
people typed, the cafés' and units' names and the action plan's points stay as they are). A Swedish word is
a catalogue msgid shown as it is, or a sentence of the catalogue whose values were filled in by a script."""
import re
from functools import cache

from sqlalchemy import select

from cafe import create_app
from cafe.extensions import db
from cafe.models import Event, Theme, User
from cafe.synthesis import curation
from tests.browser.conftest import login
from tests.i18n.conftest import read_catalog

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")
SHOWN = """() => {
  const texts = document.body.innerText.split("\\n");
  document.querySelectorAll("[aria-label], [title], [placeholder], [alt], option").forEach((node) => {
    ["aria-label", "title", "placeholder", "alt"].forEach((name) => {
      if (node.getAttribute(name)) { texts.push(node.getAttribute(name)); }
    });
    if (node.tagName === "OPTION") { texts.push(node.textContent); }
  });
  return texts.map((t) => t.trim()).filter(Boolean);
}"""


@cache
def swedish_ui() -> tuple[frozenset, tuple]:
    """Catalogue msgids shown as they are, and patterns of those with values, whose English differs."""
    whole, patterns = set(), []
    for message in read_catalog():
        if not message.id:
            continue
        forms = [message.id] if isinstance(message.id, str) else list(message.id)
        english = {message.string} if isinstance(message.string, str) else set(message.string)
        for msgid in forms:
            literal = PLACEHOLDER.sub(" ", msgid)
            if msgid in english or len(re.findall(r"[^\W\d_]{2,}", literal)) < 2:
                continue  # the same in both languages, or too short to tell from a name
            if PLACEHOLDER.search(msgid):
                parts = [re.escape(part) for part in PLACEHOLDER.split(msgid)]
                patterns.append((msgid, re.compile(".+?".join(parts).replace("\\ ", " "))))
            else:
                whole.add(msgid)
    return frozenset(whole), tuple(patterns)


def swedish_left(texts: list[str]) -> list[str]:
    """The shown texts that are Swedish UI text."""
    whole, patterns = swedish_ui()
    left = [t for t in texts if t in whole]
    left += [f"{t!r} ({msgid!r})" for t in texts for msgid, pattern in patterns if pattern.search(t)]
    return left


def in_english(page, base_url: str) -> None:
    """Switch to English with the header's language button."""
    page.goto(base_url + "/join")
    page.get_by_role("button", name="English").click()
    page.wait_for_function("() => document.documentElement.lang === 'en'")


def curations_in_swedish(server) -> None:
    """A theme renamed and the rename undone on a Swedish console, through the curation service."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": server.env["DATABASE_URL"],
                      "SECRET_KEY": server.env["SECRET_KEY"], "SYNTHESIS_WORKER": False, "REDIS_URL": None,
                      "JOB_WORKER": "thread"})
    with app.test_request_context("/", headers={"Accept-Language": "sv"}):
        event = db.session.get(Event, server.demo["held"]["event_id"])
        user = db.session.scalar(select(User).where(User.email == server.demo["facilitator"]["email"]))
        theme = Theme(event_id=event.id, label="Introduktion", origin="synthesis", keywords=[], quotes=[])
        db.session.add(theme)
        db.session.commit()
        done = curation.rename(event, user, {"theme_id": theme.id, "label": "Introduktion för nya"})
        curation.undo(event, user, {"curation_id": done.curation.id})
        db.session.remove()
        db.engine.dispose()


def test_the_organizers_pages_in_english_keep_no_swedish_ui_words(module_live_server, context):
    server = module_live_server
    held, planned = server.demo["held"], server.demo["planned"]
    curations_in_swedish(server)
    page = context.new_page()
    login(page, server.url, server.demo["organizer"]["email"], server.demo["organizer"]["password"])
    in_english(page, server.url)
    pages = {
        "dashboard": "/organizer/", "event": f"/organizer/events/{planned['event_id']}",
        "tables": f"/organizer/events/{planned['event_id']}/tables",
        "cards": f"/organizer/events/{held['event_id']}/cards",
        "pre-vote results": f"/organizer/events/{planned['event_id']}/vote",
        "audit log": "/security/audit", "action lists": f"/actions/events/{held['event_id']}",
        "build": f"/actions/events/{held['event_id']}/build",
    }
    found = {}
    for name, url in pages.items():
        page.goto(server.url + url)
        found[name] = swedish_left(page.evaluate(SHOWN))
    page.locator(".note-pick input[type=checkbox]").first.check()
    assert page.locator("#selected-count").inner_text() == "1 note chosen"
    page.goto(server.url + f"/actions/events/{held['event_id']}")
    first_action = page.locator("a[href]").evaluate_all(
        "links => links.map(a => a.getAttribute('href')).find(h => /^\\/actions\\/\\d+$/.test(h))")
    page.goto(server.url + first_action)
    found["action"] = swedish_left(page.evaluate(SHOWN))
    assert "History" in page.locator("main").inner_text()

    page.goto(server.url + f"/facilitator/{held['event_id']}")
    page.wait_for_selector("#curation-list .curation")
    page.wait_for_selector("#synthesis-state:not(:empty)")
    curations = page.locator("#curation-list").inner_text()
    assert 'Renamed "Introduktion" to "Introduktion för nya"' in curations
    assert "undone Undo" in re.sub(r"\s+", " ", curations)
    found["console"] = swedish_left(page.evaluate(SHOWN))
    counts = page.locator(".table-card .table-count").all_inner_texts()
    assert counts and all(re.fullmatch(r"1 note|(?!1 )\d+ notes", c.strip()) for c in counts), counts
    assert {name: left for name, left in found.items() if left} == {}


def test_the_participants_pages_in_english_keep_no_swedish_ui_words(module_live_server, context):
    server = module_live_server
    page = context.new_page()
    in_english(page, server.url)
    found = {}
    page.goto(server.demo["planned"]["vote_url"])
    page.locator(".point-choices input[type=checkbox]").first.check()
    assert page.locator("#ballot-count").inner_text() == "1 of 3 chosen"
    found["ballot"] = swedish_left(page.evaluate(SHOWN))
    page.goto(server.demo["held"]["feedback_url"])
    found["feedback"] = swedish_left(page.evaluate(SHOWN))
    page.goto(server.demo["held"]["tables"][0]["url"])
    page.wait_for_selector("#connection[data-state]")
    found["host"] = swedish_left(page.evaluate(SHOWN))
    assert {name: left for name, left in found.items() if left} == {}
