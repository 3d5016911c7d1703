"""Importing notes typed up from paper after earlier cafés: validate every row, preview, then all or nothing."""
import re
import secrets
import unicodedata
import uuid
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from .. import validation
from ..errors import ServiceError
from ..extensions import db
from ..models import LEVELS, Event, Note, Round, Table, User
from ..models.action import PendingImport
from ..people import access
from ..points.framework import ensure_framework
from ..privacy import pii, screening
from ..realtime import changes
from . import action_import, actions, spreadsheet
from .spreadsheet import Sheet, refuse, where

COLUMNS = {
    "text": ("text", "anteckning", "anteckningar", "idé", "ide"),
    "event": ("event", "café", "cafe", "evenemang"),
    "table": ("table", "bord"),
    "round": ("round", "runda"),
    "unit": ("unit", "enhet"),
    "level": ("level", "nivå", "niva"),
    "point": ("point", "punkt"),
}
TABLE_NUMBER = re.compile(r"^(?:bord\s*)?(\d{1,3})$", re.IGNORECASE)
DEFAULT_TABLE = "Importerade anteckningar"


def _fold(value: str) -> str:
    """A cell compared without case, extra spaces or Unicode form differences."""
    return " ".join(unicodedata.normalize("NFC", value).split()).lower()


def _columns(sheet: Sheet) -> dict[str, int]:
    """The known columns of the first sheet; the text column is required."""
    found = {key: spreadsheet.column_index(sheet, names) for key, names in COLUMNS.items()}
    if found["text"] is None:
        raise refuse(_("Kolumnen text saknas. Filen behöver en kolumn text (eller anteckning) och kan ha "
                       "kolumnerna event, table, round, unit, level och point."))
    return {k: i for k, i in found.items() if i is not None}


class RowChecker:
    """Validates rows of one upload against one event; collects errors naming row and column."""

    def __init__(self, event: Event, sheet: Sheet):
        self.event, self.sheet = event, sheet
        self.errors: list[str] = []
        self.units = {_fold(u.name): u.id for u in event.administration.units} if event.administration else {}
        self.tables = {t.number: t for t in event.tables}
        self.table_names = {_fold(t.display_name): t.number for t in event.tables}
        self.seen: dict[tuple, int] = {}
        self.existing = {(n.table_id, _fold(n.text)) for n in db.session.scalars(
            select(Note).where(Note.event_id == event.id, Note.deleted_at.is_(None)))}

    def fail(self, row_no: int, column: str | None, message: str) -> None:
        """Keep an error for this cell."""
        self.errors.append(f"{where(self.sheet, row_no, column)}: {message}")

    def check(self, row_no: int, cells: dict) -> dict | None:
        """One row as a planned note, or None (with its errors kept)."""
        before = len(self.errors)
        note = {"row": row_no, "text": self._text(row_no, cells.get("text", "")),
                "table": self._table(cells.get("table", "")), "round": self._round(row_no, cells.get("round", "")),
                "unit_id": self._unit(row_no, cells.get("unit", "")),
                "level": self._level(row_no, cells.get("level", "")),
                "point": self._point(row_no, cells.get("point", ""))}
        self._event(row_no, cells.get("event", ""))
        if len(self.errors) > before:
            return None
        return note if self._unique(row_no, note) else None

    def _text(self, row_no: int, value: str) -> str:
        """The note text, validated like a live note."""
        try:
            text = validation.note_text(spreadsheet.undefuse(value))
        except ServiceError as error:
            self.fail(row_no, "text", error.message)
            return ""
        if screening.mode() == "block" and pii.find(text):
            self.fail(row_no, "text", _("texten innehåller personuppgifter (t.ex. ett personnummer)."))
        return text

    def _table(self, value: str) -> dict:
        """An existing table by number or name, else a new one."""
        value = value.strip()
        match = TABLE_NUMBER.match(value)
        if match:
            return {"number": int(match.group(1)), "name": ""}
        name = value[:200] or DEFAULT_TABLE
        return {"number": self.table_names.get(_fold(name)), "name": name}

    def _round(self, row_no: int, value: str) -> int | None:
        """A round number from 1 to 20, or none."""
        value = value.strip()
        if not value:
            return None
        if value.isdigit() and 1 <= int(value) <= 20:
            return int(value)
        self.fail(row_no, "round", _("rundan måste vara ett tal från 1 till 20."))
        return None

    def _unit(self, row_no: int, value: str) -> int | None:
        """A unit of the event's administration, by name."""
        if not value.strip():
            return None
        if _fold(value) not in self.units:
            self.fail(row_no, "unit", _("enheten %(unit)s finns inte i förvaltningen.", unit=repr(value.strip())))
            return None
        return self.units[_fold(value)]

    def _level(self, row_no: int, value: str) -> str | None:
        """individ, enhet or förvaltning, in any case."""
        if not value.strip():
            return None
        level = _fold(value)
        if level not in LEVELS:
            self.fail(row_no, "level", _("nivån måste vara individ, enhet eller förvaltning."))
            return None
        return level

    def _point(self, row_no: int, value: str) -> int | None:
        """A framework point; 0 or empty means none."""
        if value.strip() in ("", "0"):
            return None
        try:
            return actions.parse_point(self.event, value)
        except ServiceError as error:
            self.fail(row_no, "point", error.message)
            return None

    def _event(self, row_no: int, value: str) -> None:
        """An event column, when filled in, must name the café being imported into."""
        if value.strip() and _fold(value) != _fold(self.event.title):
            self.fail(row_no, "event", _("raden hör till caféet %(other)s, inte %(event)s. Dela upp filen per café.",
                                         other=repr(value.strip()), event=repr(self.event.title)))

    def _unique(self, row_no: int, note: dict) -> bool:
        """No duplicate rows, and no note that the café already has at that table."""
        key = (note["table"]["number"], note["table"]["name"], note["round"], note["unit_id"], note["level"],
               _fold(note["text"]))
        if key in self.seen:
            self.fail(row_no, None, _("raden är en dubblett av rad %(other)s.", other=self.seen[key]))
            return False
        self.seen[key] = row_no
        table = self.tables.get(note["table"]["number"])
        if table is not None and (table.id, _fold(note["text"])) in self.existing:
            self.fail(row_no, "text", _("anteckningen finns redan vid %(table)s.", table=table.display_name))
            return False
        return True


def plan(event: Event, filename: str, data: bytes) -> dict:
    """Validate an upload of notes for an event and describe what would be created."""
    sheet = next(s for s in spreadsheet.read(filename, data) if s.rows)
    columns = _columns(sheet)
    checker = RowChecker(event, sheet)
    notes = []
    for row_no, raw in sheet.rows:
        planned = checker.check(row_no, {key: raw[i] for key, i in columns.items()})
        if planned:
            notes.append(planned)
        if len(checker.errors) >= spreadsheet.MAX_ERRORS:
            break
    if checker.errors:
        raise refuse(checker.errors[0], errors=checker.errors)
    return {"notes": notes, "new_tables": _new_tables(event, notes), "new_rounds": _new_rounds(event, notes)}


def _new_tables(event: Event, notes: list[dict]) -> list[str]:
    """The tables the import would add."""
    numbers = {t.number for t in event.tables}
    wanted = {(n["table"]["number"], n["table"]["name"]) for n in notes}
    return sorted(name or _("Bord %(n)s", n=num) for num, name in wanted if num is None or num not in numbers)


def _new_rounds(event: Event, notes: list[dict]) -> list[int]:
    """The rounds the import would add."""
    numbers = {r.number for r in event.rounds}
    return sorted({n["round"] for n in notes if n["round"] and n["round"] not in numbers})


def store(event: Event, user: User, filename: str, planned: dict) -> str:
    """Keep planned notes until they are confirmed; return the token."""
    token = secrets.token_urlsafe(24)
    db.session.add(PendingImport(token=token, kind="notes", event_id=event.id, user_id=user.id,
                                 filename=(filename or "")[:200], payload=planned))
    db.session.flush()
    return token


def apply(event: Event, user: User, token) -> int:
    """Create the planned tables, rounds and notes in the caller's transaction; return how many notes."""
    stored = action_import.pending(event, user, token, kind="notes")
    tables, rounds = {}, {r.number: r for r in event.rounds}
    for planned in stored.payload["notes"]:
        table = _table_for(event, planned["table"], tables)
        rnd = _round_for(event, planned["round"], rounds)
        _add_note(event, table, rnd, planned)
    db.session.delete(stored)
    db.session.flush()
    return len(stored.payload["notes"])


def _table_for(event: Event, wanted: dict, made: dict) -> Table:
    """The table a row names, creating it the first time."""
    key = (wanted["number"], wanted["name"])
    if key not in made:
        table = next((t for t in event.tables if t.number == wanted["number"]), None)
        if table is None:
            number = wanted["number"] or max([t.number for t in event.tables] + [0]) + 1
            table = Table(number=number, name=wanted["name"], join_code=access.new_join_code())
            event.tables.append(table)
            db.session.flush()
        made[key] = table
    return made[key]


def _round_for(event: Event, number: int | None, rounds: dict) -> Round | None:
    """The round a row names, creating it the first time."""
    if number is None:
        return None
    if number not in rounds:
        rounds[number] = Round(number=number, question="")
        event.rounds.append(rounds[number])
        db.session.flush()
    return rounds[number]


def _add_note(event: Event, table: Table, rnd: Round | None, planned: dict) -> Note:
    """One imported note, logged like a live one."""
    text = screening.screen(planned["text"], table).text
    note = Note(client_id=str(uuid.uuid4()), event_id=event.id, table_id=table.id,
                round_id=rnd.id if rnd else None, text=text, level=planned["level"],
                unit_id=planned["unit_id"] or table.unit_id, confirmed_point=planned["point"])
    db.session.add(note)
    db.session.flush()
    change = changes.record(event.id, "note:added", {}, table_id=table.id)
    note.seq = change.seq
    change.payload = {"note": note.to_dict()}
    return note


def create_past_event(administration_id: int, title, held_on, place="") -> Event:
    """An earlier café to import notes into: closed from the start."""
    title = actions._text({"title": title}, "title", required=True)[:200]
    event = Event(title=title, date=actions.parse_date(held_on) if held_on else None, place=str(place or "")[:200],
                  status="closed", administration_id=administration_id, framework_id=ensure_framework().id,
                  projector_token=access.new_projector_token(), description="")
    if isinstance(event.date, date) and event.date > date.today():
        raise ServiceError("invalid_date", field="date")
    db.session.add(event)
    db.session.flush()
    return event
