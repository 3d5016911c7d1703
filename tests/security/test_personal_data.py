"""Personal data typed into a note: masked, flagged or refused before it is stored, broadcast or exported."""
import json

import pytest

from cafe.extensions import db
from cafe.models import Change, Event, Note, Unit
from cafe.models.audit import AuditEntry
from tests.conftest import new_note

TEXT = "Ring Anna på 070-123 45 67 eller anna@example.se, pnr 19811218-9876"
MASKED = "Ring [namn] på [telefonnummer] eller [e-post], pnr [personnummer]"
KINDS = ["personnummer", "telefonnummer", "e-post", "namn"]
PERSONAL_DATA = ("19811218-9876", "070-123 45 67", "anna@example.se", "Ring Anna")


@pytest.fixture
def host_and_projector(sockets, host_token, demo):
    """A host of table 1 and the event's projector, connected."""
    host = sockets("/table", auth={"token": host_token(1)})
    projector = sockets("/projector", auth={"token": demo["projector_url"].split("token=")[1]})
    projector.get_received("/projector")
    return host, projector


def stored_texts(app) -> str:
    """Every note text and change payload in the database, as one string."""
    with app.app_context():
        notes = " ".join(n.text for n in db.session.scalars(db.select(Note)))
        changes = " ".join(str(c.payload) for c in db.session.scalars(db.select(Change)))
        audit = " ".join(str(a.details) for a in db.session.scalars(db.select(AuditEntry)))
    return " ".join((notes, changes, audit))


def test_mask_mode_stores_broadcasts_and_exports_only_the_masked_text(app, client, host_and_projector,
                                                                      api_token, demo):
    host, projector = host_and_projector
    ack = host.emit("note:add", new_note(TEXT), namespace="/table", callback=True)
    assert ack["ok"] and ack["note"]["text"] == MASKED
    assert ack["personal_data"] == {"kinds": KINDS, "mode": "mask", "masked": True}
    received = projector.get_received("/projector")
    assert [r["args"][0]["note"]["text"] for r in received] == [MASKED]
    # Whole values only: random ids in the change payloads may well contain "9876".
    stored = stored_texts(app)
    assert all(value not in stored for value in PERSONAL_DATA)
    export = json.dumps(client.get(f"/api/v1/events/{demo['event_id']}/export.json", headers={
        "Authorization": f"Bearer {api_token('organizer')}"}).get_json(), ensure_ascii=False)
    assert MASKED in export and "anna@example.se" not in export
    with app.app_context():
        entry = db.session.scalars(db.select(AuditEntry).where(
            AuditEntry.action == "note.personal_data.mask")).one()
        assert entry.details == {"kinds": KINDS}


def test_a_masked_note_with_a_unit_is_stored_once_with_its_audit_entry(app, host_and_projector):
    # Reading the unit autoflushes the audit entry first: the note must go into the same transaction.
    host, _ = host_and_projector
    with app.app_context():
        unit_id = db.session.scalar(db.select(Unit.id).join(Event, Event.administration_id == Unit.administration_id)
                                    .where(Event.id == 1).limit(1))
        audits = db.session.scalar(db.select(db.func.count()).select_from(AuditEntry))
    ack = host.emit("note:add", new_note(TEXT, unit_id=unit_id), namespace="/table", callback=True)
    assert ack["ok"] and ack["note"]["text"] == MASKED and ack["note"]["unit_id"] == unit_id
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Note).where(Note.text == MASKED)) == 1
        assert db.session.scalar(db.select(db.func.count()).select_from(AuditEntry)) == audits + 1


def test_editing_a_note_is_masked_too(host_and_projector):
    host, _ = host_and_projector
    payload = new_note("Ett vanligt förslag")
    host.emit("note:add", payload, namespace="/table", callback=True)
    ack = host.emit("note:edit", {"client_id": payload["client_id"], "text": "mejla boss@firma.se"},
                    namespace="/table", callback=True)
    assert ack["note"]["text"] == "mejla [e-post]" and ack["personal_data"]["kinds"] == ["e-post"]


def test_warn_mode_stores_the_text_and_flags_it(app, host_and_projector):
    app.config["PII_MODE"] = "warn"
    host, _ = host_and_projector
    ack = host.emit("note:add", new_note(TEXT), namespace="/table", callback=True)
    assert ack["ok"] and ack["note"]["text"] == TEXT
    assert ack["personal_data"] == {"kinds": KINDS, "mode": "warn", "masked": False}


def test_block_mode_refuses_and_stores_nothing(app, host_and_projector):
    app.config["PII_MODE"] = "block"
    host, projector = host_and_projector
    with app.app_context():
        before = db.session.scalar(db.select(db.func.count()).select_from(Note))
    ack = host.emit("note:add", new_note(TEXT), namespace="/table", callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "personal_data"
    assert "personuppgifter" in ack["error"]["message"] and ack["error"]["details"]["kinds"] == KINDS
    assert projector.get_received("/projector") == []
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Note)) == before


def test_a_clients_name_and_a_mistyped_personnummer_are_masked_before_storing(app, host_and_projector):
    host, _ = host_and_projector
    ack = host.emit("note:add", new_note("mamman Fatima Ali, personnr 850101-1234, väntar"), namespace="/table",
                    callback=True)
    assert ack["ok"] and ack["note"]["text"] == "mamman [namn], personnr [personnummer], väntar"
    assert ack["personal_data"]["kinds"] == ["personnummer", "namn"]
    assert "Fatima" not in stored_texts(app) and "850101-1234" not in stored_texts(app)


def test_a_colleagues_name_and_opening_hours_are_stored_as_typed(host_and_projector):
    host, _ = host_and_projector
    text = "Anna på HR sa att mottagningen har öppet kl 0800-1700, org.nr 212000-0142"
    ack = host.emit("note:add", new_note(text), namespace="/table", callback=True)
    assert ack["ok"] and ack["note"]["text"] == text and "personal_data" not in ack


def test_ordinary_notes_carry_no_flag(host_and_projector):
    host, _ = host_and_projector
    ack = host.emit("note:add", new_note("8 bord den 2026-12-03, 12 000 kr till introduktion"),
                    namespace="/table", callback=True)
    assert ack["ok"] and "personal_data" not in ack


def test_host_page_keeps_the_reminder_and_loads_the_check(client, demo):
    page = client.get(f"/t/{demo['tables'][0]['join_code'].replace('-', '')}").get_data(as_text=True)
    assert "aldrig om enskilda klienter" in page
    assert "js/pii.js" in page and 'data-mode="mask"' in page
