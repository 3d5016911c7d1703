"""Short messages from the facilitator to every table ("5 minuter kvar")."""
import unicodedata

from .. import validation
from ..errors import ServiceError
from ..extensions import db
from ..models import Change, Event, User, iso, utcnow
from ..realtime import changes

MESSAGE_BROADCAST = "message:broadcast"
MAX_CHARS = 200


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
        "event_id": event.id, "text": text, "sent_at": iso(utcnow()),
        "sender": user.name if user else None})
    db.session.commit()
    return change
