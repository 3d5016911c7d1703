"""The server process's side of the live synthesis: its synthesis child and the broadcasts.

The passes run in the synthesis service (`cafe.runtime.synthesis_service`), a process of its own, so the
CPU work of clustering never holds up a note. A server process started with `SYNTHESIS_WORKER=process`
(the default of `flask serve`) starts the service as its child and relays what it reports; with
`external`, one service shared by several server processes broadcasts through Redis itself.
"""
import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

from flask import Flask

from ..extensions import socketio
from ..realtime.broadcast import relay
from . import children

log = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parents[2]
NUDGE_GAP = 0.1  # seconds between two requests for the same event
RESTART_SECONDS = 2.0


class Child:
    """The synthesis service (`cafe.runtime.synthesis_service`) as a child process of this server process.

    Event ids go to the child's stdin, the messages it wants broadcast come back as JSON lines on its
    stdout and are emitted here. A child that dies is started again.
    """

    def __init__(self, app: Flask):
        self.app = app
        self.process: subprocess.Popen | None = None
        self.last_nudge: dict[int, float] = {}

    def start(self) -> None:
        """Start the child and the task that relays its messages."""
        env = {**os.environ, "PYTHONUNBUFFERED": "1",
               "DIALOGCAFE_SYNTHESIS_CONFIG": json.dumps(children.handed_config(self.app))}
        self.process = subprocess.Popen([sys.executable, "-m", "cafe.runtime", "synthesis", "--child"],
                                        cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        socketio.start_background_task(self._relay, self.process)

    def nudge(self, event_id: int) -> None:
        """Ask the child for a pass of the event (at most once per NUDGE_GAP; it watches notes itself)."""
        now = time.monotonic()
        if self.process is None or now - self.last_nudge.get(event_id, -NUDGE_GAP) < NUDGE_GAP:
            return
        self.last_nudge[event_id] = now
        try:
            self.process.stdin.write(f"{event_id}\n".encode())
            self.process.stdin.flush()
        except (OSError, ValueError):  # the child is restarting; its change-log watch catches up
            pass

    def _relay(self, process: subprocess.Popen) -> None:
        """Emit every message the child writes; start a new child when this one ends."""
        for line in process.stdout:
            try:
                message = json.loads(line)
                relay(message["name"], message["message"], int(message["event_id"]), message["audience"])
            except (ValueError, KeyError, TypeError, AttributeError):
                log.warning("unreadable message from the synthesis service: %r", line[:200])
            socketio.sleep(0)  # a pass reports many messages at once: let notes through between them
        process.wait()
        log.warning("the synthesis service ended with %s; starting it again", process.returncode)
        socketio.sleep(RESTART_SECONDS)
        self.start()


def mode(app: Flask) -> str:
    """How this app gets its synthesis: `process` (a child), `external` (one shared service) or `off`."""
    value = app.config.get("SYNTHESIS_WORKER", "process")
    return value if value in ("process", "external") else "off"


def schedule(app: Flask, event_id: int) -> None:
    """Ask for a pass of the event soon, when this process has a synthesis child.

    The service watches the change log, so this only makes explicit requests (a console asking
    for the state, a curation) faster; without a child it does nothing.
    """
    child = app.extensions.get("synthesis_child")
    if child is not None:
        child.nudge(event_id)


def start(app: Flask) -> None:
    """Called by a server process at start: start the synthesis child when the mode asks for one."""
    if mode(app) == "process" and "synthesis_child" not in app.extensions:
        app.extensions["synthesis_child"] = Child(app)
        app.extensions["synthesis_child"].start()
