"""Socket handlers on /facilitator for the live synthesis, its curation and the plenary projector."""
from flask import current_app

from ..errors import ServiceError
from ..extensions import db, socketio
from ..jobs import synthesis_child
from ..models import Event, User
from ..people import access
from ..realtime import protocol
from ..realtime.broadcast import broadcast, broadcast_change
from ..realtime.sockets import acked, register, remembered
from ..synthesis import curation, passes, plenary

NS = protocol.FACILITATOR_NS


def _context() -> tuple[Event, User]:
    """The console's event and user, checked again so a revoked facilitator stops at once."""
    who = remembered()
    event = db.session.get(Event, who["event_id"])
    user = db.session.get(User, who["user_id"]) if who.get("user_id") else None
    if event is None or user is None or not access.can_facilitate(access.Principal("user", user=user), event):
        raise ServiceError("forbidden", status=403)
    return event, user


def _curation_handler(event_name: str, action):
    """Register one curation event: apply it, broadcast it, ask the synthesis to describe anew."""
    @acked
    def handler(payload=None):
        event, user = _context()
        result = action(event, user, payload)
        for change in result.note_changes:
            broadcast(change)
        broadcast_change(result.change)
        synthesis_child.schedule(current_app._get_current_object(), event.id)
        return result.ack()
    return register(event_name, NS, handler,
                    f"A facilitator sends `{event_name}`; the ack and a `curation:applied` broadcast to the "
                    "event's consoles and projectors carry the curation and the themes it touched.")


CURATION_HANDLERS = {name: _curation_handler(name, action) for name, action in (
    (protocol.CURATION_RENAME, curation.rename), (protocol.CURATION_MERGE, curation.merge),
    (protocol.CURATION_SPLIT, curation.split), (protocol.CURATION_MOVE, curation.move),
    (protocol.CURATION_POINT, curation.set_point), (protocol.CURATION_MARK, curation.mark),
    (protocol.CURATION_PROMOTE, curation.promote), (protocol.CURATION_UNDO, curation.undo))}


@socketio.on(protocol.CURATION_LIST, namespace=NS)
@acked
def on_curation_list(payload=None):
    """A console asks for the latest curations (the undo list); nothing is broadcast."""
    event, _ = _context()
    return {"ok": True, "curations": curation.recent(event)}


@socketio.on(protocol.SYNTHESIS_STATUS, namespace=NS)
@acked
def on_synthesis_status(payload=None):
    """A console asks how far the synthesis is; a pass is scheduled, its `synthesis:state` follows."""
    event, _ = _context()
    synthesis_child.schedule(current_app._get_current_object(), event.id)
    return {"ok": True, "state": passes.status(event.id)}


@socketio.on(protocol.PROJECTOR_SLIDE, namespace=NS)
@acked
def on_projector_slide(payload=None):
    """A facilitator shows a slide; `projector:state` goes to the event's projectors and consoles."""
    event, _ = _context()
    change = plenary.show(event, payload)
    broadcast_change(change)
    return {"ok": True, **change.to_message()}


@socketio.on(protocol.PROJECTOR_ROTATE, namespace=NS)
@acked
def on_projector_rotate(payload=None):
    """A facilitator lets the slides rotate every N seconds (or stops); `projector:state` is broadcast."""
    event, _ = _context()
    change = plenary.rotate(event, payload)
    broadcast_change(change)
    return {"ok": True, **change.to_message()}
