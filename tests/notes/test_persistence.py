"""Persistence on both databases: notes, revisions, the change log and idempotency behave the same on
SQLite and PostgreSQL, and the migrations build exactly the schema the models describe."""
import uuid

import pytest
from sqlalchemy import func, select

from cafe.errors import ServiceError
from cafe.extensions import db
from cafe.models import Change, Note, NoteRevision, Table
from cafe.notes import capture, editing
from cafe.realtime import changes
from tests.support import run_together

pytestmark = pytest.mark.parametrize("db_url", ["sqlite", "postgresql"], indirect=True)


def _payload(text="Mentor till alla nyanställda", **extra):
    """A note payload with a fresh client id."""
    return {"client_id": str(uuid.uuid4()), "text": text, **extra}


def test_add_edit_delete_restore_keep_every_revision(app, demo):
    with app.app_context():
        table = db.session.get(Table, 1)
        added = capture.add(table, _payload("första"))
        editing.edit(table, {"id": added.note.id, "text": "andra", "level": "enhet"})
        editing.delete(table, {"id": added.note.id})
        editing.restore(table, {"id": added.note.id})
        note = db.session.get(Note, added.note.id)
        assert note.text == "andra" and note.level == "enhet" and note.deleted_at is None
        assert [(r.action, r.text) for r in note.revisions] == [
            ("edit", "första"), ("delete", "andra"), ("restore", "andra")]
        assert note.version == 4


def test_seq_grows_across_the_event_without_gaps(app, demo):
    with app.app_context():
        start = changes.sync_reply(1, 0)["last_seq"]
        for number in (1, 2, 3, 1):
            capture.add(db.session.get(Table, number), _payload())
        seqs = [c.seq for c in changes.since(1, start)]
        assert seqs == list(range(start + 1, start + 5))


def test_same_client_id_is_stored_once(app, demo):
    with app.app_context():
        table = db.session.get(Table, 1)
        payload = _payload()
        first, second = capture.add(table, payload), capture.add(table, payload)
        assert first.note.id == second.note.id and second.change is None
        assert db.session.scalar(select(func.count()).where(Note.client_id == payload["client_id"])) == 1


def test_refused_note_leaves_nothing_behind(app, demo):
    with app.app_context():
        before = (db.session.scalar(select(func.count(Note.id))), db.session.scalar(select(func.count(Change.id))))
        with pytest.raises(ServiceError):
            capture.add(db.session.get(Table, 1), _payload(level="chef"))
        db.session.rollback()
        after = (db.session.scalar(select(func.count(Note.id))), db.session.scalar(select(func.count(Change.id))))
        assert before == after


def test_concurrent_adds_get_distinct_seqs_and_resends_stay_single(app, demo):
    payloads = [_payload(f"samtidig {i}") for i in range(12)]
    errors = []

    def worker(chunk):
        with app.app_context():
            try:
                for payload in chunk:
                    capture.add(db.session.get(Table, 1 + len(payload["text"]) % 3), payload)
                    capture.add(db.session.get(Table, 1 + len(payload["text"]) % 3), payload)
            except Exception as error:  # collected and asserted below
                errors.append(error)
            finally:
                db.session.remove()

    run_together(worker, [(payloads[i::3],) for i in range(3)])
    assert errors == []
    with app.app_context():
        ids = [p["client_id"] for p in payloads]
        stored = db.session.scalars(select(Note).where(Note.client_id.in_(ids))).all()
        assert len(stored) == 12
        seqs = db.session.scalars(select(Change.seq).where(Change.event_id == 1)).all()
        assert len(seqs) == len(set(seqs))


def test_revisions_cascade_with_the_note(app, demo):
    with app.app_context():
        table = db.session.get(Table, 1)
        added = capture.add(table, _payload())
        editing.edit(table, {"id": added.note.id, "text": "ändrad"})
        db.session.delete(db.session.get(Note, added.note.id))
        db.session.commit()
        assert db.session.scalar(select(func.count()).where(NoteRevision.note_id == added.note.id)) == 0


def test_the_first_write_waits_for_another_process_lock_without_sqlites_busy_wait(app, tmp_path):
    """Under gevent a note waits for SQLite's write lock by retrying, so the process keeps serving."""
    import sqlite3
    import threading
    import time

    from sqlalchemy import text

    from cafe.storage import database
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("sqlite"):
        pytest.skip("SQLite's write lock only: PostgreSQL waits on a row lock, over a socket gevent can wait on")
    other = sqlite3.connect(url.split("///", 1)[1], isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    threading.Timer(0.3, lambda: other.execute("COMMIT")).start()
    attempts = []

    def work(connection):
        attempts.append(time.monotonic())
        return connection.execute(text("UPDATE events SET last_seq = last_seq WHERE id = -1")).rowcount
    with app.app_context():
        started = time.monotonic()
        assert database.first_write(work, cooperative=True) == 0
        db.session.commit()
        waited = time.monotonic() - started
        assert 0.25 <= waited < 5 and len(attempts) > 10
        busy = db.session.connection().exec_driver_sql("PRAGMA busy_timeout").scalar()
        assert busy == database.BUSY_TIMEOUT_MS
    other.close()


def test_a_lock_held_too_long_still_gives_up(app):
    import sqlite3

    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    from cafe.storage import database
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("sqlite"):
        pytest.skip("SQLite's write lock only: PostgreSQL waits on a row lock, over a socket gevent can wait on")
    other = sqlite3.connect(url.split("///", 1)[1], isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    with app.app_context():
        with pytest.raises(OperationalError):
            database.first_write(lambda c: c.execute(text("UPDATE events SET last_seq = last_seq")),
                                 patience=0.1, cooperative=True)
        db.session.rollback()
    other.execute("ROLLBACK")
    other.close()


def test_a_bare_connections_first_write_also_waits_for_another_process_lock(app, demo):
    """The note's own DB-API connection (no SQLAlchemy Connection) retries SQLite's write lock the same way."""
    import sqlite3
    import threading
    import time

    from cafe.storage import database
    from cafe.storage.prepared import BareConnection
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("sqlite"):
        pytest.skip("SQLite's write lock only: PostgreSQL waits on a row lock, over a socket gevent can wait on")
    other = sqlite3.connect(url.split("///", 1)[1], isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    threading.Timer(0.3, lambda: other.execute("COMMIT")).start()
    with app.app_context():
        connection = BareConnection.checkout(db.engine)
        try:
            started = time.monotonic()
            taken = database.first_write(lambda c: capture.TAKE_SEQ.first(c, {"event_id": 1, "table_id": 1}),
                                         cooperative=True, connection=connection)
            connection.commit()
            assert taken is not None and 0.25 <= time.monotonic() - started < 5
            busy = connection.dbapi.execute("PRAGMA busy_timeout").fetchone()[0]
            assert busy == database.BUSY_TIMEOUT_MS
        finally:
            connection.close()
    other.close()
