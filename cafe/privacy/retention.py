"""Everything stored about an event, found by following foreign keys: for export, deletion and purging.

New tables join automatically: a row belongs to an event when it refers (with ON DELETE CASCADE or no
action) to the event or to another row that belongs to it. References with ON DELETE SET NULL are links,
not ownership, and are not followed.
"""
from datetime import date, datetime, timedelta

from sqlalchemy import Table as SATable
from sqlalchemy import delete, select

from ..extensions import db
from ..models import Change, Event, Note, iso, utcnow

# Columns that hold secrets or credentials: never written to an archive.
SECRET_COLUMNS = {"projector_token", "join_code", "token_version", "password_hash", "token", "code",
                  "code_hash", "token_hash", "secret"}


def _owning_keys(table: SATable) -> list:
    """The foreign keys through which a table's rows are owned by the rows they refer to."""
    return [fk for fk in table.foreign_keys if (fk.ondelete or "").upper() != "SET NULL"]


def _single_key(table: SATable):
    """The table's primary key column when it has exactly one, else None."""
    keys = list(table.primary_key.columns)
    return keys[0] if len(keys) == 1 else None


def closure(root: SATable, ids: set) -> dict[SATable, list]:
    """Rows owned by the given rows of `root`, table by table in dependency order (root first)."""
    root_rows = list(db.session.execute(select(root).where(_single_key(root).in_(ids))).mappings()) if ids else []
    found: dict[SATable, set] = {root: {r[_single_key(root).name] for r in root_rows}}
    rows: dict[SATable, list] = {root: root_rows} if root_rows else {}
    for table in db.metadata.sorted_tables:
        if table is root:
            continue
        owners = [fk for fk in _owning_keys(table) if found.get(fk.column.table)]
        if not owners:
            continue
        condition = db.or_(*(fk.parent.in_(found[fk.column.table]) for fk in owners))
        table_rows = list(db.session.execute(select(table).where(condition)).mappings())
        if table_rows:
            rows[table] = table_rows
            key = _single_key(table)
            found[table] = {r[key.name] for r in table_rows} if key is not None else set()
    return rows


def _plain(value):
    """A column value as JSON can hold it."""
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes):
        return None
    return value


def records(event: Event) -> dict[str, list[dict]]:
    """Every row belonging to the event, by table name, without secrets."""
    return {table.name: [{k: _plain(v) for k, v in row.items() if k not in SECRET_COLUMNS}
                         for row in table_rows]
            for table, table_rows in closure(Event.__table__, {event.id}).items()}


def _delete_rows(found: dict[SATable, list]) -> dict[str, int]:
    """Delete the rows found by `closure`, children first; return the count per table."""
    counts = {}
    for table in reversed(list(found)):
        key = _single_key(table)
        if key is not None:
            ids = [r[key.name] for r in found[table]]
            db.session.execute(delete(table).where(key.in_(ids)))
        else:
            for row in found[table]:
                db.session.execute(delete(table).where(*(c == row[c.name] for c in table.columns)))
        counts[table.name] = len(found[table])
    return counts


def delete_event(event: Event) -> dict[str, int]:
    """Delete an event and everything that belongs to it; return the count per table."""
    counts = _delete_rows(closure(Event.__table__, {event.id}))
    db.session.expire_all()
    return counts


def purge_notes(event: Event) -> dict[str, int]:
    """Delete an event's notes (with their revisions and links) and its change log."""
    note_ids = set(db.session.scalars(select(Note.id).where(Note.event_id == event.id)))
    counts = _delete_rows(closure(Note.__table__, note_ids)) if note_ids else {}
    counts["changes"] = db.session.execute(delete(Change).where(Change.event_id == event.id)).rowcount
    db.session.expire_all()
    return counts


def due_for_purge(days: int, now: datetime | None = None) -> list[Event]:
    """Closed events whose closing lies more than `days` days back and that still have notes."""
    limit = (now or utcnow()) - timedelta(days=days)
    with_notes = select(Note.event_id).distinct()
    return list(db.session.scalars(select(Event).where(
        Event.status == "closed", Event.closed_at.is_not(None), Event.closed_at < limit,
        Event.id.in_(with_notes)).order_by(Event.id)))
