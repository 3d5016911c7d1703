"""Importing notes typed up from paper into an earlier café: preview, then all or nothing."""
import io
import re

import openpyxl
import pytest
from sqlalchemy import func, select

from cafe.extensions import db
from cafe.models import Event, Note


@pytest.fixture
def lead_client(login):
    """The demo project lead, logged in."""
    return login("project_lead")


@pytest.fixture
def past_event(lead_client, event):
    """An earlier café created through the page."""
    response = lead_client.post(f"/actions/administrations/{event.administration_id}/events",
                                data={"title": "Dialogcafé 2017", "date": "2017-05-04", "place": "Aulan"})
    assert response.status_code == 302
    return db.session.scalar(select(Event).where(Event.title == "Dialogcafé 2017"))


def _upload(client, event_id, data: bytes, name="anteckningar.csv"):
    """Upload notes for preview."""
    return client.post(f"/actions/events/{event_id}/import-notes",
                       data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def _notes(event_id) -> int:
    """How many notes the event has."""
    return db.session.scalar(select(func.count(Note.id)).where(Note.event_id == event_id))


GOOD = ("text;bord;runda;enhet;nivå;punkt\r\n"
        "Mentor för alla nyanställda;1;1;Familjeenheten;enhet;2\r\n"
        "Mer administrativt stöd vid bokningar;Bord 2;1;vuxenenheten;Förvaltning;6\r\n"
        "Hot och våld: rutin efter incident;Lunchbordet;2;;individ;\r\n")


def test_import_previews_then_creates_tables_rounds_and_notes(lead_client, past_event):
    assert past_event.status == "closed" and str(past_event.date) == "2017-05-04"
    preview = _upload(lead_client, past_event.id, GOOD.encode("cp1252"))
    assert preview.status_code == 200, preview.data[:300]
    assert "Lunchbordet" in preview.data.decode() and _notes(past_event.id) == 0
    token = re.search(r"/import-notes/([\w-]+)\"", preview.data.decode()).group(1)
    assert lead_client.post(f"/actions/events/{past_event.id}/import-notes/{token}").status_code == 302
    db.session.expire_all()
    notes = db.session.scalars(select(Note).where(Note.event_id == past_event.id).order_by(Note.id)).all()
    assert [n.text for n in notes] == ["Mentor för alla nyanställda", "Mer administrativt stöd vid bokningar",
                                       "Hot och våld: rutin efter incident"]
    assert [n.confirmed_point for n in notes] == [2, 6, None]
    assert [n.level for n in notes] == ["enhet", "förvaltning", "individ"]
    assert sorted(t.display_name for t in db.session.get(Event, past_event.id).tables) == [
        "Bord 1", "Bord 2", "Lunchbordet"]
    assert all(n.seq > 0 for n in notes)


def test_xlsx_notes_are_read_too(lead_client, past_event):
    book = openpyxl.Workbook()
    book.active.append(["Anteckning", "Bord"])
    book.active.append(["Studenter varje termin", 4])
    out = io.BytesIO()
    book.save(out)
    assert _upload(lead_client, past_event.id, out.getvalue(), "a.xlsx").status_code == 200


BAD = [
    ("empty", b"", "Filen är tom"),
    ("no text column", b"bord;runda\r\n1;1\r\n", "Kolumnen text saknas"),
    ("empty text", "text;bord\r\nidé;1\r\n ;2\r\n".encode(), "Rad 3, kolumn text"),
    ("bad level", "text;nivå\r\nidé;chef\r\n".encode(), "Rad 2, kolumn level"),
    ("bad round", "text;runda\r\nidé;tre\r\n".encode(), "Rad 2, kolumn round"),
    ("unknown unit", "text;enhet\r\nidé;Påhittade enheten\r\n".encode(), "Rad 2, kolumn unit"),
    ("bad point", "text;punkt\r\nidé;42\r\n".encode(), "Rad 2, kolumn point"),
    ("other event", "text;café\r\nidé;Ett helt annat café\r\n".encode(), "Rad 2, kolumn event"),
    ("duplicate", "text;bord\r\nsamma idé;1\r\nsamma idé;1\r\n".encode(), "dubblett av rad 2"),
    ("too long", ("text\r\n" + "x" * 2001 + "\r\n").encode(), "Rad 2, kolumn text"),
    ("too many rows", ("text\r\n" + "".join(f"idé {i}\r\n" for i in range(5002))).encode(), "för många rader"),
]


@pytest.mark.parametrize("name, data, message", BAD, ids=[b[0] for b in BAD])
def test_bad_note_files_are_refused_whole(lead_client, past_event, name, data, message):
    response = _upload(lead_client, past_event.id, data)
    assert response.status_code == 400
    assert message in response.data.decode()
    assert _notes(past_event.id) == 0


def test_a_second_import_of_the_same_notes_is_refused(lead_client, past_event):
    preview = _upload(lead_client, past_event.id, GOOD.encode())
    token = re.search(r"/import-notes/([\w-]+)\"", preview.data.decode()).group(1)
    lead_client.post(f"/actions/events/{past_event.id}/import-notes/{token}")
    again = _upload(lead_client, past_event.id, GOOD.encode())
    assert again.status_code == 400 and "finns redan" in again.data.decode()
