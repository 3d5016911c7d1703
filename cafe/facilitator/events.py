"""Socket handlers on /facilitator, used by the facilitator's console."""
from flask_socketio import join_room
from sqlalchemy import select

from .. import validation
from ..errors import ServiceError
from ..events import broadcasts, rounds
from ..extensions import db, socketio
from ..models import Event, User
from ..people import access
from ..realtime import changes, presence, protocol
from ..realtime.broadcast import broadcast
from ..realtime.sockets import acked, authenticate, refusal, remember, remembered

NS = protocol.FACILITATOR_NS


def _event_id(auth) -> int:
    """The event a console asks to follow, from its auth payload."""
    event_id = auth.get("event_id") if isinstance(auth, dict) else None
    try:
        return validation.required_id(event_id, "event_id")
    except ServiceError as error:
        raise refusal(error) from None


@socketio.on("connect", namespace=NS)
def on_connect(auth=None):
    """A console connects with `auth={"event_id": N}` (plus `token` for API clients)."""
    event_id = _event_id(auth)
    try:
        principal = authenticate(auth)
    except ServiceError as error:
        raise refusal(error) from None
    event = db.session.get(Event, event_id)
    if event is None or not access.can_facilitate(principal, event):
        raise refusal(ServiceError("forbidden"))
    remember(access.Principal(principal.kind, user=principal.user, event=event))
    join_room(protocol.event_room(event.id))


@socketio.on(protocol.SYNC, namespace=NS)
@acked
def on_sync(payload=None):
    """After a (re)connect the console asks for every change of the event after `since`."""
    after = validation.since(validation.require_mapping(payload).get("since"))
    return changes.sync_reply(remembered()["event_id"], after)


@socketio.on(protocol.PRESENCE_LIST, namespace=NS)
@acked
def on_presence_list(payload=None):
    """The console asks which tables have a host connected now."""
    return {"ok": True, "tables": presence.for_event(remembered()["event_id"])}


def _event_to_run() -> Event:
    """The console's event, checked again: only its facilitators and organizers may run it."""
    who = remembered()
    # Lock the event row (PostgreSQL) so two consoles pressing at once act one after the other.
    event = db.session.scalar(select(Event).where(Event.id == who["event_id"]).with_for_update())
    user = db.session.get(User, who["user_id"]) if who.get("user_id") else None
    if event is None or user is None or not access.can_facilitate(access.Principal("user", user=user), event):
        raise ServiceError("forbidden", status=403)
    return event


def _control_handler(name: str, control, takes_payload: bool):
    """Register the handler of one round control: apply it, broadcast `round:updated`, ack the state."""
    @acked
    def handler(payload=None):
        event = _event_to_run()
        change = control(event, payload) if takes_payload else control(event)
        broadcast(change)
        return {"ok": True, "seq": change.seq, **change.payload}
    handler.__name__ = handler.__qualname__ = "on_" + name.replace(":", "_")
    handler.__doc__ = (f"A facilitator of the event sends `{name}`; the new round state is recorded and "
                       "broadcast as `round:updated` to every host, console and projector of the event.")
    socketio.on(name, namespace=NS)(handler)
    return handler


ROUND_HANDLERS = {name: _control_handler(name, control, takes_payload) for name, control, takes_payload in (
    (protocol.ROUND_START, rounds.start, True), (protocol.ROUND_PAUSE, rounds.pause, False),
    (protocol.ROUND_RESUME, rounds.resume, False), (protocol.ROUND_EXTEND, rounds.extend, True),
    (protocol.ROUND_NEXT, rounds.next_round, False), (protocol.ROUND_END, rounds.end, False),
    (protocol.EVENT_CLOSE, rounds.close, False))}


@socketio.on(protocol.MESSAGE_SEND, namespace=NS)
@acked
def on_message_send(payload=None):
    """A facilitator sends a short message to every table; broadcast as `message:broadcast`."""
    event = _event_to_run()
    user = db.session.get(User, remembered()["user_id"])
    change = broadcasts.send(event, user, payload)
    broadcast(change)
    return {"ok": True, "seq": change.seq, "message": change.payload}
