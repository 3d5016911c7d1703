"""Runs synthesis passes in the background, per process, so socket traffic never waits for them.

Committed note changes schedule a pass for their event; a short debounce gathers notes that arrive
together. Under gevent the pass itself runs in a greenlet and its CPU work (clustering, mapping,
fitting a mapper) in gevent's pool of real threads; under threading it runs in a background thread.
The mechanism is small on purpose and can be swapped for a shared job runner later.
"""
import logging
import threading
import time

from flask import Flask
from sqlalchemy import event as sa_event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from . import protocol
from .extensions import db, socketio
from .models import Note
from .services import point_learning, synthesis

log = logging.getLogger(__name__)
DEBOUNCE = 0.15
RETRY = 2.0
SPACING = 3.0  # after a pass of T seconds, wait at least SPACING * T: synthesis keeps to a share of the CPU
REFIT_SECONDS = 60  # hosts confirm points all the time; refit the mapper at most this often per event


def emit_to_staff(name: str, message: dict, event_id: int, projector: bool = True) -> None:
    """Send to the event's consoles (and projectors); host pages get event-wide changes on `sync`."""
    namespaces = (protocol.FACILITATOR_NS, protocol.PROJECTOR_NS) if projector else (protocol.FACILITATOR_NS,)
    for namespace in namespaces:
        socketio.emit(name, message, to=protocol.event_room(event_id), namespace=namespace)


def broadcast_change(change) -> None:
    """Broadcast a recorded event-wide change to consoles and projectors."""
    if change is not None:
        kind, event_id, _table = change.route()
        emit_to_staff(kind, change.to_message(), event_id)


class SynthesisWorker:
    """One per app and process: a queue of events due for a pass and the loop that runs them."""

    def __init__(self, app: Flask):
        self.app = app
        self.due: dict[int, float] = {}
        self.wake = threading.Event()
        self.started = False
        self.fitting: set[str] = set()
        self.last_fit: dict[int, float] = {}
        self.rest_until: dict[int, float] = {}

    def schedule(self, event_id: int, delay: float = DEBOUNCE) -> None:
        """Ask for a pass of the event soon (several requests in a row make one pass)."""
        self.due.setdefault(event_id, max(time.monotonic() + delay, self.rest_until.get(event_id, 0.0)))
        self.wake.set()
        if not self.started:
            self.started = True
            socketio.start_background_task(self._loop)

    def _loop(self) -> None:
        """Wait for due events and run their passes, forever."""
        while True:
            self.wake.wait(timeout=30)
            self.wake.clear()
            while self.due:
                wait = min(self.due.values()) - time.monotonic()
                if wait > 0:
                    socketio.sleep(wait)
                now = time.monotonic()
                for event_id in [e for e, t in self.due.items() if t <= now]:
                    self.due.pop(event_id, None)
                    self.run(event_id)

    def run(self, event_id: int) -> None:
        """One pass, then a rest in proportion to its length so notes never queue behind synthesis."""
        started = time.monotonic()
        try:
            self._run(event_id)
        finally:
            finished = time.monotonic()
            self.rest_until[event_id] = finished + SPACING * (finished - started)

    def _run(self, event_id: int) -> None:
        """One pass with its state shown on the consoles; a failed pass is retried later."""
        with self.app.app_context():
            try:
                emit_to_staff(protocol.SYNTHESIS_STATE, {**synthesis.status(event_id), "state": "updating"},
                              event_id, projector=False)
                result = synthesis.run_pass(event_id, offload=self.offload, fit_later=self.fit_later)
                if result is not None:
                    broadcast_change(result.change)
                    emit_to_staff(protocol.SYNTHESIS_STATE, result.state, event_id, projector=False)
            except SQLAlchemyError:
                db.session.rollback()
                log.warning("synthesis pass of event %s failed; retrying", event_id, exc_info=True)
                self.schedule(event_id, RETRY)
            except Exception:  # the worker must survive whatever the notes contain
                db.session.rollback()
                log.exception("synthesis pass of event %s failed", event_id)
                emit_to_staff(protocol.SYNTHESIS_STATE, {"state": "failed", "pending": None},
                              event_id, projector=False)
            finally:
                db.session.remove()

    def offload(self, fn, *args):
        """Run CPU work in a real thread under gevent (the loop keeps serving sockets), else inline."""
        if self.app.config.get("SOCKETIO_ASYNC_MODE") == "gevent":
            import gevent
            return gevent.get_hub().threadpool.apply(fn, args)
        return fn(*args)

    def fit_later(self, event_id: int, key: str, spec: dict, texts: list, labels: list, path) -> None:
        """Fit a new mapper in the background; the event keeps its current mapper meanwhile."""
        if key in self.fitting or time.monotonic() - self.last_fit.get(event_id, -REFIT_SECONDS) < REFIT_SECONDS:
            return
        self.fitting.add(key)
        self.last_fit[event_id] = time.monotonic()

        def job():
            try:
                self.offload(point_learning.fit, key, spec, texts, labels, path)
            except Exception:  # a failed fit keeps the old mapper
                log.exception("fitting the point mapper failed")
            finally:
                self.fitting.discard(key)
            self.schedule(event_id, 0)
        socketio.start_background_task(job)


def worker(app: Flask) -> SynthesisWorker | None:
    """The app's worker, or None when background synthesis is switched off (tests, CLI)."""
    return app.extensions.get("synthesis_worker")


def schedule(app: Flask, event_id: int, delay: float = DEBOUNCE) -> None:
    """Schedule a pass when the app runs a worker."""
    runner = worker(app)
    if runner is not None:
        runner.schedule(event_id, delay)


def _after_flush(session: Session, _context) -> None:
    """Remember the events whose notes this transaction changed."""
    touched = {obj.event_id for obj in (*session.new, *session.dirty) if isinstance(obj, Note)}
    if touched:
        session.info.setdefault("synthesis_events", set()).update(touched)


def _after_commit(session: Session) -> None:
    """Schedule a pass for every event whose notes changed, once the change is committed."""
    events = session.info.pop("synthesis_events", None)
    if not events:
        return
    from flask import current_app, has_app_context
    if has_app_context():
        for event_id in events:
            schedule(current_app._get_current_object(), event_id)


def _after_rollback(session: Session) -> None:
    """Forget the events of a rolled-back transaction."""
    session.info.pop("synthesis_events", None)


def init_app(app: Flask) -> None:
    """Start a worker for the app (unless SYNTHESIS_WORKER is off) and watch note changes."""
    if app.config.get("SYNTHESIS_WORKER", True):
        app.extensions["synthesis_worker"] = SynthesisWorker(app)
    if not sa_event.contains(Session, "after_commit", _after_commit):
        sa_event.listen(Session, "after_flush", _after_flush)
        sa_event.listen(Session, "after_commit", _after_commit)
        sa_event.listen(Session, "after_rollback", _after_rollback)
