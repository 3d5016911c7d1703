"""The report's fixtures: the demo's held café given points, themes (one curated, one outside the plan), a
plenary quote and an earlier year's café, built once per module with its DOCX, PDF and HTML."""
import io
import shutil
import uuid
from datetime import date

import pytest
from sqlalchemy import select

from cafe.extensions import db
from cafe.models import Event, Note, PlenaryNote, Table, Theme, ThemeMembership
from cafe.people import users
from tests.conftest import make_app

CURATED = "Introduktion som håller hela första året"
NOVEL = "Hot och våld i mötet med brukare"
EARLIER = "Dialogcafé året innan"


def point_of(note_id: int) -> int:
    """The point each demo note is given: every 14th outside the plan (0)."""
    return note_id % 14


def _themes(event: Event) -> None:
    """A curated theme and a synthesis theme on point 2, and a theme outside the plan."""
    notes = list(db.session.scalars(select(Note).where(Note.event_id == event.id).order_by(Note.id)))
    on_two = [n for n in notes if n.confirmed_point == 2]
    outside = [n for n in notes if n.confirmed_point == 0]
    specs = [(CURATED, True, 2, False, on_two[:4]), ("nyanställd, mentor", False, 2, False, on_two[4:]),
             (NOVEL, True, None, True, outside[:5])]
    for label, custom, point, novel, members in specs:
        theme = Theme(event_id=event.id, label=label, label_custom=custom, keywords=[], point=point, novel=novel,
                      quotes=[members[-1].text[:40]], size=len(members))
        db.session.add(theme)
        db.session.flush()
        db.session.add_all(ThemeMembership(note_id=n.id, theme_id=theme.id, event_id=event.id) for n in members)
    db.session.add(PlenaryNote(note_id=on_two[-1].id, event_id=event.id))


def _earlier(event: Event) -> None:
    """A café the year before in the same administration, with three notes on point 2."""
    earlier = Event(title=EARLIER, date=date(event.date.year - 1, 9, 1), administration_id=event.administration_id,
                    framework_id=event.framework_id, projector_token=uuid.uuid4().hex, status="closed")
    earlier.tables.append(Table(number=1, name="Bord 1", join_code=uuid.uuid4().hex[:10]))
    db.session.add(earlier)
    db.session.flush()
    for n in range(3):
        db.session.add(Note(client_id=str(uuid.uuid4()), event_id=earlier.id, table_id=earlier.tables[0].id,
                            text=f"förra året {n}", confirmed_point=2))


def prepare(app, info: dict) -> None:
    """Give the demo café what the synthesis and the facilitators would have, and an earlier year."""
    with app.app_context():
        event = db.session.get(Event, info["held"]["event_id"])
        for note in db.session.scalars(select(Note).where(Note.event_id == event.id)):
            note.confirmed_point = point_of(note.id)
        db.session.flush()
        _themes(event)
        _earlier(event)
        users.create("annan@example.se", "demo-password", "Annan projektledare", "project_lead",
                     _other_administration())
        users.create("stad@example.se", "demo-password", "Central styrgrupp", "city", None)
        db.session.commit()


def _other_administration() -> int:
    """Another administration, whose project lead must not read the demo's report."""
    from cafe.models import Administration
    other = Administration(name="Annan förvaltning")
    db.session.add(other)
    db.session.flush()
    return other.id


@pytest.fixture(scope="module")
def report_app(tmp_path_factory, sqlite_templates):
    """An app on a copy of the demo prepared for the report, shared by a module's tests (they only read)."""
    path = tmp_path_factory.mktemp("report") / "report.sqlite3"
    shutil.copy(sqlite_templates["demo"], path)
    app = make_app(f"sqlite:///{path}")
    info = sqlite_templates["demo_info"]
    prepare(app, info)
    app.config["DEMO_INFO"] = info
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def held_id(report_app) -> int:
    """The demo's held café."""
    return report_app.config["DEMO_INFO"]["held"]["event_id"]


@pytest.fixture(scope="module")
def built(report_app, held_id) -> dict:
    """The held café's report as DOCX, PDF and HTML in Swedish and DOCX in English, built once."""
    from cafe.report import formats
    with report_app.app_context():
        written = formats.write(formats.reload([held_id], None, None), "sv")
        files = {fmt: formats.render(written, fmt, "Projektledare") for fmt in formats.FORMATS}
        files["docx-en"] = formats.build([held_id], None, None, "docx", "en", "Project lead")
    return files


@pytest.fixture(scope="module")
def docx(built):
    """The Swedish DOCX opened with python-docx."""
    from docx import Document
    return Document(io.BytesIO(built["docx"]))


@pytest.fixture(scope="module")
def pdf_pages(built) -> list[str]:
    """The text of each page of the PDF."""
    from pypdf import PdfReader
    return [page.extract_text() for page in PdfReader(io.BytesIO(built["pdf"])).pages]


def login(app, email: str):
    """A test client logged in with the demo password."""
    client = app.test_client()
    assert client.post("/login", data={"email": email, "password": "demo-password"}).status_code == 302
    return client
