"""SQLite's WAL checkpoints in a native thread of the server process, off its event loop.

By default SQLite copies the write-ahead log back into the database file inside the commit that
fills it past 1,000 pages, and with `synchronous=NORMAL` that copy ends with an fsync. On a busy
café that is a commit every few hundred milliseconds that takes 5 to 10 ms, and under gevent every
socket of the process waits for it. A server process on SQLite therefore turns the automatic
checkpoint off for its own connections and runs a PASSIVE checkpoint every `INTERVAL` seconds in a
native thread, which SQLite lets run beside the writers: the event loop only hands the work over.
Other processes (the synthesis service, Flask commands, tests) keep SQLite's automatic checkpoint.
"""
import logging
import sqlite3
import sys
from collections.abc import Callable

from flask import Flask
from sqlalchemy import event

from ..extensions import db, socketio

log = logging.getLogger(__name__)
INTERVAL = 1.0  # seconds between checkpoints; a busy café writes a few hundred pages a second
# What the loop did last in this process: how many checkpoints ran and the result of the latest one,
# SQLite's (busy, log pages, copied pages); the log is reused from its start once copied == pages.
progress = {"runs": 0, "last": None}


def _no_autocheckpoint(dbapi_connection, _record) -> None:
    """A new connection of the server's engine leaves checkpoints to the checkpoint thread."""
    dbapi_connection.execute("PRAGMA wal_autocheckpoint=0")


def checkpoint(path: str, connection: sqlite3.Connection | None = None) -> tuple[int, int, int]:
    """Run one PASSIVE checkpoint of the database file; returns SQLite's (busy, log pages, copied pages).

    PASSIVE never waits for a lock and never blocks a writer: what it cannot copy now, the next one does.
    """
    own = connection or sqlite3.connect(path, check_same_thread=False)
    try:
        return tuple(own.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone())
    finally:
        if connection is None:
            own.close()


def _run_in_native_thread(work):
    """Run `work()` where it cannot stop the event loop: in gevent's native thread pool under gevent."""
    monkey = sys.modules.get("gevent.monkey")
    if monkey is not None and monkey.is_module_patched("threading"):
        import gevent
        return gevent.get_hub().threadpool.apply(work)
    return work()  # a threading-mode background task is a native thread already


def _forever(path: str, running: list[bool], interval: float) -> None:
    """Checkpoint every `interval` seconds while `running[0]` holds (for the process's life in a server)."""
    connection = sqlite3.connect(path, check_same_thread=False)
    try:
        while running[0]:
            socketio.sleep(interval)
            try:
                progress["last"] = _run_in_native_thread(lambda: checkpoint(path, connection))
                progress["runs"] += 1
            except sqlite3.Error:  # the file is being replaced or is locked for long: try again later
                log.warning("WAL checkpoint failed", exc_info=True)
    finally:
        connection.close()


def start(app: Flask, interval: float = INTERVAL) -> Callable[[], None] | None:
    """In a server process on SQLite: take over the checkpoints from the connections.

    Returns a function that stops the checkpoints (None on other databases, where there is nothing to do).
    """
    with app.app_context():
        url = db.engine.url
        if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
            return None
        event.listen(db.engine, "connect", _no_autocheckpoint)
        db.engine.dispose()  # connections opened so far would still checkpoint by themselves
    running = [True]
    socketio.start_background_task(_forever, url.database, running, interval)
    return lambda: running.__setitem__(0, False)
