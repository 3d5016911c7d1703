"""Helpers for tests: PostgreSQL scratch databases, free ports, and the demo's café under way."""
import socket
import threading
import uuid
from datetime import timedelta

import pytest

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"


def pg_available() -> bool:
    """True when the local PostgreSQL answers."""
    try:
        import psycopg
        with psycopg.connect(PG_ADMIN, connect_timeout=2):
            return True
    except Exception:  # any failure means: not available here
        return False


def fresh_pg_database() -> str:
    """Create an empty database for one test and return its SQLAlchemy URL."""
    if not pg_available():
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432 (user postgres)")
    import psycopg
    name = f"dialogcafe_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


def drop_pg_database(url: str) -> None:
    """Drop a database made by fresh_pg_database."""
    import psycopg
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_together(target, argument_tuples: list[tuple]) -> None:
    """Run `target(*args)` for every tuple at the same time, each in a thread, and wait for all."""
    threads = [threading.Thread(target=target, args=args) for args in argument_tuples]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def running_children(pid: int, module: str) -> list:
    """The living (not zombie) child processes of `pid` whose command line names `module`."""
    import psutil
    found = []
    for child in psutil.Process(pid).children():
        try:
            if child.status() != psutil.STATUS_ZOMBIE and module in " ".join(child.cmdline()):
                found.append(child)
        except psutil.Error:  # ended meanwhile
            pass
    return found


CAFE_KEYS = ("event_id", "facilitator_url", "projector_url", "tables")


def held_cafe_under_way(info: dict) -> dict:
    """Put the demo's held café back into its last round (in the current app context) and return the
    demo's links with their top-level café keys naming it.

    Most tests need one café under way with tables to join, notes, themes to build and actions to
    export; the demo has them on its held café, which is closed, while its planned café has no notes
    yet. So the tests' "demo café" is the held café as it was in its last round.
    """
    from cafe.extensions import db
    from cafe.models import Event, utcnow
    event = db.session.get(Event, info["held"]["event_id"])
    event.status, event.closed_at = "live", None
    last = event.rounds[-1]
    last.started_at, last.ended_at = utcnow() - timedelta(minutes=5), None
    db.session.commit()
    return {**info, **{key: info["held"][key] for key in CAFE_KEYS}}


def redis_available(url: str = "redis://127.0.0.1:6379/0") -> bool:
    """True when the local Redis answers a ping."""
    import redis
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


def socket_client(**options):
    """A python-socketio client whose disconnect does not stall: it still sends its DISCONNECT and CLOSE
    packets and the websocket close frame, but waits 0.2 s (plenty on loopback), not websocket-client's 3 s,
    for the server's close frame, which the client's own reader thread takes first anyway."""
    import functools

    import engineio
    import socketio

    class QuickCloseEngineIO(engineio.Client):
        def disconnect(self, abort=False, reason=None):
            if self.state == "connected" and self.current_transport == "websocket" and self.ws is not None:
                self.ws.close = functools.partial(self.ws.close, timeout=0.2)
            super().disconnect(abort=abort, reason=reason)

    class Client(socketio.Client):
        def _engineio_client_class(self):
            return QuickCloseEngineIO

    return Client(**options)
