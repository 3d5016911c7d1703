"""Prepared statements on the DB-API cursor store and read values as SQLAlchemy's own path does, on
SQLite and PostgreSQL, and raise SQLAlchemy's errors (a dropped connection invalidated)."""
from datetime import timedelta

import pytest
from sqlalchemy import bindparam, select, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from cafe.extensions import db
from cafe.models import Change, Event, Table, utcnow
from cafe.notes import capture
from cafe.realtime import changes
from cafe.storage.prepared import BareConnection, Prepared, _Compiled

BOTH = pytest.mark.parametrize("db_url", ["sqlite", "postgresql"], indirect=True)


@BOTH
def test_a_change_reads_back_as_written(app, demo):
    written = {"event_id": demo["event_id"], "seq": 10**6, "type": "note:added", "table_id": None,
               "payload": {"note": {"text": "Åäö \"citat\" <b>", "starred": False, "tal": 1.5}},
               "created_at": utcnow()}
    with app.app_context():
        changes.INSERT.first(db.session.connection(), written)
        db.session.commit()
        stored = db.session.scalar(select(Change).where(Change.seq == 10**6))
        assert {key: getattr(stored, key) for key in written} == written
        assert stored.created_at.tzinfo is not None


def _table_seen_a_while_ago():
    """Table 1 last seen 30 s ago, committed; returns that time (a column TAKE_SEQ returns)."""
    seen = utcnow() - timedelta(seconds=30)
    db.session.get(Table, 1).last_seen_at = seen
    db.session.commit()
    return seen


@BOTH
def test_returned_columns_go_through_their_result_processors(app, demo):
    with app.app_context():
        seen = _table_seen_a_while_ago()
        seq, round_id, last_seen_at = capture.TAKE_SEQ.first(db.session.connection(),
                                                           {"event_id": demo["event_id"], "table_id": 1})
        db.session.rollback()
        assert last_seen_at == seen and last_seen_at.utcoffset() == timedelta(0)
        assert isinstance(seq, int) and isinstance(round_id, int)


@BOTH
def test_no_row_when_the_statement_matches_nothing(app, demo):
    with app.app_context():
        assert capture.TAKE_SEQ.first(db.session.connection(), {"event_id": demo["event_id"], "table_id": 999}) is None
        db.session.rollback()


@BOTH
def test_a_fixed_parameter_keeps_its_value(app, demo):
    first_two = Prepared(select(Table.number).where(Table.event_id == bindparam("event_id"))
                         .order_by(Table.number).limit(2).offset(1), ("event_id",))
    with app.app_context():
        assert first_two.first(db.session.connection(), {"event_id": demo["event_id"]}) == (2,)


@BOTH
def test_a_duplicate_raises_sqlalchemys_integrity_error(app, demo):
    row = {"event_id": demo["event_id"], "seq": 1, "type": "note:added", "table_id": None, "payload": {},
           "created_at": utcnow()}
    with app.app_context():
        with pytest.raises(IntegrityError):
            changes.INSERT.first(db.session.connection(), row)  # the demo's seq 1 exists
        db.session.rollback()
        assert db.session.scalar(select(Change.type).where(Change.seq == 1)) is not None


@BOTH
def test_unknown_parameter_names_are_refused(app):
    statement = Prepared(update(Change.__table__).values(type=bindparam("kind")), ("kind", "nope"))
    with app.app_context(), pytest.raises(ValueError, match="nope"):
        statement.first(db.session.connection(), {"kind": "x", "nope": 1})


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_a_dropped_connection_is_invalidated_and_the_next_one_works(app, demo):
    with app.app_context():
        connection = db.session.connection()
        pid = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar()
        with db.engine.connect() as other:
            other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        with pytest.raises(DBAPIError) as raised:
            capture.TAKE_SEQ.first(connection, {"event_id": demo["event_id"], "table_id": 1})
        assert raised.value.connection_invalidated
        db.session.rollback()
        taken = capture.TAKE_SEQ.first(db.session.connection(), {"event_id": demo["event_id"], "table_id": 1})
        db.session.rollback()
        assert taken is not None


def own_connection(kind: str):
    """A connection of its own: SQLAlchemy's, or a bare DB-API one from the pool."""
    return db.engine.connect() if kind == "connection" else BareConnection.checkout(db.engine)


@BOTH
@pytest.mark.parametrize("kind", ["connection", "bare"])
def test_on_a_connection_of_its_own_the_commit_keeps_it_and_a_close_without_commit_drops_it(app, demo, kind):
    def row(seq):
        return {"event_id": demo["event_id"], "seq": seq, "type": "note:added", "table_id": None,
                "payload": {"note": {"text": "Åäö"}}, "created_at": utcnow()}
    with app.app_context():
        connection = own_connection(kind)
        changes.INSERT.first(connection, row(10**6))
        connection.commit()
        connection.close()
        connection = own_connection(kind)
        changes.INSERT.first(connection, row(10**6 + 1))
        connection.close()
        stored = db.session.scalars(select(Change).where(Change.seq >= 10**6)).all()
        assert [(c.seq, c.payload) for c in stored] == [(10**6, {"note": {"text": "Åäö"}})]
        assert stored[0].created_at.tzinfo is not None


@BOTH
def test_a_bare_connection_reads_rows_and_raises_sqlalchemys_errors(app, demo):
    with app.app_context():
        seen = _table_seen_a_while_ago()
        connection = BareConnection.checkout(db.engine)
        try:
            seq, round_id, last_seen_at = capture.TAKE_SEQ.first(connection, {"event_id": demo["event_id"],
                                                                             "table_id": 1})
            assert last_seen_at == seen and isinstance(seq, int) and isinstance(round_id, int)
            with pytest.raises(IntegrityError):  # the demo's seq 1 exists
                changes.INSERT.first(connection, {"event_id": demo["event_id"], "seq": 1, "type": "note:added",
                                                  "table_id": None, "payload": {}, "created_at": utcnow()})
        finally:
            connection.close()  # rolled back: the seq taken above is not kept
        assert db.session.scalar(select(Event.last_seq).where(Event.id == demo["event_id"])) == seq - 1


def test_equal_types_share_one_processor_and_one_value_is_processed_once(app):
    with app.app_context():
        processors = dict(capture.INSERT_NOTE._compile(db.engine.dialect).binds)
    assert processors["created_at"] is processors["updated_at"]
    calls = []

    def stamp(value):
        calls.append(value)
        return str(value)
    compiled = _Compiled("", ("a", "b", "c"), True, {}, (("a", stamp), ("b", stamp)), ())
    now = utcnow()
    assert compiled.arguments({"a": now, "b": now, "c": 1}) == (str(now), str(now), 1)
    assert calls == [now]
