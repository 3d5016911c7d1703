"""Prepared statements on the DB-API cursor store and read values as SQLAlchemy's own path does, on
SQLite and PostgreSQL, and raise SQLAlchemy's errors (a dropped connection invalidated)."""
from datetime import timedelta

import pytest
from sqlalchemy import bindparam, select, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from cafe.extensions import db
from cafe.models import Change, Table, utcnow
from cafe.notes import capture
from cafe.realtime import changes
from cafe.storage.prepared import Prepared

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


@BOTH
def test_returned_columns_go_through_their_result_processors(app, demo):
    seen = utcnow() - timedelta(seconds=30)
    with app.app_context():
        db.session.get(Table, 1).last_seen_at = seen
        db.session.commit()
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


@BOTH
def test_on_a_connection_of_its_own_the_commit_keeps_it_and_a_close_without_commit_drops_it(app, demo):
    def row(seq):
        return {"event_id": demo["event_id"], "seq": seq, "type": "note:added", "table_id": None,
                "payload": {}, "created_at": utcnow()}
    with app.app_context():
        with db.engine.connect() as connection:
            changes.INSERT.first(connection, row(10**6))
            connection.commit()
        with db.engine.connect() as connection:
            changes.INSERT.first(connection, row(10**6 + 1))
        stored = set(db.session.scalars(select(Change.seq).where(Change.seq >= 10**6)))
        assert stored == {10**6}
