"""The event's change log: every change gets the next `seq` of its event."""
from typing import NamedTuple

from sqlalchemy import or_, select, update
from sqlalchemy.engine import Connection

from ..extensions import db
from ..models import Change, Event, utcnow
from ..storage.prepared import BareConnection, Prepared

SYNC_PAGE = 1000
_changes = Change.__table__
COLUMNS = ("event_id", "seq", "type", "table_id", "payload", "created_at")
INSERT = Prepared.insert(_changes, COLUMNS)


def next_seq(event_id: int) -> int:
    """Take the event's next seq in the current transaction (the row lock orders concurrent writers)."""
    return db.session.execute(
        update(Event).where(Event.id == event_id).values(last_seq=Event.last_seq + 1)
        .returning(Event.last_seq)).scalar_one()


def record(event_id: int, type_: str, payload: dict, table_id: int | None = None,
           seq: int | None = None) -> Change:
    """Append a change to the event's log in the current transaction and return it."""
    change = Change(event_id=event_id, seq=seq or next_seq(event_id), type=type_, table_id=table_id,
                    payload=payload)
    # Broadcast after the commit without reading the row back.
    change.cached_message = change.to_message()
    change.cached_route = (type_, event_id, table_id)
    db.session.add(change)
    return change


class Appended(NamedTuple):
    """A change written by `append`: what the broadcast and the ack need, without an ORM object."""

    type: str
    event_id: int
    table_id: int | None
    message: dict

    def to_message(self) -> dict:
        """The change as it is broadcast: its type, seq and payload."""
        return self.message

    def route(self) -> tuple[str, int, int | None]:
        """Type, event and table, as `Change.route` gives them."""
        return self.type, self.event_id, self.table_id


def append(connection: Connection | BareConnection, event_id: int, type_: str, payload: dict, table_id: int | None,
           seq: int) -> Appended:
    """Insert a change whose seq is taken already, on the connection of its transaction, without the unit of work."""
    INSERT.first(connection, {"event_id": event_id, "seq": seq, "type": type_, "table_id": table_id,
                                           "payload": payload, "created_at": utcnow()})
    return Appended(type_, event_id, table_id, {"type": type_, "seq": seq, **payload})


def since(event_id: int, after: int, table_id: int | None = None, limit: int = SYNC_PAGE) -> list[Change]:
    """Return the changes after `after` in order; for a table, only its own and event-wide ones."""
    query = select(Change).where(Change.event_id == event_id, Change.seq > after)
    if table_id is not None:
        query = query.where(or_(Change.table_id == table_id, Change.table_id.is_(None)))
    return list(db.session.scalars(query.order_by(Change.seq).limit(limit)))


def sync_reply(event_id: int, after: int, table_id: int | None = None) -> dict:
    """Build the ack of a `sync`: the changes after `after`, and whether more remain."""
    changes = since(event_id, after, table_id)
    last_seq = db.session.scalar(select(Event.last_seq).where(Event.id == event_id)) or 0
    return {"ok": True, "changes": [c.to_message() for c in changes],
            "more": len(changes) >= SYNC_PAGE, "last_seq": last_seq}
