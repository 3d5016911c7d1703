"""The parties of the access matrix and a world for them: the demo café X with tables A and B, a second
café Y with its own facilitator, a project lead of another administration, and a participant holding the
pre-vote and feedback links of café X."""
import shutil
from dataclasses import dataclass, field

import pytest

from cafe.extensions import db, socketio
from cafe.security import limits
from tests.conftest import make_app

ROLES = ("anonymous", "host_a", "host_b", "projector_x", "facilitator_x", "facilitator_y", "organizer",
         "lead_own", "lead_other", "participant")
USERS = {"facilitator_x", "facilitator_y", "organizer", "lead_own", "lead_other"}
PASSWORD = "demo-password"
REMOTE = "203.0.113.9"  # requests come from outside, as in production (loopback is trusted by /metrics)


@dataclass
class World:
    """Ids and secrets of the world, and the credentials each party holds."""

    event_x: int
    event_y: int
    table_a: int
    table_b: int
    note_a: int
    unit: int
    administration: int
    action: int | None
    theme: int | None
    users: dict
    secrets: dict = field(default_factory=dict)  # party -> {secret kind: value}


def _optional_links(event) -> dict:
    """The participant's links to café X: the pre-vote's secret (+ a personal code) and the feedback link."""
    links = {}
    try:
        from cafe.events import votes
        vote = votes.open_vote(event, 3)
        links["vote_secret"] = vote.secret
        links["vote_code"] = votes.make_link_codes(vote, 1)[0]
    except ImportError:
        pass
    try:
        from cafe.followup import actions
        links["feedback_token"] = actions.feedback_token(event)
    except (ImportError, AttributeError):
        pass
    return links


def _first_id(model_name: str, event_id: int) -> int | None:
    """The id of the event's first row of a model that other areas add (actions, themes), if any."""
    import cafe.models as models
    model = getattr(models, model_name, None)
    if model is None:
        return None
    return db.session.scalar(db.select(model.id).where(model.event_id == event_id).order_by(model.id))


def _add_theme(event) -> None:
    """A theme in café X, when the synthesis area exists."""
    import cafe.models as models
    if hasattr(models, "Theme"):
        db.session.add(models.Theme(event_id=event.id, label="Introduktion av nyanställda"))
        db.session.flush()


def build_world(info: dict) -> World:
    """Add café Y, its facilitator, another administration's project lead, and the participant's links."""
    from cafe.models import Administration, Event, Note, Table, Unit, User
    from cafe.people import access, users
    x = db.session.get(Event, info["event_id"]) if "event_id" in info else db.session.scalars(
        db.select(Event).order_by(Event.id)).first()
    other = Administration(name="Annan stadsdelsförvaltning")
    db.session.add(other)
    db.session.flush()
    fy = users.create("fy@example.se", PASSWORD, "Processledare Y", "facilitator", x.administration_id)
    lead = users.create("lead-other@example.se", PASSWORD, "Projektledare annan", "project_lead", other.id)
    y = Event(title="Café Y", status="live", administration_id=x.administration_id,
              framework_id=x.framework_id, projector_token=access.new_projector_token())
    y.facilitators.append(fy)
    y.tables.append(Table(number=1, name="Bord Y1", join_code=access.new_join_code()))
    db.session.add(y)
    db.session.flush()
    _add_theme(x)
    table_a, table_b = x.tables[0], x.tables[1]
    note = db.session.scalars(db.select(Note).where(Note.table_id == table_a.id)).first()
    unit = db.session.scalars(db.select(Unit).where(Unit.administration_id == x.administration_id)).first()
    by_email = {u.email: u.id for u in db.session.scalars(db.select(User))}
    world = World(event_x=x.id, event_y=y.id, table_a=table_a.id, table_b=table_b.id, note_a=note.id,
                  unit=unit.id, administration=x.administration_id, action=_first_id("ActionItem", x.id),
                  theme=_first_id("Theme", x.id), users={
                      "facilitator_x": by_email[info["facilitator"]["email"]],
                      "organizer": by_email[info["organizer"]["email"]],
                      "lead_own": by_email[info["project_lead"]["email"]],
                      "facilitator_y": fy.id, "lead_other": lead.id})
    # host B holds table B's code, which is not a code for table A: it is not listed as a link to A
    world.secrets = {"host_a": {"join_code": table_a.join_code, "token": access.host_token(table_a)},
                     "host_b": {"token": access.host_token(table_b)},
                     "projector_x": {"projector_token": x.projector_token, "token": x.projector_token},
                     "participant": _optional_links(x)}
    for role, user_id in world.users.items():
        world.secrets[role] = {"token": access.user_token(db.session.get(User, user_id))}
    db.session.commit()
    return world


@pytest.fixture(scope="session")
def world_template(tmp_path_factory, sqlite_templates):
    """A SQLite file with the demo café and the rest of the world, made once per run."""
    path = tmp_path_factory.mktemp("world") / "world.sqlite3"
    shutil.copy(sqlite_templates["demo"], path)
    app = make_app(f"sqlite:///{path}")
    with app.app_context():
        world = build_world(sqlite_templates["demo_info"])
        db.session.execute(db.text("PRAGMA wal_checkpoint(TRUNCATE)"))
        db.session.remove()
        db.engine.dispose()
    return path, world


@pytest.fixture
def world_app(tmp_path, world_template):
    """An app on a fresh copy of the world, with a monitoring token set."""
    path, world = world_template
    target = tmp_path / "world.sqlite3"
    shutil.copy(path, target)
    app = make_app(f"sqlite:///{target}", METRICS_TOKEN="operator-secret")
    app.config["WORLD"] = world
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def world(world_app) -> World:
    """The world of the app."""
    return world_app.config["WORLD"]


def party_client(app, world: World, role: str):
    """A Flask test client for a party: logged in for users, from an outside address."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = REMOTE
    if role in USERS:
        with client.session_transaction() as session:
            session["_user_id"] = str(world.users[role])
            session["_fresh"] = True
    return client


@pytest.fixture
def party_socket(world_app, world):
    """Connect a party to a namespace of café X as its page would; all are disconnected at the end."""
    made = []

    def connect(role: str, namespace: str):
        token = world.secrets.get(role, {}).get("token") if role not in USERS else None
        auth = {"event_id": world.event_x}
        if token:
            auth["token"] = token
        client = party_client(world_app, world, role)
        sock = socketio.test_client(world_app, namespace=namespace, auth=auth, flask_test_client=client)
        made.append((sock, namespace))
        return sock
    yield connect
    for sock, namespace in made:
        if sock.is_connected(namespace):
            sock.disconnect(namespace=namespace)


@pytest.fixture(scope="session")
def live_cafe(tmp_path_factory):
    """One real server with the demo café for the browser tests of this package (started once)."""
    from tests.server_fixtures import LiveServer
    server = LiveServer(f"sqlite:///{tmp_path_factory.mktemp('live-cafe') / 'live.sqlite3'}")
    server.demo = server.held_cafe_under_way(server.prepare())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def limited(tmp_path, sqlite_templates):
    """An app on the demo café with its rate limits switched on (the test config switches them off)."""
    path = tmp_path / "limited.sqlite3"
    shutil.copy(sqlite_templates["demo"], path)
    app = make_app(f"sqlite:///{path}", RATELIMIT_ENABLED=True)
    limits.limiter.reset()
    yield app
    limits.limiter.enabled = False
    with app.app_context():
        db.engine.dispose()
