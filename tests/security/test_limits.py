"""Every path a stranger can reach is rate-limited: 429 with Retry-After and a Swedish message (a page, or
JSON under /api/), counted per address, and shared by every process through Redis when REDIS_URL is set."""
import json
import shutil
import subprocess
import sys
import uuid

import pytest

from cafe.extensions import db
from cafe.models import Event, User
from cafe.security import limits
from cafe.vote import views as vote_views
from tests.conftest import TEST_CONFIG
from tests.server_fixtures import ROOT

SWEDISH = "För många försök"


@pytest.fixture
def limited(limited, sqlite_templates):
    """The limited app (tests/security/conftest.py) with an open pre-vote and a feedback link."""
    app = limited
    from cafe.events import votes
    from cafe.followup import actions
    with app.app_context():
        event = db.session.get(Event, sqlite_templates["demo_info"]["event_id"])
        app.config["LINKS"] = {"vote": votes.open_vote(event, 3).secret, "feedback": actions.feedback_token(event),
                               "event_id": event.id}
        lead = db.session.scalar(db.select(User).where(User.role == "project_lead"))
        app.config["LINKS"]["lead"] = lead.id
        db.session.commit()
    return app


def refused_after(client, request, allowed: int):
    """Send `request` `allowed` times (none refused for the limit), then once more: the 429."""
    for _ in range(allowed):
        assert request(client).status_code != 429
    return request(client)


def assert_limited(response, api: bool = False):
    """A 429 with Retry-After in seconds and the Swedish message."""
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 3600
    if api:
        assert response.get_json()["error"]["code"] == "too_many_requests"
    else:
        assert SWEDISH in response.get_data(as_text=True)


def _upload(client, app):
    event_id = app.config["LINKS"]["event_id"]
    return client.post(f"/actions/events/{event_id}/upload", data={}, content_type="multipart/form-data")


def _import(client, app):
    event_id = app.config["LINKS"]["event_id"]
    return client.post(f"/actions/events/{event_id}/import-notes", data={}, content_type="multipart/form-data")


def _ballot(client, app):
    """A new participant's ballot each time (the voter cookie forgotten): none refused, all counted."""
    client.delete_cookie(vote_views.COOKIE, path="/v/")
    return client.post(f"/v/{app.config['LINKS']['vote']}", data={"points": "1"})


PATHS = {
    "sign-in form": (lambda c, a: c.post("/login", data={"email": "x@example.se", "password": "fel"}), 10, False),
    "token": (lambda c, a: c.post("/api/v1/auth/token", json={"email": "x@example.se", "password": "f"}), 10, True),
    "join form": (lambda c, a: c.post("/join", data={"code": "WRONG234"}), 30, False),
    "join link": (lambda c, a: c.get("/t/WRONG234"), 30, False),
    "join by API": (lambda c, a: c.post("/api/v1/tables/join", json={"code": "WRONG234"}), 30, True),
    "pre-vote link guessed": (lambda c, a: c.get("/v/not-the-secret"), 30, False),
    "pre-vote flooded": (_ballot, 120, False),
    "feedback link guessed": (lambda c, a: c.get("/feedback/not-the-token"), 30, False),
    "feedback feed polled": (lambda c, a: c.get(f"/feedback/{a.config['LINKS']['feedback']}/feed.atom"), 120,
                             False),
    "action list upload": (_upload, 20, False),
    "note import": (_import, 20, False),
}


@pytest.mark.parametrize("name", PATHS)
def test_every_stranger_path_answers_429_with_retry_after(limited, name):
    request, allowed, api = PATHS[name]
    client = limited.test_client()
    if name in ("action list upload", "note import"):
        with client.session_transaction() as session:
            session["_user_id"] = str(limited.config["LINKS"]["lead"])
    assert_limited(refused_after(client, lambda c: request(c, limited), allowed), api)
    other = limited.test_client()
    other.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    assert request(other, limited).status_code != 429  # per address


def test_link_guesses_share_one_counter_across_vote_and_feedback(limited):
    client = limited.test_client()
    for i in range(15):
        assert client.get(f"/v/guess{i}").status_code == 404
        assert client.get(f"/feedback/guess{i}").status_code == 404
    assert_limited(client.get(f"/feedback/{limited.config['LINKS']['feedback']}"))


def test_every_declared_endpoint_exists(limited):
    assert set(limits.LIMITS) <= set(limited.view_functions)


# Two processes, one Redis: the first makes 30 wrong guesses, the second is refused at its first.
GUESSER = """
import json, sys
from tests.conftest import make_app
app = make_app(sys.argv[1], RATELIMIT_ENABLED=True, REDIS_URL="redis://127.0.0.1:6379/0",
               RATELIMIT_KEY_PREFIX=sys.argv[2])
client = app.test_client()
print(json.dumps([client.post("/api/v1/tables/join", json={"code": "WRONG234"}).status_code
                  for _ in range(int(sys.argv[3]))]))
"""


def test_processes_share_their_counters_through_redis(tmp_path, sqlite_templates):
    from tests.support import redis_available
    if not redis_available():
        pytest.skip("Redis is not reachable on 127.0.0.1:6379")
    path = tmp_path / "shared.sqlite3"
    shutil.copy(sqlite_templates["empty"], path)
    prefix = f"test-{uuid.uuid4().hex}"

    def guesses(count: int) -> list:
        result = subprocess.run([sys.executable, "-c", GUESSER, f"sqlite:///{path}", prefix, str(count)], cwd=ROOT,
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout.strip().splitlines()[-1])
    assert set(guesses(30)) == {404}
    assert guesses(1) == [429]
    assert TEST_CONFIG["RATELIMIT_ENABLED"] is False  # the other tests are not limited
