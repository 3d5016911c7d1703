"""Fixtures for the downloads: the demo café inside an app context, and the demo users logged in."""
import pytest

from cafe.extensions import db
from cafe.models import Event


@pytest.fixture
def event(app, demo):
    """The demo café (with its notes, pre-vote and actions), inside an app context."""
    with app.app_context():
        yield db.session.get(Event, demo["event_id"])


@pytest.fixture
def lead_client(login):
    """The demo project lead, logged in."""
    return login("project_lead")


@pytest.fixture
def organizer_client(login):
    """The demo organizer, logged in."""
    return login("organizer")
