"""Hypothesis-generated payloads for every socket event a client may send: every malformed payload gets an
error ack with a code and a Swedish message, no handler crashes, and a refused event stores nothing."""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cafe.extensions import db, socketio
from cafe.security import rules
from tests.conftest import make_app

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
