"""The plenary projector's state: which slide it shows and whether it rotates, kept in the change log."""
from sqlalchemy import select

from .. import validation
from ..errors import ServiceError
from ..extensions import db
from ..models import Change, Event
from ..realtime import changes, protocol

SLIDES = ("join", "points", "themes", "starred", "novel", "tables", "prevote")
MIN_ROTATE, MAX_ROTATE = 5, 600


def current(event_id: int) -> dict:
    """The last slide and rotation the facilitator chose (nothing chosen yet: both None)."""
    change = db.session.scalar(select(Change).where(Change.event_id == event_id,
                                                    Change.type == protocol.PROJECTOR_STATE)
                               .order_by(Change.seq.desc()).limit(1))
    return dict(change.payload) if change else {"slide": None, "rotate": None}


def _slide(value) -> str:
    """A slide given by name or by its index."""
    if isinstance(value, str) and value in SLIDES:
        return value
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < len(SLIDES):
        return SLIDES[value]
    raise ServiceError("invalid_slide", field="slide")


def _seconds(value) -> int | None:
    """Seconds between slides, or None to stop rotating."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not MIN_ROTATE <= value <= MAX_ROTATE:
        raise ServiceError("invalid_rotation", field="seconds")
    return value


def show(event: Event, payload) -> Change:
    """Show a slide on the event's projectors (rotation keeps going from there)."""
    slide = _slide(validation.require_mapping(payload).get("slide"))
    return _record(event, {**current(event.id), "slide": slide})


def rotate(event: Event, payload) -> Change:
    """Let the projectors step through the slides every N seconds, or stop (null)."""
    seconds = _seconds(validation.require_mapping(payload).get("seconds"))
    return _record(event, {**current(event.id), "rotate": seconds})


def _record(event: Event, state: dict) -> Change:
    """Record the projector's new state so a reconnecting projector shows it."""
    change = changes.record(event.id, protocol.PROJECTOR_STATE, state)
    db.session.commit()
    return change
