"""Socket handlers on /table, used by the table host's page."""
from flask import request
from flask_socketio import join_room

from .. import validation
from ..errors import ServiceError
from ..extensions import db, socketio
from ..models import Table
from ..notes import capture, editing
from ..points import suggestions
from ..realtime import changes, presence, protocol
from ..realtime.broadcast import broadcast
from ..realtime.sockets import acked, connect_as, register, remembered

NS = protocol.TABLE_NS


def _table() -> Table:
    """The table this socket joined, checked again so a removed table stops its hosts."""
    who = remembered()
    table = db.session.get(Table, who["table_id"])
    if table is None:
        raise ServiceError("table_removed", status=401)
    return table


def _joined_table() -> capture.TableRef:
    """The table this socket joined, without a query: `capture.add` checks it in its first statement."""
    who = remembered()
    return capture.TableRef(who["table_id"], who["event_id"])


@socketio.on("connect", namespace=NS)
def on_connect(auth=None):
    """A host page connects with `auth={"token": <host token>}` and joins its table's room."""
    principal = connect_as(auth, "host")
    join_room(protocol.table_room(principal.table.id))
    join_room(protocol.event_room(principal.event.id))
    presence.connected(request.sid, principal.table)
    db.session.commit()


@socketio.on("disconnect", namespace=NS)
def on_disconnect(*_):
    """A host page went away; consoles see the table's connection state change."""
    presence.disconnected(request.sid)
    db.session.commit()


def _note_handler(event: str, change_note, table=_table):
    """Register the handler of one note event: apply the change, broadcast it, ack the note.

    `table` gives the socket's table to the service: loaded and checked, or (for `note:add`) its ids.
    """
    @acked
    def handler(payload=None):
        result = change_note(table(), payload)
        broadcast(result.change)
        return result.ack()
    return register(event, NS, handler,
                    f"The host sends `{event}`; the ack holds the stored note; "
                    "the change is broadcast to the table, consoles and projectors.")


NOTE_HANDLERS = {
    protocol.NOTE_ADD: _note_handler(protocol.NOTE_ADD, capture.add, table=_joined_table),
    **{event: _note_handler(event, change_note) for event, change_note in (
        (protocol.NOTE_EDIT, editing.edit), (protocol.NOTE_DELETE, editing.delete),
        (protocol.NOTE_RESTORE, editing.restore), (protocol.NOTE_STAR, editing.star),
        (protocol.NOTE_UNSTAR, editing.unstar))}}


@socketio.on(protocol.NOTE_SUGGEST, namespace=NS)
@acked
def on_note_suggest(payload=None):
    """The host page sends the text being typed; the ack ranks the likely points. Nothing is stored."""
    table = _table()
    text = validation.require_mapping(payload).get("text")
    return {"ok": True, **suggestions.suggest(table.event.framework, text)}


@socketio.on(protocol.SYNC, namespace=NS)
@acked
def on_sync(payload=None):
    """After a (re)connect the host asks for every change to its table after `since`."""
    table = _table()
    after = validation.since(validation.require_mapping(payload).get("since"))
    return changes.sync_reply(table.event_id, after, table_id=table.id)
