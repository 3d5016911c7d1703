"""Whole-event documents for archiving."""
from sqlalchemy import select

from ..extensions import db
from ..models import Event, Note, iso, utcnow
from . import retention

WHAT = "arkiv"  # what the archive file holds, in its name


def event_document(event: Event) -> dict:
    """Everything about an event: its rounds, tables and notes with their revisions, and under `records`
    every stored row that belongs to it, table by table (secrets left out)."""
    notes = db.session.scalars(select(Note).where(Note.event_id == event.id).order_by(Note.id))
    return {
        "event": event.to_dict(),
        "administration": event.administration.to_dict() if event.administration else None,
        "framework": event.framework.to_dict() if event.framework else None,
        "tables": [t.to_dict() for t in event.tables],
        "notes": [{**n.to_dict(), "deleted_at": iso(n.deleted_at),
                   "revisions": [r.to_dict() for r in n.revisions]} for n in notes],
        "records": retention.records(event),
        "exported_at": iso(utcnow()),
    }
