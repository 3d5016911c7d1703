"""The audit log reads as sentences in the page's language: who did what to what, never "login", "users:1"
or "{}"."""
import re

import pytest
from sqlalchemy import select

from cafe.extensions import db
from cafe.models import Event, Table, User
from cafe.people import audit


@pytest.fixture
def logged(app, demo, login):
    """An organizer who logged in, a failed login, a lock-out, a change to the tables and a masked note."""
    organizer = login("organizer")
    app.test_client().post("/login", data={"email": demo["organizer"]["email"], "password": "not it"})
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == demo["organizer"]["email"]))
        event = db.session.get(Event, demo["event_id"])
        table = db.session.scalars(select(Table).where(Table.event_id == event.id)).first()
        audit.record(user, "login.locked", user, {"minutes": 1})
        audit.record(user, "organizer.tables", f"/organizer/events/{event.id}/tables", {"method": "POST"})
        audit.record("host", "note.personal_data.mask", table, {"kinds": ["personnummer"]})
        audit.record(user, "some.future_change", f"/organizer/events/{event.id}", {})
        db.session.commit()
        names = {"user": user.name, "event": event.title, "table": table.display_name}
    return organizer, names


def rows(page: str) -> list[str]:
    """The text of each row of the log's table."""
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in body.split("</tr>") if "<td" in row]


def test_each_entry_is_a_sentence_in_swedish(logged, demo):
    organizer, names = logged
    page = organizer.get("/security/audit").get_data(as_text=True)
    text = "\n".join(rows(page))
    assert f"{names['user']} loggade in" in text
    assert f"Misslyckad inloggning med {demo['organizer']['email']}" in text
    assert f"{names['user']} låstes ute i 1 minut efter för många misslyckade inloggningar" in text
    assert f"{names['user']} ändrade borden i {names['event']}" in text
    assert f"En anteckning vid {names['table']} såg ut att innehålla personnummer, som maskerades" in text
    assert f"{names['user']} gjorde en ändring (some.future_change)" in text  # an unknown kind still says who
    for program_word in ("users:", "tables:", "{}", "login.failed", "organizer.tables", '"method"'):
        assert program_word not in text


def test_each_entry_is_a_sentence_in_english(logged):
    organizer, names = logged
    organizer.post("/lang/en", data={"next": "/"})
    page = organizer.get("/security/audit").get_data(as_text=True)
    text = "\n".join(rows(page))
    assert f"{names['user']} logged in" in text
    assert f"{names['user']} was locked out for 1 minute after too many failed logins" in text
    assert f"{names['user']} changed the tables of {names['event']}" in text
    assert "loggade" not in text and "ändrade" not in text


def test_the_filter_offers_kinds_by_name(logged):
    organizer, _names = logged
    page = organizer.get("/security/audit?action=login.failed").get_data(as_text=True)
    assert '<option value="login.failed" selected>Misslyckade inloggningar</option>' in page
    assert all("Misslyckad inloggning" in row for row in rows(page))


def test_a_removed_target_is_named_as_removed(app, logged):
    organizer, _names = logged
    with app.app_context():
        user = db.session.scalar(select(User).where(User.role == "organizer"))
        audit.record(user, "privacy.mask", "events:99999", {})
        db.session.commit()
    assert "maskerade personuppgifter i Café 99999 (borttagen)" in organizer.get("/security/audit").get_data(as_text=True)
