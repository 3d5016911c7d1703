"""Database setup: SQLite pragmas, waiting for SQLite's write lock, the note's engine."""
import sys
import time

from flask import Flask, current_app
from sqlalchemy import create_engine, event, inspect
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, OperationalError

from ..extensions import db
from .prepared import BareConnection

BUSY_TIMEOUT_MS = 10000
LOCK_RETRY_SECONDS = 0.002


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    """WAL, a busy timeout and foreign keys for every SQLite connection."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def _cooperative_sqlite(connection: Connection | BareConnection, cooperative: bool | None):
    """The raw SQLite connection when waiting for its write lock must not freeze the process, else None.

    Under gevent SQLite's own busy wait sleeps in C and every greenlet of the process waits with it;
    that matters when another process (the synthesis service) writes to the same file.
    """
    if connection.dialect.name != "sqlite":
        return None
    if cooperative is None:
        monkey = sys.modules.get("gevent.monkey")
        cooperative = monkey is not None and monkey.is_module_patched("time")
    if not cooperative:
        return None
    pooled = connection.dbapi if isinstance(connection, BareConnection) else connection.connection
    return pooled.dbapi_connection


def first_write(work, patience: float = BUSY_TIMEOUT_MS / 1000, cooperative: bool | None = None,
                connection: Connection | BareConnection | None = None):
    """Run `work(connection)`, the first write of a transaction, and return its result.

    The transaction is the session's unless a connection of its own is given. On SQLite under
    gevent the write lock is asked for without SQLite's busy wait: when another process holds it,
    the transaction is rolled back and tried again after a cooperative sleep, so the process keeps
    serving its sockets meanwhile. Elsewhere `work` simply runs.
    """
    deadline = time.monotonic() + patience
    while True:
        current = connection if connection is not None else db.session.connection()
        raw = _cooperative_sqlite(current, cooperative)
        if raw is None:
            return work(current)
        raw.execute("PRAGMA busy_timeout=0")
        try:
            return work(current)
        except OperationalError as error:
            if "locked" not in str(error.orig).lower() or time.monotonic() > deadline:
                raise
        finally:
            raw.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        if connection is not None:
            connection.rollback()
        else:
            db.session.rollback()
        time.sleep(LOCK_RETRY_SECONDS)


def note_engine() -> Engine:
    """The app's engine for the note hot path on a server database: autocommit, checkouts not pinged.

    Its statements commit by themselves, so a note needs no BEGIN and COMMIT, and no ping before
    it (see notes._write_at_once for what happens to a connection that was dropped). It shares the
    main engine's URL and pool sizes and lives as long as the app (`dispose_note_engine` closes it).
    """
    engine = current_app.extensions.get("note_engine")
    if engine is None:
        options = {**current_app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}), "pool_pre_ping": False}
        engine = create_engine(db.engine.url, isolation_level="AUTOCOMMIT", **options)
        current_app.extensions["note_engine"] = engine
    return engine


def dispose_note_engine(app: Flask) -> None:
    """Close the note engine's connections (tests that drop their database, and shutdowns)."""
    engine = app.extensions.pop("note_engine", None)
    if engine is not None:
        engine.dispose()


def init_app(app: Flask) -> None:
    """Nothing touches the database at import; this only wires teardown."""
    @app.teardown_appcontext
    def _remove_session(_exc):
        db.session.remove()


MIGRATE_FIRST = "kör först: flask --app cafe db upgrade"


def problem(error: DBAPIError) -> str:
    """One line saying what is wrong with the database, and what to run or set."""
    reason = str(error.orig).strip().splitlines()[0] if str(error.orig).strip() else type(error.orig).__name__
    if "no such table" in reason or ("relation" in reason and "does not exist" in reason):
        return f"Databasen har inga tabeller än ({reason}): {MIGRATE_FIRST}"
    return f"Databasen går inte att använda ({reason}): kontrollera DATABASE_URL"


def schema_problem() -> str | None:
    """Why the app's database cannot be used yet (unreachable, never migrated), or None when it can."""
    try:
        if inspect(db.engine).has_table("events"):
            return None
    except DBAPIError as error:
        return problem(error)
    return f"Databasen har inga tabeller än: {MIGRATE_FIRST}"
