"""Fixtures for the console: logged-in console sockets and a café whose rounds have not started."""
import pytest

from cafe.extensions import db
from cafe.models import Event


@pytest.fixture
def console(sockets, login, demo):
    """A factory of connected console sockets of the demo facilitator (or another demo role)."""
    def make(role: str = "facilitator"):
        sock = sockets("/facilitator", auth={"event_id": demo["event_id"]}, flask_client=login(role))
        assert sock.is_connected("/facilitator")
        sock.get_received("/facilitator")
        return sock
    return make


@pytest.fixture
def unstarted(app, demo):
    """Put the demo café back before its first round: every round planned, the event a draft."""
    with app.app_context():
        event = db.session.get(Event, demo["event_id"])
        for rnd in event.rounds:
            rnd.started_at = rnd.ended_at = rnd.paused_at = None
            rnd.paused_seconds = rnd.extra_minutes = 0
        event.status = "draft"
        db.session.commit()
        return [r.id for r in event.rounds]


def control(sock, name: str, payload=None) -> dict:
    """Send one round control on /facilitator and return the ack."""
    return sock.emit(name, payload if payload is not None else {}, namespace="/facilitator", callback=True)


def received(sock, namespace: str, name: str) -> list[dict]:
    """The payloads of the `name` messages a test socket got since it was last asked."""
    return [m["args"][0] for m in sock.get_received(namespace) if m["name"] == name]
