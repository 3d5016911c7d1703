"""Short messages from the facilitator to every table ("5 minuter kvar").

A message belongs to the round it was sent in: it shows until a round starts or ends (`rounds.CLEARS_MESSAGES`),
so a page opened later shows only the message that is live now.
"""
import unicodedata

from sqlalchemy import select

from .. import validation
from ..errors import ServiceError
from ..extensions import db
from ..models import Change, Event, User, iso, utcnow
from ..realtime import changes
from . import rounds

MESSAGE_BROADCAST = "message:broadcast"
MAX_CHARS = 200
LOOK_BACK = 200  # round changes that clear nothing (pause, extend) between a message and now, at most


def message_text(value) -> str:
    """A clean one-line message: NFC, trimmed, no control characters, 1..200 characters."""
    if not isinstance(value, str):
        raise ServiceError("invalid_field", field="text")
    text = " ".join(unicodedata.normalize("NFC", value).split())
    if any(unicodedata.category(c) in ("Cc", "Cs") for c in text):
        raise ServiceError("control_chars", field="text")
    if not text:
        raise ServiceError("empty_message", field="text")
    if len(text) > MAX_CHARS:
        raise ServiceError("message_too_long", field="text")
    return text


def send(event: Event, user: User | None, payload: dict | None) -> Change:
    """Record a message to all of the event's tables and return the change to broadcast."""
    text = message_text(validation.require_mapping(payload).get("text"))
    if event.status == "closed":
        raise ServiceError("event_closed", status=409)
    change = changes.record(event.id, MESSAGE_BROADCAST, {
        "event_id": event.id, "round_id": rounds.current_round_id(event.id), "text": text,
        "sent_at": iso(utcnow()), "sender": user.name if user else None})
    db.session.commit()
    return change


def live_message(event_id: int) -> dict | None:
    """The message pages show now: the latest one sent since a round last started or ended, if any."""
    rows = db.session.execute(
        select(Change.type, Change.payload)
        .where(Change.event_id == event_id, Change.type.in_((MESSAGE_BROADCAST, rounds.ROUND_UPDATED)))
        .order_by(Change.seq.desc()).limit(LOOK_BACK))
    for kind, payload in rows:
        if kind == MESSAGE_BROADCAST:
            return payload
        if payload.get("action") in rounds.CLEARS_MESSAGES:
            return None
    return None
