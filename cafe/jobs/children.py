"""What every child process of a server process shares: the settings it is handed and its low priority."""
import os

from flask import Flask

HANDED = ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY", "PUBLIC_URL", "POINT_MAPPER_DIR", "PII_MODE", "TIMEZONE",
          "INSTALLATION_NAME")
NICENESS = 10  # where SCHED_IDLE is not allowed, a child still yields the CPU to the server processes


def handed_config(app: Flask) -> dict:
    """The settings a child needs to work on the same data as its server process."""
    handed = {key: app.config.get(key) for key in HANDED if app.config.get(key) is not None}
    return {**handed, "SOCKETIO_ASYNC_MODE": "threading", "REDIS_URL": None}


def lower_priority(how: str | None = None) -> None:
    """Run only on CPU time the server processes leave: Linux's SCHED_IDLE, else a lower nice value.

    A niced process still runs for a while before a waking server process gets its core back; under
    SCHED_IDLE the server preempts it at once, so a pass never delays a note. Threads started later
    inherit the policy. `how` (else CHILD_PRIORITY, which children inherit from their server process)
    may ask for a nice value only (`low`) or for no change (`normal`).
    """
    how = how or os.environ.get("CHILD_PRIORITY") or "idle"
    if how == "normal":
        return
    if how == "idle":
        try:
            os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
            return
        except (AttributeError, OSError):  # not Linux, or not allowed: fall back on niceness
            pass
    try:
        os.nice(NICENESS)
    except OSError:  # not allowed here: run at the normal priority
        pass
