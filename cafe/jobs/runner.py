"""Background jobs (the city view, the action list exports, fitting a point mapper) that must never
hold up a note on the socket path.

The live synthesis has a process of its own (`cafe.runtime.synthesis_service`); these are the smaller jobs.

Each app process has a small pool of real OS threads with a bounded queue: under gevent, gevent's
native thread pool (a greenlet would block every socket of the process while it computes); under
threads, a plain ThreadPoolExecutor. Why not a queue on Redis (RQ): the embedded default runs without
Redis, a café's jobs are few and short next to its notes, and a job's result is wanted by the process
whose user asked for it. A job in pure Python still shares the interpreter, but the server's loop gets
its turn every few milliseconds instead of waiting for the whole job.

    data = jobs.run(city.synthesis, scope)  # submit and wait: a cooperative wait under gevent

With `JOB_WORKER=process` (the setting of `flask serve` and gunicorn) `run` goes one step further:
its job thread hands the job to a job process (`cafe.jobs.processes`) and waits with the interpreter
released, so building the city view of a season or a big workbook costs the server's notes nothing.
Such a job must be a module-level function whose arguments and result can be pickled.

`fn(*args)` runs in a worker thread inside an app context of its own (its own database session);
it must not emit. `then(result)`, if given, runs afterwards in the server's own loop with an app
context, and is the place to broadcast.
"""
import logging
import sys
import threading
from concurrent.futures import Future, ThreadPoolExecutor

from flask import Flask, current_app

from ..errors import ServiceError
from ..ops import metrics

log = logging.getLogger(__name__)
DEFAULT_WORKERS = 2
DEFAULT_QUEUE = 20
WAIT_SECONDS = 120  # the longest a request waits for its job


def _gevent_patched() -> bool:
    """True when gevent patched the standard library (then threads would be greenlets)."""
    if "gevent" not in sys.modules:
        return False
    from gevent import monkey
    return monkey.is_module_patched("threading")


class JobRunner:
    """One process's pool of worker threads with a bounded number of waiting and running jobs."""

    def __init__(self, workers: int = DEFAULT_WORKERS, max_queue: int = DEFAULT_QUEUE):
        self.workers = workers
        self.max_queue = max_queue
        self._depth = 0
        self._lock = threading.Lock()
        self._executor = None

    @property
    def depth(self) -> int:
        """Jobs accepted and not yet finished."""
        return self._depth

    def _pool(self):
        """The executor, made on first use (after gevent has patched, when it does)."""
        if self._executor is None:
            if _gevent_patched():
                from gevent.threadpool import ThreadPoolExecutor as NativeThreadPool
                self._executor = NativeThreadPool(max_workers=self.workers)
            else:
                self._executor = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="cafe-job")
        return self._executor

    def _count(self, step: int) -> None:
        """Move the queue depth and its gauge."""
        with self._lock:
            self._depth += step
            metrics.JOB_QUEUE_DEPTH.labels(metrics.PROCESS).set(self._depth)

    def submit(self, app: Flask, fn, *args, then=None) -> Future:
        """Queue `fn(*args)` in an app context; refuse with ServiceError('busy') when the queue is full."""
        return self._queue(app, then, _in_context, app, fn, args)

    def _queue(self, app: Flask, then, task, *task_args) -> Future:
        """Queue `task(*task_args)` on a worker thread, counted in the queue depth."""
        with self._lock:
            if self._depth >= self.max_queue:
                raise ServiceError("busy", status=503)
        self._count(+1)
        future = self._pool().submit(task, *task_args)
        future.add_done_callback(lambda done: self._finished(app, done, then))
        return future

    def submit_to_process(self, app: Flask, fn, *args) -> Future:
        """Queue `fn(*args)` for one of the app's job processes; a worker thread waits for it."""
        from . import processes
        return self._queue(app, None, processes.pool(app).call, fn, args)

    def _finished(self, app: Flask, future: Future, then) -> None:
        """Count the outcome and hand the result to `then` in the server's own loop."""
        self._count(-1)
        failed = future.exception() is not None
        metrics.JOBS.labels(metrics.PROCESS, "failed" if failed else "done").inc()
        if failed:
            log.error("background job failed", exc_info=future.exception())
        elif then is not None:
            from ..extensions import socketio
            socketio.start_background_task(_in_context, app, then, (future.result(),))

    def shutdown(self) -> None:
        """Wait for running jobs and stop the threads."""
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None


def _in_context(app: Flask, fn, args: tuple):
    """Run fn inside an app context of its own, and release its database session."""
    from ..extensions import db
    with app.app_context():
        try:
            return fn(*args)
        finally:
            db.session.remove()


def runner(app: Flask | None = None) -> JobRunner:
    """The job runner of an app, made on first use from JOB_WORKERS and JOB_QUEUE."""
    app = app or current_app._get_current_object()
    found = app.extensions.get("cafe.jobs")
    if found is None:
        found = app.extensions["cafe.jobs"] = JobRunner(int(app.config.get("JOB_WORKERS", DEFAULT_WORKERS)),
                                                        int(app.config.get("JOB_QUEUE", DEFAULT_QUEUE)))
    return found


def submit(fn, *args, then=None) -> Future:
    """Run `fn(*args)` off the socket path in the current app's job runner; returns a Future."""
    app = current_app._get_current_object()
    return runner(app).submit(app, fn, *args, then=then)


def run(fn, *args):
    """Run `fn(*args)` off the socket path and wait for its result (re-raising its error): for a request
    whose answer takes long enough to build (an export, the city view) to hold up every socket.

    In a job process when the app's JOB_WORKER is `process`, else in a job thread.
    """
    from . import processes
    app = current_app._get_current_object()
    if processes.enabled(app):
        return runner(app).submit_to_process(app, fn, *args).result(timeout=WAIT_SECONDS)
    return submit(fn, *args).result(timeout=WAIT_SECONDS)


def depth() -> int:
    """Jobs waiting or running in the current app's runner."""
    return runner().depth
