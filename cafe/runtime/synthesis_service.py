"""The synthesis service: one process that runs the live synthesis passes of every café.

Clustering and mapping are CPU work. Run inside a server process, they would hold the interpreter
while notes wait, so they run in a process of their own, at a lower priority:

- `flask serve` and a lone gunicorn process start it as a child (`SYNTHESIS_WORKER=process`). The
  child reads event ids to look at from its stdin and writes what to broadcast to its stdout, one
  JSON line each; the server process relays the lines to the consoles. The child ends when its stdin
  closes, that is when the server process is gone.
- With several server processes, run exactly one service for them all
  (`flask --app cafe synthesis`, and `SYNTHESIS_WORKER=external` in the server processes); it
  broadcasts through the Redis message queue of `REDIS_URL`.

Either way the service also watches the change log, so every committed note, edit and curation
reaches a pass even when no server process asked for one.
"""
import contextlib
import json
import logging
import os
import queue
import signal
import sys
import threading
import time
from collections.abc import Callable
from datetime import timedelta

from flask import Flask
from sqlalchemy import case, event, func, select
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db
from ..models import Change, utcnow
from ..realtime import protocol
from ..realtime.broadcast import CONSOLES, PROJECTORS, TABLES

log = logging.getLogger(__name__)
POLL = 0.25  # how often the change log is read for events with news
DEBOUNCE = 0.15  # notes that arrive together make one pass
RETRY = 2.0
SPACING = 3.0  # after a pass of T seconds, the event rests at least SPACING * T (synthesis keeps to ~1/4 of a core)
MIN_GAP = 0.5  # and two passes of one event start at least this far apart (a note waits at most ~0.7 s)
PASS_RATE = 10.0  # passes a second shared by the busy events: with many cafés at once each waits longer
# and the passes of all busy events keep to a share of a core (SYNTHESIS_CPU_PERCENT), which
SHARE_GAP_MAX = 10.0  # never spaces a café's passes further apart than this (one huge pass
# raises the average for every café until later passes bring it down)
BUSY_WINDOW = 5.0  # an event with a pass this recently counts as busy
REFIT_SECONDS = 60  # hosts confirm points all the time; refit the mapper at most this often per event
CATCH_UP = timedelta(days=1)  # at start, events changed this recently get a pass if they need one
PACE_SHARE = 0.25  # a long pass runs on at most this share of a core (or SYNTHESIS_CPU_PERCENT, if more)
PACE_SLICE = 0.02  # CPU seconds between two rests of a long pass
PACE_AFTER = 0.5  # CPU seconds a pass runs unpaced: small passes (most of them) are never slowed

# A message: (event name, message, event id, audience: CONSOLES, PROJECTORS, or TABLES with a message
# per table id)
Emit = Callable[..., None]


class Service:
    """Due events, the change-log watch and the passes, run in one loop."""

    def __init__(self, app: Flask, emit: Emit):
        self.app = app
        self.emit = emit
        self.nudges: queue.Queue[int] = queue.Queue()
        self.due: dict[int, float] = {}
        self.rest_until: dict[int, float] = {}
        self.last_pass: dict[int, float] = {}
        self.last_change: int | None = None
        self.fitting: set[str] = set()
        self.last_fit: dict[int, float] = {}
        self.passes = 0
        self.share = app.config["SYNTHESIS_CPU_PERCENT"] / 100
        self.pass_cpu = 0.0  # CPU seconds of a pass, a moving average
        self.pacer = Pacer(max(self.share, PACE_SHARE))

    # ------------------------------------------------------------------ scheduling
    def schedule(self, event_id: int, delay: float = DEBOUNCE) -> None:
        """Ask for a pass of the event soon (several requests in a row make one pass)."""
        self.due.setdefault(event_id, max(time.monotonic() + delay, self.rest_until.get(event_id, 0.0)))

    def nudge(self, event_id: int) -> None:
        """Thread-safe: a server process asks for a pass of this event."""
        self.nudges.put(event_id)

    def watch(self) -> None:
        """Schedule every event whose change log grew since the last look (own updates aside)."""
        with self.app.app_context():
            try:
                newest = db.session.scalar(select(func.max(Change.id))) or 0
                if self.last_change is not None and newest > self.last_change:
                    events = db.session.scalars(select(Change.event_id).distinct().where(
                        Change.id > self.last_change, Change.id <= newest,
                        Change.type != protocol.SYNTHESIS_UPDATED))
                    for event_id in events:
                        self.schedule(event_id)
                elif self.last_change is None:
                    self.catch_up()
                self.last_change = newest
            except SQLAlchemyError:
                log.warning("reading the change log failed; trying again", exc_info=True)
                db.session.rollback()
            finally:
                db.session.remove()

    def catch_up(self) -> None:
        """At start: schedule events changed in the last day after their last synthesis update.

        Notes may have arrived while no service ran (or while this one was starting).
        """
        other = func.max(case((Change.type != protocol.SYNTHESIS_UPDATED, Change.id)))
        synthesized = func.max(case((Change.type == protocol.SYNTHESIS_UPDATED, Change.id)))
        rows = db.session.execute(select(Change.event_id, other, synthesized)
                                  .where(Change.created_at >= utcnow() - CATCH_UP).group_by(Change.event_id))
        for event_id, latest, done in rows:
            if latest is not None and latest > (done or 0):
                self.schedule(event_id)

    def step(self, timeout: float = POLL) -> None:
        """Wait for a nudge or the next due pass (at most `timeout`), then run what is due."""
        wait = min([timeout] + [t - time.monotonic() for t in self.due.values()])
        try:
            self.schedule(self.nudges.get(timeout=max(wait, 0.0)))
            while True:
                self.schedule(self.nudges.get_nowait())
        except queue.Empty:
            pass
        now = time.monotonic()
        for event_id in [e for e, t in self.due.items() if t <= now]:
            self.due.pop(event_id, None)
            self.run(event_id)

    def forever(self) -> None:
        """Watch the change log and run passes until the process ends."""
        next_watch = 0.0
        while True:
            if time.monotonic() >= next_watch:
                self.watch()
                next_watch = time.monotonic() + POLL
            self.step(max(next_watch - time.monotonic(), 0.0))

    # ------------------------------------------------------------------ passes
    def run(self, event_id: int) -> None:
        """One pass, then a rest in proportion to its length."""
        started, cpu = time.monotonic(), time.thread_time()
        try:
            with self.pacer.pass_running():
                self._run(event_id)
        finally:
            finished, cpu = time.monotonic(), time.thread_time() - cpu
            self.pass_cpu = cpu if not self.passes else 0.8 * self.pass_cpu + 0.2 * cpu
            self.passes += 1
            self.last_pass[event_id] = finished
            self.rest_until[event_id] = max(finished + SPACING * (finished - started), started + self.gap(finished))

    def gap(self, now: float) -> float:
        """Seconds between the starts of two passes of one event: `MIN_GAP`, longer when more events are
        busy than `PASS_RATE` passes a second can serve that often, or than the service's share of a
        core (`SYNTHESIS_CPU_PERCENT`) pays for at the CPU time a pass has been taking. Each pass has a
        fixed cost (queries, messages to every console, projector and table with news), so twenty cafés
        at once get fewer, larger passes each instead of keeping the service and the servers' fan-out
        busy: even at the lowest priority, work on the second core slows the first on a small machine."""
        busy = sum(1 for t in self.last_pass.values() if now - t < BUSY_WINDOW)
        return max(MIN_GAP, busy / PASS_RATE, min(SHARE_GAP_MAX, busy * self.pass_cpu / self.share))

    def _run(self, event_id: int) -> None:
        """One pass with its state shown on the consoles; a failed pass is retried later.

        A pass that only adds new notes takes milliseconds, so only one that reads every note says
        beforehand that it is updating; afterwards consoles get the state with the change (or alone
        when nothing changed), projectors the change without what they do not show.
        """
        from ..synthesis import passes
        with self.app.app_context():
            try:
                if passes.reads_everything(event_id):  # may take seconds: show that it runs
                    self.emit(protocol.SYNTHESIS_STATE, {**passes.status(event_id), "state": "updating"},
                              event_id, CONSOLES)
                    db.session.commit()
                result = passes.run_pass(event_id, fit_later=self.fit_later)
                if result is not None:
                    if result.change is not None:  # consoles get the state with the change
                        message = result.change.to_message()
                        self.emit(result.change.type, {**message, "state": result.state}, event_id, CONSOLES)
                        self.emit(result.change.type, passes.for_projectors(message), event_id, PROJECTORS)
                    else:
                        self.emit(protocol.SYNTHESIS_STATE, result.state, event_id, CONSOLES)
                    if result.by_table:  # each table with news its own suggestions, in one message
                        self.emit(protocol.SYNTHESIS_SUGGESTED,
                                  {str(table_id): {"suggested": pairs} for table_id, pairs in result.by_table.items()},
                                  event_id, TABLES)
            except SQLAlchemyError:
                db.session.rollback()
                log.warning("synthesis pass of event %s failed; retrying", event_id, exc_info=True)
                self.schedule(event_id, RETRY)
            except Exception:  # the service must survive whatever the notes contain
                db.session.rollback()
                log.exception("synthesis pass of event %s failed", event_id)
                self.emit(protocol.SYNTHESIS_STATE, {"state": "failed", "pending": None}, event_id, CONSOLES)
            finally:
                db.session.remove()

    def fit_later(self, event_id: int, key: str, spec: dict, texts: list, labels: list, path) -> None:
        """Fit a new mapper in a thread; the event keeps its current mapper meanwhile."""
        from ..points import learning
        if key in self.fitting or time.monotonic() - self.last_fit.get(event_id, -REFIT_SECONDS) < REFIT_SECONDS:
            return
        self.fitting.add(key)
        self.last_fit[event_id] = time.monotonic()

        def job():
            try:
                with self.app.app_context():
                    learning.fit(key, spec, texts, labels, path)
            except Exception:  # a failed fit keeps the old mapper
                log.exception("fitting the point mapper failed")
            finally:
                self.fitting.discard(key)
            self.nudge(event_id)
        threading.Thread(target=job, name="cafe-fit", daemon=True).start()


class Pacer:
    """Keeps a long pass to a share of a core: after each slice of CPU time it rests a while.

    The service runs at the lowest priority, yet on a small machine its work on one core still
    slows the server process on the other (shared caches and hyper-threads), and one big pass
    (20,000 notes read at once) would do so for seconds without a break. Once a pass has used
    `PACE_AFTER` CPU seconds, a profiling timer interrupts it every `PACE_SLICE` of CPU time and it
    sleeps for as long as keeps it to its share. It never rests inside a write transaction, where
    a server process may be waiting for SQLite's write lock. Only the main thread rests; `install`
    is called by the service's entry points, never in tests.
    """

    def __init__(self, share: float):
        self.rest = PACE_SLICE * (1 - share) / share
        self.since: float | None = None  # the pass's thread time at its start, None between passes
        self.writing = False

    def install(self, engine) -> None:
        """Start the timer and follow the engine's write transactions."""
        if self.rest <= 0 or not hasattr(signal, "setitimer"):
            return
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine, "commit", self._ended)
        event.listen(engine, "rollback", self._ended)
        signal.signal(signal.SIGPROF, self._tick)
        signal.setitimer(signal.ITIMER_PROF, PACE_SLICE, PACE_SLICE)

    @contextlib.contextmanager
    def pass_running(self):
        """Mark the time of one pass, the only time the pacer rests."""
        self.since = time.thread_time()
        try:
            yield
        finally:
            self.since = None

    def _statement(self, _conn, _cursor, statement: str, *_args) -> None:
        """Note when a transaction starts writing (it holds SQLite's write lock until it ends)."""
        if not self.writing and statement.lstrip()[:6].upper() not in ("SELECT", "PRAGMA"):
            self.writing = True

    def _ended(self, _conn) -> None:
        """A transaction ended."""
        self.writing = False

    def _tick(self, _signum, _frame) -> None:
        """The timer: rest when a long pass is running outside a write transaction."""
        since = self.since
        if since is not None and not self.writing and time.thread_time() - since > PACE_AFTER:
            time.sleep(self.rest)


# ---------------------------------------------------------------------- outputs
class PipeOut:
    """Child of one server process: each message is a JSON line on stdout for the parent to relay."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout
        self.lock = threading.Lock()

    def __call__(self, name: str, message: dict, event_id: int, audience: str) -> None:
        """Write one message line."""
        line = json.dumps({"name": name, "message": message, "event_id": event_id, "audience": audience},
                          ensure_ascii=False, default=str)
        with self.lock:
            self.stream.write(line + "\n")
            self.stream.flush()


def queue_out(name: str, message: dict, event_id: int, audience: str) -> None:
    """Standalone service: broadcast through the Redis message queue to every server process."""
    from ..realtime.broadcast import relay
    relay(name, message, event_id, audience)


def read_nudges(service: Service, stream, on_end: Callable[[], None] = lambda: os._exit(0)) -> None:
    """Child: turn stdin lines (event ids) into nudges; end the process when stdin closes."""
    for line in stream:
        if line.strip().isdigit():
            service.nudge(int(line))
    on_end()  # the server process is gone: so is its synthesis


# ---------------------------------------------------------------------- entry points
def child_config() -> dict:
    """The app configuration a server process handed its child, from the environment."""
    raw = os.environ.get("DIALOGCAFE_SYNTHESIS_CONFIG")
    return json.loads(raw) if raw else {}


def run_child(app: Flask, out: PipeOut) -> None:
    """As the child of a server process: nudges from stdin, messages to `out` (its stdout)."""
    service = Service(app, out)
    with app.app_context():
        service.pacer.install(db.engine)
    threading.Thread(target=read_nudges, args=(service, sys.stdin), name="cafe-nudges", daemon=True).start()
    service.forever()


def run_standalone(app: Flask) -> None:
    """For several server processes: broadcast through Redis; needs REDIS_URL."""
    if not app.config.get("REDIS_URL"):
        raise SystemExit("Syntestjänsten behöver REDIS_URL för att nå serverprocesserna "
                         "(The synthesis service needs REDIS_URL to reach the server processes).")
    service = Service(app, queue_out)
    with app.app_context():
        service.pacer.install(db.engine)
    service.forever()
