"""The report from the command line (`flask --app cafe report`): the operator's access, any café or year."""
from pathlib import Path

from sqlalchemy import select

from ..documents import cells
from ..errors import ServiceError
from ..extensions import db
from ..models import Administration, utcnow
from . import formats, scope


class ReportRefused(Exception):
    """What the operator asked for cannot be a report (the message says why, in Swedish)."""


def administration_id(value: str | None) -> int | None:
    """An administration by its id or its exact name; None for the whole city."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    found = db.session.get(Administration, int(value)) if value.isdigit() else db.session.scalar(
        select(Administration).where(Administration.name == value))
    if found is None:
        raise ReportRefused(f"Förvaltningen finns inte: {value}")
    return found.id


def chosen(event_ids: list[int], year: int | None, administration: str | None) -> scope.Scope:
    """The cafés the operator named, or a year's (this year by default) of an administration or the city."""
    db.session.execute(select(Administration.id).limit(1))  # an unusable database says so first, in one line
    if year is None and not event_ids:
        year = cells.local(utcnow()).year
    if year is not None:
        if event_ids:
            raise ReportRefused("Ange antingen caféernas id eller --year, inte båda.")
        if year not in scope.YEARS:
            raise ReportRefused("Året måste skrivas med fyra siffror, till exempel 2026.")
        admin_id = administration_id(administration)
        admin = db.session.get(Administration, admin_id) if admin_id else None
        return scope.Scope(scope.year_events(year, admin_id), year, admin)
    try:
        ids = scope.parse_ids(event_ids)
    except ServiceError as error:
        raise ReportRefused(error.message) from None
    found = [e for e in (db.session.get(scope.Event, i) for i in ids) if e is not None]
    if len(found) != len(ids):
        raise ReportRefused("Ett café med det id:t finns inte.")
    return scope.Scope(found)


def write_report(event_ids: list[int], year: int | None, administration: str | None, fmt: str, language: str,
                 output: str | None) -> tuple[Path, int]:
    """Write the file and return where it went and how big it is."""
    chosen_scope = chosen(event_ids, year, administration)
    body = formats.render(formats.write(chosen_scope, language), fmt, formats.signed_by())
    path = Path(output or chosen_scope.filename(fmt))
    path.write_bytes(body)
    return path, len(body)
