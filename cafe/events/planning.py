"""Planning a café: the event, its tables and rounds, its status, a template and copies."""
from datetime import date

from flask_babel import ngettext
from sqlalchemy import func, select

from .. import validation
from ..errors import ServiceError
from ..extensions import db
from ..models import EVENT_STATUSES, Administration, Event, Framework, Note, Round, Table, Unit, User, utcnow
from ..people import access
from ..points.framework import ensure_framework
from ..realtime import changes, presence, protocol
from ..realtime.broadcast import broadcast

MAX_TABLES = 100
MAX_ROUNDS = 20
STATUS_STEPS = {("draft", "live"), ("live", "closed"), ("live", "draft")}
TEMPLATE_ROUNDS = [
    ("individ", 25, "Vad kan jag själv göra för att min och mina kollegors arbetssituation ska bli bättre?"),
    ("enhet", 30, "Vad kan vi göra tillsammans på vår enhet – och vad behöver vi av vår chef?"),
    ("förvaltning", 30, "Vad behöver förvaltningen göra, och vad ligger utanför förvaltningens ansvar?"),
]
TEMPLATE_TABLES = 8


def can_plan(principal: access.Principal, event: Event) -> bool:
    """Only organizers of the event's own administration plan it."""
    user = principal.user if principal.is_user else None
    return (user is not None and user.role == "organizer" and user.administration_id is not None
            and user.administration_id == event.administration_id)


def planned_event(principal: access.Principal, event_id) -> Event:
    """Load an event the principal may plan; 404 for others so ids do not leak."""
    event = db.session.get(Event, event_id) if isinstance(event_id, int) else None
    if event is None or not can_plan(principal, event):
        raise ServiceError("not_found", status=404)
    return event


def organizer_administration(user: User) -> Administration:
    """The organizer's own administration, or a refusal."""
    if user.role != "organizer" or user.administration is None:
        raise ServiceError("forbidden", status=403)
    return user.administration


def planned_events(user: User) -> list[Event]:
    """The events of the organizer's administration, newest first."""
    if user.role != "organizer" or user.administration_id is None:
        return []
    return list(db.session.scalars(select(Event).where(Event.administration_id == user.administration_id)
                                   .order_by(Event.date.desc(), Event.id.desc())))


def _date(value) -> date | None:
    """A date from a date object or an ISO string, or None."""
    if value is None or value == "" or isinstance(value, date):
        return value or None
    try:
        return date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else _bad_date()
    except ValueError:
        return _bad_date()


def _bad_date():
    """Refuse a date that is not YYYY-MM-DD."""
    raise ServiceError("invalid_date", field="date")


def _bad(field: str):
    """Refuse a field's value."""
    raise ServiceError("invalid_field", field=field)


def _framework(value) -> Framework:
    """The chosen framework, the action plan's 13 points by default."""
    framework_id = validation.optional_id(value, "framework_id")
    if framework_id is None:
        return ensure_framework()
    return db.session.get(Framework, framework_id) or _bad("framework_id")


def points(event: Event, value, field: str = "focus_points") -> list[int]:
    """Validate a list of point numbers of the event's framework, keeping their order."""
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > 50:
        raise ServiceError("invalid_field", field=field)
    known = {p.number for p in event.framework.points} if event.framework else set()
    result = []
    for number in value:
        if isinstance(number, bool) or not isinstance(number, int) or number not in known:
            raise ServiceError("invalid_point", field=field)
        if number not in result:
            result.append(number)
    return result


def _apply_details(event: Event, data: dict) -> None:
    """Set the event's own fields from a validated mapping (only those present)."""
    if "title" in data:
        event.title = validation.field_text(data["title"], "title", 200, required=True)
    if "date" in data:
        event.date = _date(data["date"])
    if "place" in data:
        event.place = validation.field_text(data["place"], "place", 200)
    if "description" in data:
        event.description = validation.field_text(data["description"], "description", 4000)
    if "framework_id" in data:
        event.framework = _framework(data["framework_id"])
    if "focus_points" in data:
        event.focus_points = points(event, data["focus_points"])


def create_event(user: User, data: dict) -> Event:
    """Create a draft café in the organizer's administration."""
    data = validation.require_mapping(data)
    admin = organizer_administration(user)
    event = Event(title="", place="", description="", status="draft", administration_id=admin.id,
                  framework=ensure_framework(), projector_token=access.new_projector_token(),
                  focus_points=[])
    _apply_details(event, {"title": data.get("title"), **data})
    db.session.add(event)
    db.session.flush()
    return event


def announce(event: Event, what: str) -> None:
    """Record `event:updated` for the pages open on this café; `broadcast_announced` sends it after the commit."""
    db.session.flush()
    payload = {"what": what, "event": {k: v for k, v in event.to_dict().items() if k != "rounds"},
               "tables": [t.to_dict() for t in event.tables], "rounds": [r.to_dict() for r in event.rounds]}
    db.session.info.setdefault("announced", []).append(changes.record(event.id, protocol.EVENT_UPDATED, payload))


def broadcast_announced() -> None:
    """After the commit: send what `announce` recorded (dropped by a rollback's new transaction)."""
    for change in db.session.info.pop("announced", []):
        broadcast(change)


def forget_announced() -> None:
    """After a rollback: nothing recorded was kept, so nothing is sent."""
    db.session.info.pop("announced", None)


def update_event(event: Event, data: dict) -> Event:
    """Change a café's title, date, place, description, framework or focus points."""
    _apply_details(event, validation.require_mapping(data))
    announce(event, "details")
    return event


def _unit_id(event: Event, value) -> int | None:
    """An optional unit of the event's administration."""
    unit_id = validation.optional_id(value, "unit_id")
    if unit_id is not None:
        unit = db.session.get(Unit, unit_id)
        if unit is None or unit.administration_id != event.administration_id:
            raise ServiceError("invalid_unit", field="unit_id")
    return unit_id


def _rows(value, limit: int, field: str) -> list[dict]:
    """A list of row mappings within the limit."""
    if not isinstance(value, list) or not all(isinstance(r, dict) for r in value):
        raise ServiceError("invalid_field", field=field)
    if len(value) > limit:
        raise ServiceError("too_many_rows", field=field, max=limit)
    return value


def _has_notes(column, row_id: int) -> bool:
    """True when any note refers to the table or round."""
    return db.session.scalar(select(func.count(Note.id)).where(column == row_id)) > 0


def _keep(existing: dict, rows: list[dict], field: str) -> list:
    """Match rows to existing objects by id; unknown ids are refused."""
    kept = []
    for row in rows:
        row_id = validation.optional_id(row.get("id"), "id")
        if row_id is not None and row_id not in existing:
            raise ServiceError("invalid_field", field=field)
        kept.append(existing.get(row_id))
    return kept


def _renumber(items: list) -> None:
    """Give items their final numbers without tripping the (event, number) uniqueness."""
    for number, item in enumerate(items, start=1):
        item.number = -number
    db.session.flush()
    for number, item in enumerate(items, start=1):
        item.number = number


def _replace(event: Event, rows, field: str, limit: int, make, fill, refuse_removal) -> None:
    """Replace an event's tables or rounds by rows: matched by id, filled, removed, renumbered."""
    rows = _rows(rows, limit, field)
    existing = {item.id: item for item in getattr(event, field)}
    result = []
    for row, item in zip(rows, _keep(existing, rows, field)):
        item = item or make(-(len(result) + 1))
        db.session.add(item)
        fill(item, row)
        result.append(item)
    for item in existing.values():
        if item not in result:
            refuse_removal(item)
            db.session.delete(item)
    _renumber(result)
    db.session.flush()
    db.session.expire(event, [field])


def set_tables(event: Event, rows, confirmed: bool = False) -> list[Table]:
    """Replace the event's tables by the given rows, keeping join codes of tables that stay.

    A table with notes is never removed; one with a host connected now only when the organizer `confirmed`.
    """
    connected = set() if confirmed else presence.online_table_ids(event.id)

    def fill(table: Table, row: dict) -> None:
        table.name = validation.field_text(row.get("name"), "name", 200)
        table.host_name = validation.field_text(row.get("host_name"), "host_name", 200)
        table.unit_id = _unit_id(event, row.get("unit_id"))

    def refuse_removal(table: Table) -> None:
        if _has_notes(Note.table_id, table.id):
            raise ServiceError("table_has_notes", status=409, table=table.display_name)
        if table.id in connected:
            raise ServiceError("table_has_host", status=409, table=table.display_name)
    _replace(event, rows, "tables", MAX_TABLES,
             lambda n: Table(event=event, join_code=access.new_join_code(), number=n), fill, refuse_removal)
    announce(event, "tables")
    return event.tables


def _round_fields(event: Event, rnd: Round, row: dict) -> None:
    """Set one round's question, minutes, level and focus points."""
    rnd.question = validation.field_text(row.get("question"), "question", 1000, required=True)
    minutes = row.get("planned_minutes", 20)
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= 240:
        raise ServiceError("invalid_round_minutes", field="planned_minutes")
    rnd.planned_minutes = minutes
    rnd.level = validation.level(row.get("level"))
    rnd.focus_points = points(event, row.get("focus_points"))


def set_rounds(event: Event, rows) -> list[Round]:
    """Replace the event's rounds; rounds that have started or have notes stay."""
    def refuse_removal(rnd: Round) -> None:
        if rnd.started_at or _has_notes(Note.round_id, rnd.id):
            raise ServiceError("round_in_use", status=409, round=rnd.number)
    _replace(event, rows, "rounds", MAX_ROUNDS, lambda n: Round(event=event, number=n),
             lambda rnd, row: _round_fields(event, rnd, row), refuse_removal)
    announce(event, "rounds")
    return event.rounds



def set_status(event: Event, status, confirmed: bool = False) -> Event:
    """Move a café between draft, live and closed (closed is final).

    Closing under connected hosts stops their notes, so it needs the organizer to have `confirmed` it.
    """
    status = validation.choice(status, "status", EVENT_STATUSES, code="invalid_event_status")
    if (event.status, status) not in STATUS_STEPS:
        raise ServiceError("invalid_status_change", status=409, current=event.status, wanted=str(status)[:20])
    connected = presence.online_table_ids(event.id) if status == "closed" and not confirmed else set()
    if connected:
        raise ServiceError("hosts_connected", status=409, count=len(connected), message=ngettext(
            "En samtalsledare är ansluten just nu och kan inte spara fler anteckningar när caféet är avslutat. "
            "Bekräfta att caféet ska avslutas och försök igen.",
            "Samtalsledare är anslutna vid %(num)s bord just nu och kan inte spara fler anteckningar när caféet "
            "är avslutat. Bekräfta att caféet ska avslutas och försök igen.", len(connected)))
    event.status = status
    event.closed_at = utcnow() if status == "closed" else None
    announce(event, "status")
    return event


def from_template(user: User) -> Event:
    """A draft theme day after the action plan: three rounds (individ, enhet, förvaltning), eight tables."""
    event = create_event(user, {"title": "Temadag enligt handlingsplanen", "place": "",
                                "description": "Dialogcafé om handlingsplanens punkter i tre rundor: "
                                               "vad kan jag, vi på enheten och förvaltningen göra?"})
    set_rounds(event, [{"question": q, "planned_minutes": m, "level": lvl} for lvl, m, q in TEMPLATE_ROUNDS])
    set_tables(event, [{"name": f"Bord {n}"} for n in range(1, TEMPLATE_TABLES + 1)])
    return event


def copy_event(source: Event, user: User) -> Event:
    """A new draft with the source's details, rounds and tables, fresh codes and no notes."""
    event = create_event(user, {"title": f"{source.title} (kopia)"[:200], "place": source.place,
                                "description": source.description, "framework_id": source.framework_id,
                                "focus_points": list(source.focus_points or [])})
    set_rounds(event, [{"question": r.question, "planned_minutes": r.planned_minutes, "level": r.level,
                        "focus_points": list(r.focus_points or [])} for r in source.rounds])
    set_tables(event, [{"name": t.name, "host_name": t.host_name, "unit_id": t.unit_id}
                       for t in source.tables])
    event.facilitators.extend(source.facilitators)
    db.session.flush()
    return event


def set_focus_points(event: Event, chosen, rounds: bool = False) -> Event:
    """Set the café's focus points, and optionally every round's, e.g. from the pre-vote."""
    event.focus_points = points(event, chosen)
    if rounds:
        for rnd in event.rounds:
            rnd.focus_points = list(event.focus_points)
    announce(event, "focus_points")
    return event
