"""Host connection state, shown on the facilitator's console.

Each row names the server process holding the socket (INSTANCE) and that process's last heartbeat;
rows whose process stopped beating (killed, crashed) expire after STALE_AFTER.
"""
import uuid
from datetime import timedelta

from sqlalchemy import delete, func, select, update

from ..extensions import db, socketio
from ..models import Presence, Table, iso, utcnow
from . import protocol

INSTANCE = uuid.uuid4().hex
HEARTBEAT_SECONDS = 15
STALE_AFTER = timedelta(seconds=3 * HEARTBEAT_SECONDS)


def state(table: Table, online: bool) -> dict:
    """The presence message for one table."""
    return {"table_id": table.id, "online": online, "last_seen_at": iso(table.last_seen_at)}


def _announce(table: Table) -> None:
    """Tell the event's consoles whether the table has a host page connected."""
    socketio.emit(protocol.PRESENCE, state(table, is_online(table.id)),
                  to=protocol.event_room(table.event_id), namespace=protocol.FACILITATOR_NS)


def _alive():
    """The condition on rows whose process beat recently."""
    return Presence.heartbeat_at >= utcnow() - STALE_AFTER


def is_online(table_id: int) -> bool:
    """True when at least one host socket of the table is connected."""
    return bool(db.session.scalar(select(func.count()).where(Presence.table_id == table_id, _alive())))


def connected(sid: str, table: Table) -> None:
    """Record a host socket and announce it."""
    db.session.merge(Presence(sid=sid, event_id=table.event_id, table_id=table.id, instance=INSTANCE,
                              heartbeat_at=utcnow()))
    table.last_seen_at = utcnow()
    db.session.commit()  # commit before emitting: never yield while holding SQLite's write lock
    _announce(table)


def disconnected(sid: str) -> None:
    """Forget a host socket and announce the table's new state."""
    row = db.session.get(Presence, sid)
    if row is None:
        return
    table = db.session.get(Table, row.table_id)
    db.session.delete(row)
    table.last_seen_at = utcnow()
    db.session.commit()
    _announce(table)


def online_table_ids(event_id: int) -> set[int]:
    """The ids of the event's tables that have a host page connected now."""
    return set(db.session.scalars(select(Presence.table_id).where(Presence.event_id == event_id, _alive())))


def for_event(event_id: int) -> list[dict]:
    """The presence of every table of an event."""
    online = online_table_ids(event_id)
    tables = db.session.scalars(select(Table).where(Table.event_id == event_id).order_by(Table.number))
    return [state(t, t.id in online) for t in tables]


def clear() -> None:
    """Forget every connection, when a single server process starts."""
    db.session.execute(delete(Presence))
    db.session.commit()


def heartbeat() -> list[int]:
    """Mark this process's sockets alive, drop rows of dead processes; returns the tables that changed."""
    db.session.execute(update(Presence).where(Presence.instance == INSTANCE).values(heartbeat_at=utcnow()))
    stale = select(Presence.sid, Presence.table_id).where(
        (Presence.heartbeat_at < utcnow() - STALE_AFTER) | Presence.heartbeat_at.is_(None))
    rows = db.session.execute(stale).all()
    if rows:
        db.session.execute(delete(Presence).where(Presence.sid.in_([sid for sid, _ in rows])))
    db.session.commit()
    tables = sorted({table_id for _, table_id in rows})
    for table_id in tables:
        table = db.session.get(Table, table_id)
        if table is not None:
            _announce(table)
    return tables
