"""From a theme (and from picked notes) to an action list, approval, and the public feedback page, in Chromium;
axe-core checks every new page."""
import re

from tests.browser.conftest import login
from tests.conftest import make_app

LABEL = "Introduktion av nyanställda"


def _add_theme(database: str, event_id: int) -> str:
    """A synthesis theme over notes of two tables (two units), as the synthesis would leave it."""
    from cafe.extensions import db
    from cafe.models import Note
    from cafe.models.theme import Theme, ThemeMembership
    app = make_app(f"sqlite:///{database}")
    with app.app_context():
        theme = Theme(event_id=event_id, label="Avlastning genom syntesens tema", point=6)
        db.session.add(theme)
        db.session.flush()
        notes = db.session.scalars(db.select(Note).where(Note.event_id == event_id).order_by(Note.id)).all()
        picked = [n for n in notes if n.table.number == 1][:2] + [n for n in notes if n.table.number == 3][:2]
        db.session.add_all(ThemeMembership(note_id=n.id, theme_id=theme.id, event_id=event_id) for n in picked)
        db.session.commit()
        label = theme.label
        db.session.remove()
        db.engine.dispose()
    return label


def _lead_page(context, server):
    """The project lead, logged in."""
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    creds = server.demo["project_lead"]
    login(page, server.url, creds["email"], creds["password"])
    return page


def test_theme_and_notes_become_drafts_then_actions_then_feedback(live_server, browser, context, tmp_path,
                                                                  assert_accessible):
    server = live_server
    event_id = server.demo["event_id"]
    theme = _add_theme(str(tmp_path / "live.sqlite3"), event_id)
    page = _lead_page(context, server)

    page.goto(f"{server.url}/actions/events/{event_id}/build")
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("Gör till åtgärder.*" + theme)).click()
    page.wait_for_url(re.compile(r"/actions/events/\d+"))
    drafts = page.locator("#drafts .draft")
    assert drafts.count() == 2 and theme in drafts.first.inner_text()

    page.goto(f"{server.url}/actions/events/{event_id}/build")
    page.fill("#label", LABEL)
    boxes = page.locator("input[name=note_ids]")
    for i in (0, 1, boxes.count() - 1):
        boxes.nth(i).check()
    assert page.locator("#selected-count").inner_text() == "3 anteckningar valda"
    page.get_by_role("button", name="Skapa utkast per enhet").click()
    page.wait_for_url(re.compile(r"#drafts$"))
    assert page.locator("#drafts .draft").count() >= 4
    assert_accessible(page)

    page.locator("#drafts .draft", has_text=LABEL).first.get_by_role("button", name=re.compile("^Godkänn")).click()
    page.wait_for_url(re.compile(r"#drafts$"))
    assert page.locator(".action-table td a", has_text=LABEL).count() == 1

    page.locator(".action-table td a", has_text=LABEL).click()
    page.wait_for_selector("text=Historik")
    assert_accessible(page)
    page.goto(f"{server.url}/actions/events/{event_id}/print")
    assert_accessible(page)

    page.goto(f"{server.url}/actions/events/{event_id}")
    feedback_url = page.locator("#feedback-link").get_attribute("href")
    participant = browser.new_context(locale="sv-SE").new_page()
    participant.goto(server.url + feedback_url)
    assert participant.locator("h1").inner_text() == "Vad har hänt med era idéer?"
    assert participant.locator(".feedback-action", has_text=LABEL).count() == 2  # per point and per unit
    assert participant.locator(".feedback-action", has_text=theme).count() == 0  # still drafts
    assert "Logga ut" not in participant.content()
    assert_accessible(participant)
    participant.goto(server.url + f"/actions/events/{event_id}")
    assert "/login" in participant.url
    participant.context.close()

    page.goto(f"{server.url}/city/")
    page.wait_for_selector('body[data-charts-ready="true"]', state="attached")
    assert_accessible(page)
    page.goto(f"{server.url}/actions/")
    assert_accessible(page)
    assert page.errors == []
