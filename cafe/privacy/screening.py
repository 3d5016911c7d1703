"""Keeping personal data out of notes, and the data lifecycle: scan, mask, purge, delete (audited)."""
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select

from ..errors import ServiceError
from ..extensions import db
from ..models import Change, Event, Note, NoteRevision
from ..people import audit
from . import pii, retention


@dataclass
class Screened:
    """A note text after the installation's personal-data rule, with what was found in it."""

    text: str
    kinds: list[str] = field(default_factory=list)
    mode: str = "mask"

    def report(self) -> dict | None:
        """What the host is told in the ack, or None when nothing was found."""
        return {"kinds": self.kinds, "mode": self.mode, "masked": self.mode == "mask"} if self.kinds else None


def mode() -> str:
    """The installation's rule for personal data in notes: mask (default), warn or block."""
    value = current_app.config.get("PII_MODE", "mask")
    return value if value in pii.MODES else "mask"


def screen(text: str, table=None) -> Screened:
    """Apply the rule to a note text before it is stored or analysed; refuse it in block mode.

    What was found (the kinds, never the data) goes to the audit log with the note's own commit.
    """
    findings = pii.find(text)
    rule = mode()
    if not findings:
        return Screened(text, [], rule)
    kinds = pii.kinds(findings)
    if rule == "block":
        raise ServiceError("personal_data", status=422, field="text", kinds=kinds)
    audit.record("host", f"note.personal_data.{rule}", table, {"kinds": kinds})
    return Screened(pii.mask(text, findings) if rule == "mask" else text, kinds, rule)


def _mask_json(value):
    """Mask every string inside a JSON value; return it and whether anything changed."""
    if isinstance(value, str):
        masked = pii.mask(value)
        return masked, masked != value
    if isinstance(value, list):
        items = [_mask_json(v) for v in value]
        return [v for v, _ in items], any(c for _, c in items)
    if isinstance(value, dict):
        items = {k: _mask_json(v) for k, v in value.items()}
        return {k: v for k, (v, _) in items.items()}, any(c for _, c in items.values())
    return value, False


def scan(event_id: int | None = None) -> list[dict]:
    """Notes and revisions holding personal data: where and what kind, never the data itself."""
    hits = []
    for model in (Note, NoteRevision):
        query = select(model)
        if event_id is not None:
            query = query.where(model.note.has(Note.event_id == event_id) if model is NoteRevision
                                else Note.event_id == event_id)
        for row in db.session.scalars(query):
            kinds = pii.kinds(pii.find(row.text))
            if kinds:
                note = row if model is Note else row.note
                hits.append({"table": model.__tablename__, "id": row.id, "note_id": note.id,
                             "event_id": note.event_id, "kinds": kinds})
    return hits


def mask_all(actor, event_id: int | None = None) -> dict[str, int]:
    """Mask personal data in stored notes, their revisions and the change log; audited."""
    counts = {"notes": 0, "note_revisions": 0, "changes": 0}
    for hit in scan(event_id):
        row = db.session.get(Note if hit["table"] == "notes" else NoteRevision, hit["id"])
        row.text = pii.mask(row.text)
        counts[hit["table"]] += 1
    query = select(Change) if event_id is None else select(Change).where(Change.event_id == event_id)
    for change in db.session.scalars(query):
        payload, changed = _mask_json(change.payload)
        if changed:
            change.payload = payload
            counts["changes"] += 1
    audit.record(actor, "privacy.mask", f"events:{event_id}" if event_id else "all", counts)
    db.session.commit()
    return counts


def delete_event(actor, event: Event, confirmation) -> dict[str, int]:
    """Delete an event with everything that belongs to it, once its title is typed back; audited."""
    if not isinstance(confirmation, str) or confirmation.strip() != event.title.strip():
        raise ServiceError("confirmation_required", status=400, field="confirm")
    target, title = f"events:{event.id}", event.title
    counts = retention.delete_event(event)
    audit.record(actor, "event.delete", target, {"title": title, "rows": counts})
    db.session.commit()
    return counts


def purge_due(actor="system", days: int | None = None) -> list[dict]:
    """Purge the notes of events closed more than RETENTION_DAYS ago; audited per event."""
    days = days if days is not None else current_app.config.get("RETENTION_DAYS")
    if not days:
        return []
    done = []
    for event in retention.due_for_purge(days):
        event_id = event.id
        counts = retention.purge_notes(event)
        audit.record(actor, "privacy.purge", f"events:{event_id}", {"days": days, "rows": counts})
        done.append({"event_id": event_id, "rows": counts})
    db.session.commit()
    return done
