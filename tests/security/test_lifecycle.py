"""The data lifecycle: complete archive export, deleting an event after confirmation, retention purging,
and scanning and masking personal data in earlier notes."""
from datetime import timedelta

import pytest

from cafe.extensions import db
from cafe.models import Change, Event, Note, NoteRevision, utcnow
from cafe.models.audit import AuditEntry
from cafe.privacy import retention
from tests.conftest import new_note

PNR = "811218-9876"


def rows_of(app, event_id: int) -> dict:
    """How many rows of each table belong to the event."""
    with app.app_context():
        return {t.name: len(r) for t, r in retention.closure(Event.__table__, {event_id}).items()}


def test_export_holds_every_table_of_the_event_without_secrets(client, demo, api_token):
    reply = client.get(f"/api/v1/events/{demo['event_id']}/export.json",
                       headers={"Authorization": f"Bearer {api_token('organizer')}"})
    assert reply.status_code == 200
    document = reply.get_json()
    records = document["records"]
    for table in ("events", "tables", "rounds", "notes", "changes", "event_facilitators"):
        assert records.get(table), f"{table} missing from the archive"
    assert len(records["notes"]) == len(document["notes"])
    text = reply.get_data(as_text=True)
    with client.application.app_context():
        event = db.session.get(Event, demo["event_id"])
        secrets = [event.projector_token] + [t.join_code for t in event.tables]
    assert not any(secret in text for secret in secrets)


def test_export_is_for_those_who_run_the_event(client, demo, api_token, host_token):
    url = f"/api/v1/events/{demo['event_id']}/export.json"
    assert client.get(url, headers={"Authorization": f"Bearer {host_token(1)}"}).status_code == 403
    assert client.get(url, headers={"Authorization": f"Bearer {api_token('project_lead')}"}).status_code == 403
    assert client.get(url).status_code == 401


def test_delete_event_needs_the_title_then_removes_everything(app, client, demo, api_token):
    url = f"/api/v1/events/{demo['event_id']}"
    auth = {"Authorization": f"Bearer {api_token('organizer')}"}
    before = rows_of(app, demo["event_id"])
    refused = client.delete(url, json={"confirm": "fel namn"}, headers=auth)
    assert refused.status_code == 400 and refused.get_json()["error"]["code"] == "confirmation_required"
    assert rows_of(app, demo["event_id"]) == before
    title = client.get(url, headers=auth).get_json()["title"]
    reply = client.delete(url, json={"confirm": title}, headers=auth)
    assert reply.status_code == 200 and reply.get_json()["rows"]["notes"] == before["notes"]
    assert rows_of(app, demo["event_id"]) == {}
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Note)) == 0
        entry = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "event.delete")).one()
        assert entry.target == f"events:{demo['event_id']}" and entry.actor == demo["organizer"]["email"]
    assert client.get(url, headers=auth).status_code == 404


def test_delete_event_page_asks_for_confirmation(app, login, demo):
    organizer = login("organizer")
    url = f"/security/events/{demo['event_id']}/delete"
    page = organizer.get(url)
    assert page.status_code == 200 and 'name="confirm"' in page.get_data(as_text=True)
    assert organizer.post(url, data={"confirm": "nej"}).status_code == 400
    assert rows_of(app, demo["event_id"])["notes"] > 0
    with app.app_context():
        title = db.session.get(Event, demo["event_id"]).title
    assert organizer.post(url, data={"confirm": title}).status_code == 302
    assert rows_of(app, demo["event_id"]) == {}
    assert login("project_lead").post(url, data={"confirm": title}).status_code in (403, 404)


def _close(app, event_id: int, days_ago: int) -> None:
    """Close an event as if it ended some days ago."""
    with app.app_context():
        event = db.session.get(Event, event_id)
        event.status, event.closed_at = "closed", utcnow() - timedelta(days=days_ago)
        db.session.commit()


@pytest.mark.parametrize("days_ago, purged", [(40, True), (10, False)])
def test_retention_purges_notes_of_events_closed_long_enough_ago(app, runner, demo, days_ago, purged):
    _close(app, demo["event_id"], days_ago)
    app.config["RETENTION_DAYS"] = 30
    result = runner.invoke(args=["privacy", "purge"])
    assert result.exit_code == 0, result.output
    counts = rows_of(app, demo["event_id"])
    assert counts.get("events") == 1 and counts.get("tables")
    assert (counts.get("notes", 0) == 0) is purged
    assert (counts.get("changes", 0) == 0) is purged
    with app.app_context():
        audited = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "privacy.purge")).all()
        assert bool(audited) is purged


def test_purge_without_retention_setting_keeps_everything(app, runner, demo):
    _close(app, demo["event_id"], 400)
    result = runner.invoke(args=["privacy", "purge"])
    assert "RETENTION_DAYS" in result.output and rows_of(app, demo["event_id"])["notes"] > 0


def _note_with_personal_data(app, sockets, host_token):
    """Store a note holding a personnummer in warn mode, then edit it once (so a revision keeps it)."""
    app.config["PII_MODE"] = "warn"
    host = sockets("/table", auth={"token": host_token(1)})
    payload = new_note(f"Klient {PNR} ringde")
    ack = host.emit("note:add", payload, namespace="/table", callback=True)
    assert ack["ok"] and ack["personal_data"]["kinds"] == ["personnummer"]
    edit = host.emit("note:edit", {"client_id": payload["client_id"], "text": f"Klient {PNR} ringde igen"},
                     namespace="/table", callback=True)
    assert edit["ok"]
    app.config["PII_MODE"] = "mask"
    return ack["note"]["id"]


def test_scan_lists_and_mask_cleans_notes_revisions_and_change_log(app, runner, sockets, host_token):
    note_id = _note_with_personal_data(app, sockets, host_token)
    scan = runner.invoke(args=["privacy", "scan"])
    assert f"anteckning {note_id}" in scan.output and PNR not in scan.output
    masked = runner.invoke(args=["privacy", "scan", "--mask"])
    assert masked.exit_code == 0 and "notes 1" in masked.output
    with app.app_context():
        note = db.session.get(Note, note_id)
        assert note.text == "Klient [personnummer] ringde igen"
        assert all(PNR not in r.text for r in db.session.scalars(db.select(NoteRevision)))
        assert all(PNR not in str(c.payload) for c in db.session.scalars(db.select(Change)))
    assert "0 träffar" in runner.invoke(args=["privacy", "scan"]).output


def test_organizer_privacy_page_scans_and_masks(app, login, sockets, host_token):
    note_id = _note_with_personal_data(app, sockets, host_token)
    organizer = login("organizer")
    page = organizer.get("/security/privacy").get_data(as_text=True)
    assert "personnummer" in page and PNR not in page
    assert organizer.post("/security/privacy").status_code == 302
    with app.app_context():
        assert PNR not in db.session.get(Note, note_id).text
    assert login("facilitator").get("/security/privacy").status_code == 403


def test_the_server_purges_at_start_and_daily_only_when_retention_is_set(app, demo, monkeypatch):
    from cafe.security import commands
    started, naps = [], []
    monkeypatch.setattr(commands.socketio, "start_background_task", lambda fn, *args: started.append(fn))
    commands.start_retention(app)
    assert started == []
    app.config["RETENTION_DAYS"] = 30
    commands.start_retention(app)
    assert started == [commands._purge_daily]

    class Stop(Exception):
        """Ends the daily loop after its first round."""

    def nap(seconds):
        naps.append(seconds)
        raise Stop
    monkeypatch.setattr(commands.socketio, "sleep", nap)
    _close(app, demo["event_id"], 31)
    with pytest.raises(Stop):
        commands._purge_daily(app)
    assert naps == [commands.DAY] and rows_of(app, demo["event_id"]).get("notes", 0) == 0
