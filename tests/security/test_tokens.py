"""Tokens under attack: a host token against another table, an expired token, forged and revoked ones."""
import time

import pytest
from itsdangerous import URLSafeTimedSerializer

from cafe.extensions import db
from cafe.models import Note, Table, User
from tests.conftest import new_note


def note_of_table(app, number: int) -> Note:
    """A note of the demo café's table with this number (1-based)."""
    with app.app_context():
        table = db.session.get(Table, app.config["DEMO_INFO"]["tables"][number - 1]["id"])
        return db.session.scalars(db.select(Note).where(Note.table_id == table.id)).first()


def forge(claims: dict, secret: str = "test-secret", salt: str = "dialogcafe.token") -> str:
    """A token signed like the app's, with chosen claims and key."""
    return URLSafeTimedSerializer(secret, salt=salt).dumps(claims)


def test_host_token_reaches_only_its_own_tables_room(app, sockets, host_token):
    host_a = sockets("/table", auth={"token": host_token(1)})
    other = note_of_table(app, 2)
    for event in ("note:edit", "note:delete", "note:restore", "note:star"):
        ack = host_a.emit(event, {"id": other.id, "text": "kapat"}, namespace="/table", callback=True)
        assert ack["ok"] is False and ack["error"]["code"] == "note_not_found", event
    ack = host_a.emit("note:edit", {"client_id": other.client_id, "text": "kapat"}, namespace="/table",
                      callback=True)
    assert ack["error"]["code"] == "note_not_found"
    with app.app_context():
        assert db.session.get(Note, other.id).text == other.text
    changes = host_a.emit("sync", {"since": 0}, namespace="/table", callback=True)["changes"]
    assert changes and {c["note"]["table_id"] for c in changes if c.get("note")} == {note_of_table(app, 1).table_id}


def test_host_does_not_hear_another_tables_notes(sockets, host_token):
    host_a = sockets("/table", auth={"token": host_token(1)})
    host_b = sockets("/table", auth={"token": host_token(2)})
    host_b.get_received("/table")
    assert host_a.emit("note:add", new_note("Bara bord 1"), namespace="/table", callback=True)["ok"]
    assert host_b.get_received("/table") == []


def test_host_token_against_another_tables_api(app, client, host_token):
    auth = {"Authorization": f"Bearer {host_token(1)}"}
    other = note_of_table(app, 2)
    assert client.get(f"/api/v1/tables/{other.table_id}", headers=auth).status_code == 403
    assert client.get(f"/api/v1/tables/{other.table_id}/notes", headers=auth).status_code == 403
    assert client.get(f"/api/v1/notes/{other.id}", headers=auth).status_code == 403


def test_expired_host_token_is_refused(app, client, sockets, monkeypatch, demo):
    with app.app_context():
        table = db.session.get(Table, demo["tables"][0]["id"])
        claims = {"k": "host", "t": table.id, "v": table.token_version}
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() - app.config["HOST_TOKEN_MAX_AGE"] - 60)
    old = forge(claims)
    monkeypatch.setattr(time, "time", real)
    assert not sockets("/table", auth={"token": old}).is_connected("/table")
    reply = client.get("/api/v1/events", headers={"Authorization": f"Bearer {old}"})
    assert reply.status_code == 401 and reply.get_json()["error"]["code"] == "invalid_token"
    assert sockets("/table", auth={"token": forge(claims)}).is_connected("/table")  # the same, fresh


@pytest.mark.parametrize("make", [
    lambda table_id: forge({"k": "host", "t": table_id, "v": 0}, secret="another-secret"),
    lambda table_id: forge({"k": "host", "t": table_id, "v": 0}, salt="another.salt"),
    lambda table_id: forge({"k": "host", "t": table_id, "v": 99}),
    lambda table_id: forge({"k": "host", "t": 999999, "v": 0}),
    lambda table_id: forge({"k": "admin", "t": table_id, "v": 0}),
    lambda table_id: forge(["host", table_id]),
    lambda table_id: forge({"k": "host", "t": table_id, "v": 0}).rsplit(".", 1)[0] + ".AAAAAAAAAAAAAAAA",
    lambda table_id: "eyJrIjoiaG9zdCIsInQiOjEsInYiOjB9",
    lambda table_id: "x" * 600,
    lambda table_id: "",
], ids=["other-key", "other-salt", "revoked-version", "no-such-table", "unknown-kind", "not-a-dict",
        "bad-signature", "unsigned", "too-long", "empty"])
def test_forged_tokens_are_refused(client, sockets, demo, make):
    token = make(demo["tables"][0]["id"])
    assert not sockets("/table", auth={"token": token}).is_connected("/table")
    assert not sockets("/projector", auth={"token": token}).is_connected("/projector")
    reply = client.get("/api/v1/events", headers={"Authorization": f"Bearer {token}"})
    assert reply.status_code == 401


def test_rotating_a_tables_token_version_revokes_its_hosts(app, sockets, host_token, demo):
    token = host_token(1)
    with app.app_context():
        db.session.get(Table, demo["tables"][0]["id"]).token_version += 1
        db.session.commit()
    assert not sockets("/table", auth={"token": token}).is_connected("/table")


def test_user_token_revoked_by_token_version(app, client, api_token, demo):
    token = api_token("organizer")
    with app.app_context():
        db.session.scalar(db.select(User).where(User.email == demo["organizer"]["email"])).token_version += 1
        db.session.commit()
    assert client.get("/api/v1/events", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_projector_token_of_another_event_or_a_host_token_opens_no_projector(client, demo, host_token):
    assert client.get(f"/projector/{demo['event_id']}?token={host_token(1)}").status_code == 403
    assert client.get(f"/projector/{demo['event_id'] + 1}?"
                      f"{demo['projector_url'].split('?')[1]}").status_code == 403
