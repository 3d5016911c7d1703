"""Adding a note: the hot path from a host's socket event to the change log, in one statement where it can be."""
from dataclasses import dataclass
from datetime import timedelta
from types import SimpleNamespace
from typing import ClassVar, NoReturn

from flask import current_app
from sqlalchemy import (
    JSON,
    Integer,
    bindparam,
    cast,
    exists,
    func,
    insert,
    literal,
    literal_column,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, IntegrityError

from .. import validation
from ..errors import ServiceError
from ..events import rounds
from ..extensions import db
from ..models import Change, Event, Note, Table, Unit, utcnow
from ..models.note import note_dict
from ..points import suggestions
from ..privacy import screening
from ..realtime import changes
from ..storage.database import first_write, note_engine
from ..storage.prepared import BareConnection, Prepared, listened

TOUCH_SECONDS = 10

# Adding a note is the hot path of a café: three statements, compiled once and run on the DB-API
# cursor (see cafe/storage/prepared.py). The first takes the event's next seq (its row lock orders concurrent
# writers until the commit) only if the table still exists and the event is open, and returns the
# current round and the table's last activity with it.
_events, _tables, _notes, _changes = Event.__table__, Table.__table__, Note.__table__, Change.__table__
TAKE_SEQ = Prepared(
    update(_events)
    .where(_events.c.id == bindparam("event_id"), _events.c.status != "closed",
           exists().where(_tables.c.id == bindparam("table_id"), _tables.c.event_id == bindparam("event_id")))
    .values(last_seq=_events.c.last_seq + 1)
    .returning(_events.c.last_seq, rounds.current_round_query(bindparam("event_id")).scalar_subquery(),
               select(_tables.c.last_seen_at).where(_tables.c.id == bindparam("table_id")).scalar_subquery()),
    ("event_id", "table_id"))
NOTE_COLUMNS = ("client_id", "event_id", "table_id", "round_id", "text", "level", "unit_id", "confirmed_point",
                "starred", "version", "seq", "created_at", "updated_at")
INSERT_NOTE = Prepared.insert(_notes, NOTE_COLUMNS, returning=_notes.c.id)
TOUCH = Prepared(update(_tables).where(_tables.c.id == bindparam("table_id"))
                 .values(last_seen_at=bindparam("now", type_=_tables.c.last_seen_at.type)), ("table_id", "now"))


def _add_at_once() -> Prepared:
    """On PostgreSQL the same work in one statement, run in autocommit: one round trip instead of six.

    Data-modifying CTEs take the seq (the event's row lock orders writers until the statement's
    commit), insert the note with it, append the change whose payload is the note (its id, round
    and seq filled in by the database), and touch the table's last activity when it is older than
    TOUCH_SECONDS. When the event is closed or the table gone, nothing is written and no row returned.
    """
    event_id, table_id = bindparam("event_id", type_=Integer), bindparam("table_id", type_=Integer)
    now = bindparam("now", type_=_notes.c.created_at.type)

    def typed(value, column):  # in a SELECT list an untyped parameter would be text
        return cast(value, column.type)

    taken = (update(_events)
             .where(_events.c.id == event_id, _events.c.status != "closed",
                    exists().where(_tables.c.id == table_id, _tables.c.event_id == event_id))
             .values(last_seq=_events.c.last_seq + 1)
             .returning(_events.c.last_seq.label("seq"),
                        rounds.current_round_query(event_id).scalar_subquery().label("round_id"))
             .cte("taken"))
    given = tuple(c for c in NOTE_COLUMNS if c not in ("event_id", "table_id", "round_id", "seq"))
    note = (insert(_notes)
            .from_select(("event_id", "table_id", "round_id", "seq") + given,
                         select(typed(event_id, _notes.c.event_id), typed(table_id, _notes.c.table_id),
                                taken.c.round_id, taken.c.seq,
                                *(typed(now if c in ("created_at", "updated_at") else
                                        bindparam(c, type_=_notes.c[c].type), _notes.c[c]) for c in given)))
            .returning(_notes.c.id, _notes.c.round_id, _notes.c.seq).cte("note"))

    def jsonb_object(*keys_and_values):  # the keys are constants of the statement, not parameters
        return func.jsonb_build_object(*(literal_column(f"'{v}'") if i % 2 == 0 else v
                                         for i, v in enumerate(keys_and_values)))

    snapshot = cast(bindparam("note", type_=JSON), JSONB).op("||")(
        jsonb_object("id", note.c.id, "round_id", note.c.round_id, "seq", note.c.seq))
    change = (insert(_changes)
              .from_select(("event_id", "seq", "type", "table_id", "payload", "created_at"),
                           select(typed(event_id, _changes.c.event_id), note.c.seq,
                                  typed(literal("note:added"), _changes.c.type),
                                  typed(table_id, _changes.c.table_id),
                                  cast(jsonb_object("note", snapshot), JSON), typed(now, _changes.c.created_at)))
              .returning(_changes.c.seq).cte("change"))
    stale = bindparam("stale", type_=_tables.c.last_seen_at.type)
    touch = (update(_tables)
             .where(_tables.c.id == table_id, exists(select(note.c.id)),
                    or_(_tables.c.last_seen_at.is_(None), _tables.c.last_seen_at < stale))
             .values(last_seen_at=now).returning(_tables.c.id).cte("touch"))
    params = ("event_id", "table_id", "now", "stale", "note") + tuple(
        c for c in given if c not in ("created_at", "updated_at"))
    return Prepared(select(note.c.id, note.c.round_id, note.c.seq).add_cte(change, touch), params)


ADD_AT_ONCE = _add_at_once()


@dataclass(frozen=True)
class TableRef:
    """A table known by its ids, as a host socket remembers it; `add` checks that it still exists."""

    id: int
    event_id: int
    __tablename__: ClassVar[str] = "tables"  # audit entries name it as they name a Table


@dataclass
class NoteResult:
    """A note after a change, and the change to broadcast (None when nothing changed).

    A new note is its columns as written (a SimpleNamespace): an ORM object would cost more than the insert.
    """

    note: Note | SimpleNamespace
    change: Change | changes.Appended | None
    personal_data: dict | None = None

    def ack(self) -> dict:
        """The ack sent to the table host, telling what personal data was found (never the data)."""
        # The snapshot taken before the commit: reading the note again would cost a query.
        note = self.change.to_message()["note"] if self.change is not None else note_payload(self.note)
        ack = {"ok": True, "note": note}
        if self.personal_data:
            ack["personal_data"] = self.personal_data
        return ack


def note_payload(note: Note) -> dict:
    """A note as sent to clients, with the seq of its latest change."""
    return note.to_dict()


def check_open(table: Table) -> None:
    """Refuse changes to a closed event."""
    if table.event.status == "closed":
        _refuse_closed()


def _event(table: Table | TableRef) -> Event:
    """The table's event (from the session when it is loaded already)."""
    return db.session.get(Event, table.event_id)


def chosen_unit(table: Table | TableRef, value) -> int | None:
    """Validate an optional unit id against the event's administration."""
    unit_id = validation.optional_id(value, "unit_id")
    if unit_id is None:
        return None
    unit = db.session.get(Unit, unit_id)
    if unit is None or unit.administration_id != _event(table).administration_id:
        raise ServiceError("invalid_unit", field="unit_id")
    return unit_id


def _chosen_point(table: Table | TableRef, payload: dict) -> int | None:
    """The point the host picked, checked against the framework (read only when a point was sent)."""
    if payload.get("point") is None:
        return None
    return suggestions.point(_event(table).framework, payload["point"])


def record_change(note: Note, type_: str) -> Change:
    """Flush the note and log the change carrying its snapshot."""
    with db.session.no_autoflush:
        note.seq = changes.next_seq(note.event_id)  # known before the note is written: one UPDATE less
    db.session.flush()
    return changes.record(note.event_id, type_, {"note": note_payload(note)}, table_id=note.table_id,
                          seq=note.seq)


def add(table: Table | TableRef, payload: dict) -> NoteResult:
    """Store a new note for the table; the same client_id again returns the stored note.

    A resend is rare: it is caught by the unique client_id instead of a query for every note.
    """
    payload = validation.require_mapping(payload)
    cid = validation.client_id(payload.get("client_id"))
    try:
        screened, values = _new_note(table, payload)
    except ServiceError:
        refused = _refusal(table, cid)  # a closed event or a gone table says so before a bad field
        if refused is not None:
            return refused
        raise
    values["client_id"] = cid
    in_session = _in_session()
    try:
        if not in_session and db.engine.dialect.name == "postgresql":
            note, change = _write_at_once(table, values)
        else:
            note, change = _write(table, values, in_session)
        if note is None:  # no seq taken; an event reopened meanwhile is still answered as closed
            return _refusal(table, cid) or _refuse_closed()
    except IntegrityError:
        db.session.rollback()
        existing = db.session.scalar(select(Note).where(Note.client_id == cid))
        if existing is None:
            raise
        return _existing(table, existing)
    return NoteResult(note, change, screened.report())


def _write(table: Table | TableRef, values: dict,
           in_session: bool) -> tuple[SimpleNamespace | None, changes.Appended | None]:
    """Write the note and its change in a transaction: the session's, or one on a connection of its own."""
    own = None if in_session else _own_connection()
    try:
        connection, note = _insert(own, table, values)
        if note is None:
            (own or db.session).rollback()
            return None, None
        change = changes.append(connection, table.event_id, "note:added", {"note": note_dict(note)},
                                table_id=table.id, seq=note.seq)
        (own or db.session).commit()
        return note, change
    finally:
        if own is not None:
            own.close()  # back to the pool, rolled back unless committed


def _own_connection() -> Connection | BareConnection:
    """A connection for one note: on SQLite a bare DB-API one from the pool, unless someone listens to the
    statements (a statement count), who gets SQLAlchemy's Connection that tells them.

    SQLite's own work on the note's three statements costs less than SQLAlchemy's Connection, transaction
    and event objects around them (see docs/performance.md).
    """
    engine = db.engine
    if engine.dialect.name != "sqlite" or listened(engine):
        return engine.connect()
    return BareConnection.checkout(engine)


def _write_at_once(table: Table | TableRef, values: dict) -> tuple[SimpleNamespace | None, changes.Appended | None]:
    """Write the note and its change with ADD_AT_ONCE on PostgreSQL, in one round trip.

    The connection comes from an engine whose checkouts are not pinged (a ping is a round trip of its
    own): a connection the server dropped since its last use fails, is thrown away, and the note is
    written on a fresh one. That is safe because the statement commits whole or not at all, and a
    note stored before its connection dropped is found again by its client_id (IntegrityError).
    """
    now = utcnow()
    values.update(event_id=table.event_id, table_id=table.id, starred=False, version=1, created_at=now,
                  updated_at=now, suggested_point=None, deleted_at=None, round_id=None, seq=None, id=None)
    snapshot = note_dict(SimpleNamespace(**values))
    for tries in (1, 2):
        try:
            with note_engine().connect() as connection:
                row = ADD_AT_ONCE.first(connection, {
                    **values, "now": now, "stale": now - timedelta(seconds=TOUCH_SECONDS), "note": snapshot})
            break
        except DBAPIError as error:
            if not error.connection_invalidated or tries == 2:
                raise
    if row is None:
        return None, None
    values.update(id=row[0], round_id=row[1], seq=row[2])
    note = SimpleNamespace(**values)
    message = {"type": "note:added", "seq": note.seq, "note": note_dict(note)}
    return note, changes.Appended("note:added", table.event_id, table.id, message)


def _in_session() -> bool:
    """Whether the note must be written in the session's transaction rather than on a connection of
    its own (which costs less than the session's unit of work): when the session holds something to
    store with it (the audit entry of personal data found in the note), or has begun a transaction,
    which may have written that entry already (an autoflush) and would then hold SQLite's write lock."""
    if not db.session.registry.has():
        return False
    session = db.session()
    return bool(session.new) or session.in_transaction()


def _new_note(table: Table | TableRef, payload: dict) -> tuple[screening.Screened, dict]:
    """Validate and screen what the host sent; return the screened text and the note's columns."""
    text = validation.note_text(payload.get("text"), current_app.config["NOTE_MAX_CHARS"])
    screened = screening.screen(text, table)
    return screened, {"text": screened.text, "level": validation.level(payload.get("level")),
                      "unit_id": chosen_unit(table, payload.get("unit_id")),
                      "confirmed_point": _chosen_point(table, payload)}


def _insert(own: Connection | BareConnection | None, table: Table | TableRef,
            values: dict) -> tuple[Connection | BareConnection, SimpleNamespace | None]:
    """Take the next seq and insert the note on `own` connection, else in the session's transaction.

    Returns the connection written on and the note (None when the table is gone or the event closed).
    The suggested point is filled in by the next synthesis pass, in a batch and off the socket path.
    """
    ids = {"event_id": table.event_id, "table_id": table.id}
    connection, taken = first_write(lambda conn: (conn, TAKE_SEQ.first(conn, ids)), connection=own)
    if taken is None:
        return connection, None
    seq, round_id, last_seen_at = taken
    now = utcnow()
    values.update(ids, round_id=round_id, seq=seq, starred=False, version=1, created_at=now, updated_at=now)
    note_id = INSERT_NOTE.inserted_id(connection, values)
    if last_seen_at is None or (now - last_seen_at).total_seconds() > TOUCH_SECONDS:
        TOUCH.first(connection, {"table_id": table.id, "now": now})  # last activity, every ten seconds
    return connection, SimpleNamespace(id=note_id, suggested_point=None, deleted_at=None, **values)


def _refusal(table: Table | TableRef, cid: str) -> NoteResult | None:
    """Why a note cannot be added: the table is gone, or the event is closed (a resend still gets its ack).

    None when the table exists and the event is open.
    """
    status = db.session.scalar(select(Event.status).join(Table, Table.event_id == Event.id)
                               .where(Table.id == table.id))
    if status is None:
        raise ServiceError("table_removed", status=401)
    if status != "closed":
        return None
    existing = db.session.scalar(select(Note).where(Note.client_id == cid))
    if existing is not None:
        return _existing(table, existing)
    return _refuse_closed()


def _refuse_closed() -> NoReturn:
    """Refuse a change to a closed event."""
    raise ServiceError("event_closed", status=409)


def _existing(table: Table | TableRef, note: Note) -> NoteResult:
    """Answer a repeated add with the stored note, if it belongs to this table."""
    if note.table_id != table.id:
        raise ServiceError("client_id_taken", status=409, field="client_id")
    return NoteResult(note, None)
