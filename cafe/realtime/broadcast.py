"""Sending what changed to the people who watch it: a table's hosts, an event's consoles and projectors.

Every broadcast goes out through `fanout`, one publish on the message queue whatever its audiences.
"""
from ..extensions import socketio
from ..models import Change
from ..ops import metrics
from . import fanout, protocol


def broadcast(change: Change | None) -> None:
    """Send a change to the event's projectors and consoles and to the table's hosts, in one publish."""
    if change is None:
        return
    message = change.to_message()
    kind, event_id, table_id = change.route()
    if kind == protocol.NOTE_ADDED:
        metrics.note_added()
    room = protocol.table_room(table_id) if table_id is not None else protocol.event_room(event_id)
    staff = protocol.event_room(event_id)
    if kind in protocol.NOTE_CHANGES and "note" in message:  # projectors get the fields they show, no more
        fanout.emit_each(kind, [(protocol.PROJECTOR_NS, staff, protocol.for_projector(message)),
                                (protocol.FACILITATOR_NS, staff, message), (protocol.TABLE_NS, room, message)])
        return
    fanout.emit_many(kind, message, [(protocol.PROJECTOR_NS, staff), (protocol.FACILITATOR_NS, staff),
                                     (protocol.TABLE_NS, room)])


def emit_to_staff(name: str, message: dict, event_id: int, projector: bool = True) -> None:
    """Send to the event's consoles (and projectors); host pages get event-wide changes on `sync`."""
    namespaces = (protocol.PROJECTOR_NS, protocol.FACILITATOR_NS) if projector else (protocol.FACILITATOR_NS,)
    fanout.emit_many(name, message, [(namespace, protocol.event_room(event_id)) for namespace in namespaces])


# who a message of the service is for; TABLES: a message per table, keyed by table id
CONSOLES, PROJECTORS, TABLES = "consoles", "projectors", "tables"
AUDIENCES = {CONSOLES: protocol.FACILITATOR_NS, PROJECTORS: protocol.PROJECTOR_NS}


def relay(name: str, message: dict, event_id: int, audience: str) -> None:
    """Send what the synthesis service reports: to each of several tables' hosts their own message (one
    publish for all), or to the event's consoles or projectors."""
    if audience == TABLES:
        fanout.emit_each(name, [(protocol.TABLE_NS, protocol.table_room(int(table)), part)
                                for table, part in message.items()])
    else:
        socketio.emit(name, message, to=protocol.event_room(event_id), namespace=AUDIENCES[audience])


def broadcast_change(change) -> None:
    """Broadcast a recorded event-wide change to consoles and projectors."""
    if change is not None:
        kind, event_id, _table = change.route()
        emit_to_staff(kind, change.to_message(), event_id)
