"""Fixtures for the action lists: the demo café's event, users and a second administration."""
import pytest
from sqlalchemy import select

from cafe.extensions import db
from cafe.models import Administration, Event, Note, Unit, User
from cafe.models.action import ActionItem
from cafe.people import access, users


@pytest.fixture
def event(app, demo):
    """The demo café (with its seeded actions), inside an app context."""
    with app.app_context():
        yield db.session.get(Event, demo["event_id"])


@pytest.fixture
def lead(event):
    """The demo project lead."""
    return db.session.scalar(select(User).where(User.role == "project_lead"))


@pytest.fixture
def action(event):
    """The first counted action of the demo café."""
    return db.session.scalar(select(ActionItem).where(ActionItem.event_id == event.id,
                                                      ActionItem.is_draft.is_(False)).order_by(ActionItem.id))


@pytest.fixture
def notes(event):
    """The demo café's notes."""
    return list(db.session.scalars(select(Note).where(Note.event_id == event.id).order_by(Note.id)))


@pytest.fixture
def other_admin_user(app, demo):
    """A project lead and an organizer of another administration, and a city-level user ("demo-password")."""
    with app.app_context():
        other = Administration(name="Annan förvaltning")
        other.units.append(Unit(name="Annan enhet"))
        db.session.add(other)
        db.session.flush()
        users.create("annan@example.se", "demo-password", "Annan projektledare", "project_lead", other.id)
        users.create("annan-arr@example.se", "demo-password", "Annan arrangör", "organizer", other.id)
        users.create("stad@example.se", "demo-password", "Central styrgrupp", "city", None)
        db.session.commit()
    return {"project_lead": "annan@example.se", "organizer": "annan-arr@example.se", "city": "stad@example.se"}


@pytest.fixture
def login_as(app):
    """Log a test client in by e-mail with the demo password."""
    def do(email: str):
        client = app.test_client()
        response = client.post("/login", data={"email": email, "password": "demo-password"})
        assert response.status_code == 302
        return client
    return do


def principal(user: User) -> access.Principal:
    """A user as a principal."""
    return access.Principal("user", user=user)


def header_row(sheet, first: str = "ID") -> int:
    """The row number of a sheet's header, whose first column is `first` (under the title rows naming the
    café and the unit)."""
    return next(row[0].row for row in sheet.iter_rows() if row[0].value == first)
