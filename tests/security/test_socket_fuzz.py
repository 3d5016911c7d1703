"""Hypothesis-generated payloads for every socket event a client may send: every malformed payload gets an
error ack with a code and a Swedish message, no handler crashes, and a refused event stores nothing; then the
same against the running server with real python-socketio clients, with unknown event names, payloads too big
or too deep and floods, while a bystander host keeps typing and loses nothing."""
import os
import time
import uuid

import pytest
import requests
import socketio as socketio_client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cafe.extensions import db, socketio
from cafe.security import rules
from tests.conftest import make_app
from tests.server_fixtures import LiveServer, serve_copy
from tests.support import socket_client

KEYS = ["client_id", "text", "id", "level", "unit_id", "since", "point", "base_version", "round_id",
        "minutes", "message", "theme_id", "theme_ids", "note_id", "note_ids", "label", "name", "target",
        "slide", "index", "marked", "event_id", "table_id", "seconds"]
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-2**70, max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=40),
    st.sampled_from(["", " ", "\x00", "\u202e", "<script>", "1", "-1", "individ", "9" * 30, "a" * 3000,
                     "00000000-0000-0000-0000-000000000000"]))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
    st.text(max_size=8), inner, max_size=4), max_leaves=8)
payloads = st.one_of(values, st.dictionaries(st.sampled_from(KEYS), values, max_size=6))
make_app("sqlite://")  # registers every area's handlers with the Socket.IO server
EVENTS = sorted((ns, ev) for ns, handlers in socketio.server.handlers.items() for ev in handlers
                if ev not in rules.NOT_CALLABLE and ev != "connect")


def row_counts() -> dict:
    """The number of rows in every table."""
    return {t.name: db.session.execute(db.select(db.func.count()).select_from(t)).scalar()
            for t in db.metadata.sorted_tables}


@pytest.fixture
def party(app, demo, sockets, host_token, login):
    """A connected socket of the party that may send events on each namespace."""
    projector_token = demo["projector_url"].split("token=")[1]
    made = {
        "/table": lambda: sockets("/table", auth={"token": host_token(1)}),
        "/facilitator": lambda: sockets("/facilitator", auth={"event_id": demo["event_id"]},
                                        flask_client=login("organizer")),
        "/projector": lambda: sockets("/projector", auth={"token": projector_token}),
    }
    return lambda namespace: made[namespace]()


@pytest.mark.parametrize("namespace, event", EVENTS, ids=[f"{n} {e}" for n, e in EVENTS])
def test_every_malformed_payload_gets_an_error_ack(app, party, namespace, event):
    sock = party(namespace)
    assert sock.is_connected(namespace)

    @settings(max_examples=20, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(payloads)
    def send(payload):
        with app.app_context():
            before = row_counts()
        ack = sock.emit(event, payload, namespace=namespace, callback=True)
        assert isinstance(ack, dict) and isinstance(ack.get("ok"), bool), ack
        if ack["ok"]:
            return
        error = ack["error"]
        assert error["code"] != "internal", f"{event} crashed on {payload!r}"
        assert isinstance(error["code"], str) and error["message"]
        with app.app_context():
            assert row_counts() == before, f"{event} stored something for a refused {payload!r}"
    send()
    assert sock.is_connected(namespace)
    assert sock.emit("sync", {"since": 0}, namespace=namespace, callback=True)["ok"]


# The same and more against the running server (gevent, as `flask serve` runs it) with real python-socketio
# clients: every event of every namespace, unknown event names, payloads too big or too deep, floods; a
# bystander host keeps typing at another table throughout and loses nothing.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", 8))  # per event on the running server; `make bench-fuzz` runs more
LIVE_EVENTS = [(ns, ev) for ns, ev in EVENTS if ev != "event:close"]  # closing the café would end the run
names = st.text(min_size=1, max_size=40).filter(lambda n: n not in ("connect", "disconnect", "connect_error"))


class Fuzzed:
    """The running server, the auth of each party, and everything the bystander and the fuzzers stored."""

    def __init__(self, server: LiveServer, demo: dict):
        self.server, self.url = server, server.url
        codes = [t["join_code"] for t in demo["tables"]]
        join = [requests.post(f"{self.url}/api/v1/tables/join", json={"code": c}, timeout=10).json() for c in codes[:2]]
        token = requests.post(f"{self.url}/api/v1/auth/token", json=demo["organizer"], timeout=10).json()["token"]
        self.auth = {"/table": {"token": join[0]["token"]},
                     "/facilitator": {"token": token, "event_id": demo["event_id"]},
                     "/projector": {"token": demo["projector_url"].split("token=")[1]}}
        self.bystander = self.connect("/table", {"token": join[1]["token"]})
        self.typed: list[str] = []  # the bystander's client ids, all acknowledged
        self.stored: dict[str, int] = {}  # client id -> note id of every note a fuzzer got an ok ack for

    def connect(self, namespace: str, auth: dict | None = None) -> socketio_client.Client:
        """A connected python-socketio client (websocket) of the party that may use the namespace."""
        client = socket_client(reconnection=False)
        client.connect(self.url, namespaces=[namespace], auth=auth or self.auth[namespace],
                       transports=["websocket"], wait_timeout=10)
        return client

    def type_a_note(self) -> None:
        """The bystander adds a note and gets its ack at once, whatever the fuzzers do."""
        client_id = str(uuid.uuid4())
        ack = self.bystander.call("note:add", {"client_id": client_id, "text": f"Anteckning {len(self.typed)}"},
                                  namespace="/table", timeout=10)
        assert ack["ok"], ack
        self.typed.append(client_id)


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory, live_template):
    """One running server for the module on a copy of the demo café; at the end nothing is lost or doubled."""
    server = serve_copy(tmp_path_factory.mktemp("socket-fuzz"), live_template)
    demo = server.demo
    world = Fuzzed(server, demo)
    yield world
    try:
        world.type_a_note()
        notes = world.bystander.call("sync", {"since": 0}, namespace="/table", timeout=10)
        assert notes["ok"], notes
        world.bystander.disconnect()
        assert requests.get(server.url + "/healthz", timeout=10).json()["status"] == "ok"
    finally:
        server.stop()
    log = server.log_path.read_text(errors="replace")
    assert "Traceback" not in log and "socket handler" not in log, log[-3000:]
    assert_each_note_once(server, world)


def assert_each_note_once(server: LiveServer, world: Fuzzed) -> None:
    """Every acknowledged note is stored exactly once (read from the database the server wrote)."""
    from sqlalchemy import create_engine, text
    engine = create_engine(server.env["DATABASE_URL"])
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT client_id, id FROM notes")).all()
    engine.dispose()
    counts: dict[str, int] = {}
    for client_id, _ in rows:
        counts[client_id] = counts.get(client_id, 0) + 1
    assert all(counts.get(c) == 1 for c in world.typed), "a bystander's note was lost or doubled"
    assert all(counts.get(c) == 1 for c in world.stored), "a fuzzer's acknowledged note was lost or doubled"


def _ack_or_disconnect(client, namespace: str, event: str, payload) -> dict | None:
    """The ack of one event, or None when the server closed the connection for it."""
    answers: list = []
    client.on("disconnect", lambda *args: answers.append(None), namespace=namespace)
    try:
        client.emit(event, payload, namespace=namespace, callback=lambda *ack: answers.append(ack[0] if ack else {}))
    except socketio_client.exceptions.BadNamespaceError:
        return None
    deadline = time.monotonic() + 10
    while not answers and client.connected and time.monotonic() < deadline:
        time.sleep(0.005)
    assert answers or not client.connected, f"{event} got neither an ack nor a disconnect for {payload!r}"
    return answers[0] if answers else None


def _check(world: Fuzzed, event: str, payload, ack) -> None:
    """An ack has ok; a refusal has a code and a message and is not a crash; a stored note is remembered."""
    if ack is None:
        return
    assert isinstance(ack, dict) and isinstance(ack.get("ok"), bool), ack
    if ack["ok"]:
        note = ack.get("note")
        if event == "note:add" and isinstance(note, dict):
            assert world.stored.setdefault(note["client_id"], note["id"]) == note["id"], "a resent note doubled"
        return
    assert ack["error"]["code"] != "internal", f"{event} crashed on {payload!r}"
    assert isinstance(ack["error"]["code"], str) and ack["error"]["message"]


@pytest.mark.parametrize("namespace, event", LIVE_EVENTS, ids=[f"{n} {e}" for n, e in LIVE_EVENTS])
def test_every_event_of_the_running_server_refuses_garbage_and_keeps_others_working(fuzzed, namespace, event):
    client = fuzzed.connect(namespace)

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(payloads | st.builds(lambda k, v: {"client_id": str(uuid.uuid4()), "text": "Fler händer", k: v},
                                st.sampled_from(KEYS), values))
    def send(payload):
        nonlocal client
        if not client.connected:
            client = fuzzed.connect(namespace)
        _check(fuzzed, event, payload, _ack_or_disconnect(client, namespace, event, payload))
    try:
        send()
        fuzzed.type_a_note()
    finally:
        client.disconnect()


def test_unknown_event_names_get_an_error_ack(fuzzed):
    client = fuzzed.connect("/table")

    @settings(max_examples=2 * EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(names)
    def send(name):
        if name not in socketio.server.handlers["/table"]:
            ack = client.call(name, {"x": 1}, namespace="/table", timeout=10)
            assert ack["ok"] is False and ack["error"]["code"] == "unknown_event", (name, ack)
    try:
        send()
    finally:
        client.disconnect()


def nested(depth: int):
    """A list nested `depth` deep."""
    value: list = []
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize("payload", [
    {"client_id": str(uuid.uuid4()), "text": "x" * 200_000},  # beyond the 64 KB a message may have
    {"client_id": str(uuid.uuid4()), "text": nested(400)},  # deep, as deep as a client library can encode
    nested(400),
], ids=["huge string", "deep nesting in a field", "deep nesting"])
def test_too_big_or_too_deep_gets_an_error_ack_or_a_clear_disconnect(fuzzed, payload):
    client = fuzzed.connect("/table")
    try:
        ack = _ack_or_disconnect(client, "/table", "note:add", payload)
        assert ack is None or (ack["ok"] is False and ack["error"]["code"] != "internal"), ack
        fuzzed.type_a_note()
        again = client if client.connected else fuzzed.connect("/table")
        assert again.call("sync", {"since": 0}, namespace="/table", timeout=10)["ok"]
        again.disconnect()
    finally:
        if client.connected:
            client.disconnect()


def test_a_flood_is_slowed_for_its_sender_only(fuzzed):
    client = fuzzed.connect("/table")
    acks: list = []
    sent = [str(uuid.uuid4()) for _ in range(300)]
    try:
        for client_id in sent:
            client.emit("note:add", {"client_id": client_id, "text": "Flod"}, namespace="/table",
                        callback=lambda *ack: acks.append(ack[0] if ack else None))
        fuzzed.type_a_note()  # the bystander is answered during the flood
        deadline = time.monotonic() + 30
        while len(acks) < len(sent) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        client.disconnect()
    assert len(acks) == len(sent)
    refused = [a for a in acks if not a["ok"]]
    assert refused and {a["error"]["code"] for a in refused} == {"too_many_requests"}
    for ack in acks:
        _check(fuzzed, "note:add", None, ack)
