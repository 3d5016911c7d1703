"""Socket events on /table: adding, editing, deleting notes, catch-up, and their errors."""
import uuid

import pytest

from tests.conftest import new_note


@pytest.fixture
def host(sockets, host_token):
    """A connected host socket for table 1."""
    return sockets("/table", auth={"token": host_token(1)})


def changes_after_start(sock, start):
    """The changes a socket's sync returns after the seq `start`."""
    return sock.emit("sync", {"since": start}, namespace="/table", callback=True)["changes"]


@pytest.fixture
def start(host):
    """The event's last seq before the test does anything (the demo café has notes already)."""
    return host.emit("sync", {"since": 0}, namespace="/table", callback=True)["last_seq"]


def test_add_note_acks_with_seq_and_broadcasts_to_all_rooms(sockets, host, host_token, demo):
    other_host = sockets("/table", auth={"token": host_token(2)})
    same_table = sockets("/table", auth={"token": host_token(1)})
    projector = sockets("/projector", auth={"token": demo["projector_url"].split("token=")[1]})
    projector2 = sockets("/projector", auth={"token": demo["projector_url"].split("token=")[1]})
    for sock, namespace in ((other_host, "/table"), (same_table, "/table"), (projector, "/projector"),
                            (projector2, "/projector")):
        assert sock.is_connected(namespace)
        sock.get_received(namespace)
    ack = host.emit("note:add", new_note("Ge nyanställda en mentor"), namespace="/table", callback=True)
    assert ack["ok"] is True
    note = ack["note"]
    assert note["text"] == "Ge nyanställda en mentor" and note["seq"] > 0 and note["id"]
    for p in (projector, projector2):
        received = p.get_received("/projector")
        assert [r["name"] for r in received] == ["note:added"]
        assert received[0]["args"][0]["note"]["id"] == note["id"]
        assert received[0]["args"][0]["seq"] == note["seq"]
    assert [r["name"] for r in same_table.get_received("/table")] == ["note:added"]
    assert other_host.get_received("/table") == []


def test_same_client_id_twice_creates_one_note(host, start):
    payload = new_note("Dubblett?")
    first = host.emit("note:add", payload, namespace="/table", callback=True)
    second = host.emit("note:add", payload, namespace="/table", callback=True)
    assert first["note"]["id"] == second["note"]["id"]
    changes = changes_after_start(host, start)
    assert [c["note"]["client_id"] for c in changes] == [payload["client_id"]]


def test_client_id_of_another_table_is_refused(sockets, host, host_token):
    payload = new_note()
    host.emit("note:add", payload, namespace="/table", callback=True)
    other = sockets("/table", auth={"token": host_token(2)})
    ack = other.emit("note:add", payload, namespace="/table", callback=True)
    assert ack == {"ok": False, "error": {"code": "client_id_taken", "message": ack["error"]["message"],
                                          "details": {"field": "client_id"}}}


@pytest.mark.parametrize("payload, code", [
    (None, "invalid_payload"),
    ("text", "invalid_payload"),
    ([1, 2], "invalid_payload"),
    ({"text": "utan id"}, "invalid_client_id"),
    ({"client_id": "inte-ett-uuid", "text": "x"}, "invalid_client_id"),
    ({"client_id": 5, "text": "x"}, "invalid_client_id"),
    ({"client_id": str(uuid.uuid4())}, "invalid_field"),
    ({"client_id": str(uuid.uuid4()), "text": 12}, "invalid_field"),
    ({"client_id": str(uuid.uuid4()), "text": "   \n\t "}, "empty_text"),
    ({"client_id": str(uuid.uuid4()), "text": "x" * 2001}, "text_too_long"),
    ({"client_id": str(uuid.uuid4()), "text": "bell\x07"}, "control_chars"),
    ({"client_id": str(uuid.uuid4()), "text": "ok", "level": "chef"}, "invalid_level"),
    ({"client_id": str(uuid.uuid4()), "text": "ok", "unit_id": "2"}, "invalid_field"),
    ({"client_id": str(uuid.uuid4()), "text": "ok", "unit_id": 99999}, "invalid_unit"),
])
def test_bad_note_gets_error_ack_and_stores_nothing(host, start, payload, code):
    ack = host.emit("note:add", payload, namespace="/table", callback=True)
    assert ack["ok"] is False
    assert ack["error"]["code"] == code
    assert ack["error"]["message"]
    assert changes_after_start(host, start) == []


def test_text_of_exactly_2000_chars_is_accepted(host):
    ack = host.emit("note:add", new_note("å" * 2000), namespace="/table", callback=True)
    assert ack["ok"] and len(ack["note"]["text"]) == 2000


def test_edit_keeps_revision_and_broadcasts(host, sockets, login, app):
    ack = host.emit("note:add", new_note("första lydelsen"), namespace="/table", callback=True)
    edited = host.emit("note:edit", {"id": ack["note"]["id"], "text": "andra lydelsen", "level": "enhet"},
                       namespace="/table", callback=True)
    assert edited["ok"] and edited["note"]["text"] == "andra lydelsen"
    assert edited["note"]["version"] == 2 and edited["note"]["seq"] > ack["note"]["seq"]
    client = login("organizer")
    detail = client.get(f"/api/v1/notes/{ack['note']['id']}").get_json()
    assert [r["text"] for r in detail["revisions"]] == ["första lydelsen"]


def test_delete_and_restore_are_soft_and_undoable(host, start):
    ack = host.emit("note:add", new_note("ta bort mig"), namespace="/table", callback=True)
    ref = {"client_id": ack["note"]["client_id"]}
    deleted = host.emit("note:delete", ref, namespace="/table", callback=True)
    assert deleted["ok"] and deleted["note"]["deleted"] is True
    restored = host.emit("note:restore", ref, namespace="/table", callback=True)
    assert restored["ok"] and restored["note"]["deleted"] is False
    types = [c["type"] for c in changes_after_start(host, start)]
    assert types == ["note:added", "note:deleted", "note:updated"]


def test_host_cannot_touch_another_tables_note(sockets, host, host_token):
    ack = host.emit("note:add", new_note(), namespace="/table", callback=True)
    other = sockets("/table", auth={"token": host_token(2)})
    for event in ("note:edit", "note:delete", "note:restore"):
        reply = other.emit(event, {"id": ack["note"]["id"], "text": "kapat"}, namespace="/table", callback=True)
        assert reply["ok"] is False and reply["error"]["code"] == "note_not_found"


def test_sync_returns_changes_after_since_in_order(host):
    seqs = [host.emit("note:add", new_note(f"nr {i}"), namespace="/table", callback=True)["note"]["seq"]
            for i in range(5)]
    reply = host.emit("sync", {"since": seqs[1]}, namespace="/table", callback=True)
    assert [c["seq"] for c in reply["changes"]] == seqs[2:]
    assert [c["note"]["text"] for c in reply["changes"]] == ["nr 2", "nr 3", "nr 4"]


@pytest.mark.parametrize("since", [-1, "3", 1.5, None, True])
def test_sync_with_bad_since(host, since):
    payload = {"since": since} if since is not None else None
    reply = host.emit("sync", payload, namespace="/table", callback=True)
    assert reply["ok"] is False


def test_host_sync_sees_only_its_own_table(sockets, host, host_token, start):
    host.emit("note:add", new_note("bord 1"), namespace="/table", callback=True)
    other = sockets("/table", auth={"token": host_token(2)})
    other.emit("note:add", new_note("bord 2"), namespace="/table", callback=True)
    assert [c["note"]["text"] for c in changes_after_start(host, start)] == ["bord 1"]
    everything = changes_after_start(host, 0)
    assert {c["note"]["table_id"] for c in everything} == {1}


@pytest.mark.parametrize("auth", [None, {}, {"token": "forged.token.value"}, {"token": 42}, "token"])
def test_connect_without_valid_host_token_is_refused(sockets, auth):
    sock = sockets("/table", auth=auth)
    assert not sock.is_connected("/table")


def test_projector_token_cannot_join_table_namespace(sockets, demo):
    sock = sockets("/table", auth={"token": demo["projector_url"].split("token=")[1]})
    assert not sock.is_connected("/table")


def test_closed_event_refuses_notes(app, host):
    from cafe.extensions import db
    from cafe.models import Event
    with app.app_context():
        db.session.get(Event, 1).status = "closed"
        db.session.commit()
    ack = host.emit("note:add", new_note(), namespace="/table", callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "event_closed"


def test_rotated_token_version_revokes_host_token(app, sockets, host_token):
    from cafe.extensions import db
    from cafe.models import Table
    token = host_token(1)
    with app.app_context():
        db.session.get(Table, 1).token_version += 1
        db.session.commit()
    assert not sockets("/table", auth={"token": token}).is_connected("/table")


def test_facilitator_sees_presence(sockets, login, host_token):
    client = login("facilitator")
    console = sockets("/facilitator", auth={"event_id": 1}, flask_client=client)
    assert console.is_connected("/facilitator")
    console.get_received("/facilitator")
    sockets("/table", auth={"token": host_token(3)})
    presence = [r for r in console.get_received("/facilitator") if r["name"] == "presence"]
    assert presence and presence[0]["args"][0]["table_id"] == 3 and presence[0]["args"][0]["online"]
    listing = console.emit("presence:list", {}, namespace="/facilitator", callback=True)
    assert {t["table_id"]: t["online"] for t in listing["tables"]}[3] is True
