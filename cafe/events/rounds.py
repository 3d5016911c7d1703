"""Round control: start, pause, resume, extend, next, end, and closing the café.

The timing lives on the server (started_at, paused_at, paused_seconds, extra_minutes), so every page
counts down to the same `ends_at`. Every change is recorded as `round:updated` in the event's change
log, which broadcasts it to every host, console and projector of the event and replays it on `sync`.
"""
from datetime import datetime

from sqlalchemy import Select, and_, case, select

from .. import validation
from ..errors import ServiceError
from ..extensions import db
from ..models import Change, Event, Round, iso, utcnow
from ..realtime import changes

ROUND_UPDATED = "round:updated"
MAX_EXTENSION = 60
# A facilitator's message belongs to its round: starting or ending a round takes it off every page.
CLEARS_MESSAGES = frozenset({"start", "next", "end", "close"})


def state(event: Event, now: datetime | None = None) -> dict:
    """The event's rounds and the current one, as pages show them, timed as of `now`."""
    now = now or utcnow()
    current = event.current_round()
    return {"event_id": event.id, "event_status": event.status, "server_now": iso(now),
            "round": current.to_dict(now) if current else None,
            "rounds": [r.to_dict(now) for r in event.rounds]}


def _record(event: Event, action: str, now: datetime) -> Change:
    """Log the new round state for everyone and commit."""
    db.session.flush()
    change = changes.record(event.id, ROUND_UPDATED, {"action": action, "clear_messages": action in CLEARS_MESSAGES,
                                                      **state(event, now)})
    db.session.commit()
    return change


def _open(event: Event) -> None:
    """Refuse to run a café that is closed."""
    if event.status == "closed":
        raise ServiceError("event_closed", status=409)


def current_round_query(event_id) -> Select:
    """Select the id of the round a new note belongs to, as Event.current_round chooses it.

    `event_id` is a value or a bound parameter, so the query can sit inside a larger statement.
    """
    started = Round.started_at.is_not(None)
    order = (case((and_(started, Round.ended_at.is_(None)), 0), (started, 1), else_=2),
             case((started, -Round.number), else_=Round.number))
    return select(Round.id).where(Round.event_id == event_id).order_by(*order).limit(1)


def current_round_id(event_id: int) -> int | None:
    """Id of the round a new note belongs to, in one query."""
    return db.session.scalar(current_round_query(event_id))


def running(event: Event) -> Round | None:
    """The round that is started and not ended (running or paused), if any."""
    return next((r for r in event.rounds if r.started_at and not r.ended_at), None)


def _require_running(event: Event) -> Round:
    """The running or paused round, or a refusal."""
    _open(event)
    current = running(event)
    if current is None:
        raise ServiceError("round_not_running", status=409)
    return current


def _planned(event: Event, round_id) -> Round:
    """The round to start: the one asked for, else the first one not yet started."""
    if round_id is None:
        planned = [r for r in event.rounds if r.status == "planned"]
        if not planned:
            raise ServiceError("no_next_round", status=409)
        return planned[0]
    wanted = validation.required_id(round_id, "round_id")
    found = next((r for r in event.rounds if r.id == wanted), None)
    if found is None:
        raise ServiceError("round_not_found", status=404, field="round_id")
    if found.status == "ended":
        raise ServiceError("round_ended", status=409)
    return found


def _begin(event: Event, rnd: Round, now: datetime) -> None:
    """Start a round and put a draft café live."""
    rnd.started_at = now
    rnd.paused_at, rnd.paused_seconds = None, 0
    if event.status == "draft":
        event.status = "live"


def _end_pause(rnd: Round, now: datetime) -> None:
    """Fold an open pause into the round's paused seconds."""
    if rnd.paused_at:
        rnd.paused_seconds = (rnd.paused_seconds or 0) + int((now - rnd.paused_at).total_seconds())
        rnd.paused_at = None


def _finish(rnd: Round, now: datetime) -> None:
    """End a round (an open pause does not count against its time)."""
    _end_pause(rnd, now)
    rnd.ended_at = now


def start(event: Event, payload: dict | None = None) -> Change:
    """Start the given round (`round_id`) or the first one not started; none may be running."""
    payload = validation.require_mapping(payload if payload is not None else {})
    _open(event)
    if running(event) is not None:
        raise ServiceError("round_running", status=409)
    now = utcnow()
    _begin(event, _planned(event, payload.get("round_id")), now)
    return _record(event, "start", now)


def pause(event: Event) -> Change:
    """Stop the clock of the running round."""
    rnd = _require_running(event)
    if rnd.paused_at:
        raise ServiceError("round_not_running", status=409)
    now = utcnow()
    rnd.paused_at = now
    return _record(event, "pause", now)


def resume(event: Event) -> Change:
    """Restart the clock of a paused round; the pause does not count against its time."""
    rnd = _require_running(event)
    if not rnd.paused_at:
        raise ServiceError("round_not_paused", status=409)
    now = utcnow()
    _end_pause(rnd, now)
    return _record(event, "resume", now)


def minutes(value) -> int:
    """A valid extension: a whole number of minutes from 1 to 60."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_EXTENSION:
        raise ServiceError("invalid_minutes", field="minutes")
    return value


def extend(event: Event, payload: dict | None) -> Change:
    """Give the running (or paused) round `minutes` more minutes."""
    added = minutes(validation.require_mapping(payload).get("minutes"))
    rnd = _require_running(event)
    rnd.extra_minutes = (rnd.extra_minutes or 0) + added
    return _record(event, "extend", utcnow())


def end(event: Event) -> Change:
    """End the running round."""
    rnd = _require_running(event)
    now = utcnow()
    _finish(rnd, now)
    return _record(event, "end", now)


def next_round(event: Event) -> Change:
    """End the running round, if any, and start the next round not yet started."""
    _open(event)
    following = _planned(event, None)
    now = utcnow()
    current = running(event)
    if current is not None:
        _finish(current, now)
    _begin(event, following, now)
    return _record(event, "next", now)


def close(event: Event) -> Change:
    """End the café: the running round ends and the event is closed to new notes."""
    _open(event)
    now = utcnow()
    current = running(event)
    if current is not None:
        _finish(current, now)
    event.status, event.closed_at = "closed", now
    return _record(event, "close", now)
