"""Socket handlers on /projector, used by the plenary projector page."""
from flask_socketio import join_room

from .. import validation
from ..extensions import socketio
from ..realtime import changes, protocol
from ..realtime.sockets import acked, connect_as, remembered

NS = protocol.PROJECTOR_NS


@socketio.on("connect", namespace=NS)
def on_connect(auth=None):
    """A projector connects with `auth={"token": <projector token>}` and joins its event's room."""
    principal = connect_as(auth, "projector")
    join_room(protocol.event_room(principal.event.id))


@socketio.on(protocol.SYNC, namespace=NS)
@acked
def on_sync(payload=None):
    """After a (re)connect the projector asks for every change of the event after `since`."""
    after = validation.since(validation.require_mapping(payload).get("since"))
    return changes.sync_reply(remembered()["event_id"], after)
