"""Fixtures for planning: the demo organizer inside an app context, and an organizer of another administration."""
import pytest

from cafe.extensions import db
from cafe.models import Administration, Event, User
from cafe.people import users


@pytest.fixture
def ctx(app, demo):
    """An app context on the demo database."""
    with app.app_context():
        yield


@pytest.fixture
def organizer(ctx, demo):
    """The demo organizer (Ekbackens administration)."""
    return db.session.scalar(db.select(User).where(User.email == demo["organizer"]["email"]))


@pytest.fixture
def demo_event(ctx, demo):
    """The demo café."""
    return db.session.get(Event, demo["event_id"])


@pytest.fixture
def stranger(app, demo):
    """Log-in details of an organizer of another administration."""
    with app.app_context():
        admin = Administration(name="Annan stadsdelsförvaltning")
        db.session.add(admin)
        db.session.flush()
        users.create("annan@example.se", "annat-losenord", "Annan arrangör", "organizer", admin.id)
        db.session.commit()
    return {"email": "annan@example.se", "password": "annat-losenord"}
