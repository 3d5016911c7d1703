"""Shared fixtures: an app on a fresh database (SQLite, or PostgreSQL when asked), the demo café,
socket test clients, and a real server process for integration tests."""
import os
import shutil
import uuid

import pytest

from cafe import create_app
from cafe.extensions import db, socketio
from cafe.storage.database import dispose_note_engine
from tests import support

pytest_plugins = ["tests.server_fixtures", "tests.browser_fixtures"]

# The suite's own processes keep both cores busy, so children that run only on idle CPU time (the
# default, CHILD_PRIORITY=idle) would wait minutes for a second of start-up: the servers, synthesis
# services and job processes the tests start run theirs at the normal priority. The idle policy has
# its own test (tests/runtime/test_synthesis_service.py).
os.environ.setdefault("CHILD_PRIORITY", "normal")


def pytest_addoption(parser):
    """--pg also runs every `db_url`-parametrised test on PostgreSQL (on by default when reachable)."""
    parser.addoption("--no-pg", action="store_true", help="skip the PostgreSQL variants")


@pytest.fixture(params=["sqlite"])
def db_url(request, tmp_path):
    """A fresh database URL; tests that parametrise it indirectly also get PostgreSQL."""
    if request.param == "postgresql":
        if request.config.getoption("--no-pg"):
            pytest.skip("PostgreSQL variants switched off with --no-pg")
        url = support.fresh_pg_database()
        yield url
        support.drop_pg_database(url)
    else:
        yield f"sqlite:///{tmp_path / 'cafe.sqlite3'}"


TEST_CONFIG = {
    "TESTING": True, "SECRET_KEY": "test-secret", "WTF_CSRF_ENABLED": False,
    "PUBLIC_URL": "http://testserver", "REDIS_URL": None, "RATELIMIT_ENABLED": False,
    "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    "SYNTHESIS_WORKER": False, "JOB_WORKER": "thread",
}


def make_app(db_url: str, **extra):
    """An app for tests on the given database."""
    return create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": db_url, **extra})


@pytest.fixture(scope="session")
def sqlite_templates(tmp_path_factory):
    """SQLite files made once per run, one empty and one with the demo café, copied for each test."""
    from cafe.demo import seed
    folder = tmp_path_factory.mktemp("templates")
    result = {}
    for name in ("empty", "demo"):
        path = folder / f"{name}.sqlite3"
        app = make_app(f"sqlite:///{path}")
        with app.app_context():
            db.create_all()
            if name == "demo":
                seeded = seed(app.config["PUBLIC_URL"], password="demo-password")
                result["demo_info"] = support.held_cafe_under_way(seeded)
            db.session.commit()
            db.session.execute(db.text("PRAGMA wal_checkpoint(TRUNCATE)"))
            db.session.remove()
            db.engine.dispose()
        result[name] = path
    return result


@pytest.fixture
def app(request, db_url, sqlite_templates):
    """An app on a fresh database: SQLite copied from a template, PostgreSQL created afresh."""
    wants_demo = "demo" in request.fixturenames
    if db_url.startswith("sqlite"):
        shutil.copy(sqlite_templates["demo" if wants_demo else "empty"], db_url[len("sqlite:///"):])
    app = make_app(db_url)
    with app.app_context():
        db.create_all()
        if wants_demo and not db_url.startswith("sqlite"):
            from cafe.demo import seed
            app.config["DEMO_INFO"] = support.held_cafe_under_way(
                seed(app.config["PUBLIC_URL"], password="demo-password"))
    app.config.setdefault("DEMO_INFO", sqlite_templates["demo_info"])
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    dispose_note_engine(app)


@pytest.fixture
def client(app):
    """A Flask test client."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A runner for the app's CLI commands."""
    return app.test_cli_runner()


@pytest.fixture
def demo(app):
    """The demo seeded, as the `flask demo --json` object (all demo users: "demo-password"), its top-level
    café keys naming the held café put back into its last round (`support.held_cafe_under_way`)."""
    return app.config["DEMO_INFO"]


@pytest.fixture
def host_token(app, demo):
    """A function giving a host token for the demo table with the given number."""
    def make(number: int = 1) -> str:
        code = demo["tables"][number - 1]["join_code"]
        response = app.test_client().post("/api/v1/tables/join", json={"code": code})
        return response.get_json()["token"]
    return make


@pytest.fixture
def sockets(app):
    """A factory of Flask-SocketIO test clients; all are disconnected at the end."""
    made = []

    def make(namespace: str, auth=None, flask_client=None):
        sock = socketio.test_client(app, namespace=namespace, auth=auth, flask_test_client=flask_client)
        made.append(sock)
        return sock
    yield make
    for sock in made:
        for ns in ("/table", "/facilitator", "/projector"):
            if sock.is_connected(ns):
                sock.disconnect(namespace=ns)


@pytest.fixture
def login(app, demo):
    """Log a Flask test client in as one of the demo users: organizer, facilitator, project_lead."""
    def do(role: str = "organizer"):
        client = app.test_client()
        creds = demo[role]
        response = client.post("/login", data={"email": creds["email"], "password": creds["password"]})
        assert response.status_code == 302, response.data
        return client
    return do


@pytest.fixture
def api_token(app, demo):
    """A bearer token for one of the demo users."""
    def make(role: str = "organizer") -> str:
        creds = demo[role]
        reply = app.test_client().post("/api/v1/auth/token", json=creds)
        return reply.get_json()["token"]
    return make


def new_note(text: str = "Mer administrativt stöd vid bokningar", **extra) -> dict:
    """A note payload with a fresh client id."""
    return {"client_id": str(uuid.uuid4()), "text": text, **extra}


@pytest.fixture
def note_payload():
    """The new_note factory as a fixture."""
    return new_note


os.environ.setdefault("SOCKETIO_ASYNC_MODE", "threading")
