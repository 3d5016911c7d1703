"""Whose cafés a report covers and who may read it: chosen cafés, or a year of an administration or the city.

Access is the action lists' rule: project leads and organizers read their administration's cafés, the city
level and organizers without an administration read all; nobody reads another administration's.
"""
from dataclasses import dataclass

from sqlalchemy import select

from ..documents import cells, downloads
from ..errors import ServiceError
from ..extensions import db
from ..followup import actions
from ..models import Administration, Event, utcnow
from ..people import access

MAX_EVENTS = 100  # a year of a big city is a few dozen cafés; more is a mistake, not a report
YEARS = range(2000, 2101)


@dataclass
class Scope:
    """The cafés of one report and how to name it: one café, several, or a year."""

    events: list[Event]
    year: int | None = None
    administration: Administration | None = None

    @property
    def ids(self) -> list[int]:
        """The cafés' ids, for a job thread that loads them again."""
        return [e.id for e in self.events]

    def period(self, city_name: str) -> str:
        """What the report covers, in words: the café and its date, the year and whose cafés, or the cafés."""
        if self.year is not None:
            whose = self.administration.name if self.administration else city_name
            return f"{whose} {self.year}"
        if len(self.events) == 1:
            event = self.events[0]
            return f"{event.title}, {event.date.isoformat()}" if event.date else event.title
        return ", ".join(e.title for e in self.events[:3]) + (" …" if len(self.events) > 3 else "")

    def filename(self, ext: str, what: str = "rapport") -> str:
        """The file's name: the café and its date, or the year and the administration, and what it is."""
        if self.year is None and len(self.events) == 1:
            event = self.events[0]
            return downloads.for_event(event.title, event.date, what, ext)
        if self.year is not None:
            return downloads.filename(what, self.administration.name if self.administration else "alla",
                                      str(self.year), ext=ext)
        return downloads.filename(what, "caféer", cells.local(utcnow()).date(), ext=ext)


def event_year(event: Event) -> int:
    """The year a café was held (or planned, or created)."""
    return (event.date or event.created_at).year


def parse_ids(values) -> list[int]:
    """Café ids from a list or a comma-separated text, each a positive integer, without repeats."""
    if isinstance(values, str):
        values = values.split(",")
    ids: list[int] = []
    for value in values or []:
        text = str(value).strip()
        if not text:
            continue
        if not text.isdigit() or not 0 < int(text) < 2**31:
            raise ServiceError("invalid_field", field="events")
        if int(text) not in ids:
            ids.append(int(text))
    if len(ids) > MAX_EVENTS:
        raise ServiceError("report_too_many", field="events")
    return ids


def parse_year(value) -> int | None:
    """A year such as 2026, or None when none is given."""
    if value is None or str(value).strip() == "":
        return None
    text = str(value).strip()
    if not text.isdigit() or int(text) not in YEARS:
        raise ServiceError("invalid_year", field="year")
    return int(text)


def of_events(who: access.Principal, ids: list[int]) -> Scope:
    """Chosen cafés, each one the caller may read: 401 without a caller, 404 unknown, 403 another's."""
    _signed_in(who)
    if not ids:
        raise ServiceError("report_no_events", field="events")
    events = []
    for event_id in ids:
        event = db.session.get(Event, event_id)
        if event is None:
            raise ServiceError("not_found", status=404)
        if not actions.can_read(who, event):
            raise ServiceError("forbidden", status=403)
        events.append(event)
    return Scope(sorted(events, key=lambda e: (e.date is None, e.date, e.id)))


def of_year(who: access.Principal, year: int, administration_id: int | None = None) -> Scope:
    """A year's cafés of an administration (a project lead's own by default) or of the whole city."""
    _signed_in(who)
    allowed = actions.administration_ids(who.user)
    if administration_id is None and allowed is not None:
        if len(allowed) != 1:
            raise ServiceError("forbidden", status=403)
        administration_id = allowed[0]
    administration = None
    if administration_id is not None:
        administration = db.session.get(Administration, administration_id)
        if administration is None:
            raise ServiceError("not_found", status=404)
        if allowed is not None and administration_id not in allowed:
            raise ServiceError("forbidden", status=403)
    return Scope(year_events(year, administration_id), year, administration)


def year_events(year: int, administration_id: int | None) -> list[Event]:
    """The cafés of a year (by their date, else when they were made), of one administration or all."""
    query = select(Event).order_by(Event.date, Event.id)
    if administration_id is not None:
        query = query.where(Event.administration_id == administration_id)
    events = list(db.session.scalars(query))
    return [e for e in events if event_year(e) == year][:MAX_EVENTS]


def readable_events(who: access.Principal) -> list[Event]:
    """The cafés whose report the caller may read, newest first."""
    if not who.is_user:
        return []
    events = db.session.scalars(select(Event).order_by(Event.date.desc(), Event.id.desc()))
    return [e for e in events if actions.can_read(who, e)]


def administrations(who: access.Principal) -> list[Administration]:
    """The administrations whose year the caller may report on."""
    allowed = actions.administration_ids(who.user) if who.is_user else []
    query = select(Administration).order_by(Administration.name)
    if allowed is not None:
        query = query.where(Administration.id.in_(allowed or [-1]))
    return list(db.session.scalars(query))


def _signed_in(who: access.Principal) -> None:
    """No token, no report: 401 for a caller without an account, 403 for a host or projector."""
    if who.kind == "anonymous":
        raise ServiceError("unauthorized", status=401)
    if not who.is_user:
        raise ServiceError("forbidden", status=403)
