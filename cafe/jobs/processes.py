"""Job processes: where a server process builds the city page and the exports (`JOB_WORKER=process`).

A job in a thread of the server process still shares its interpreter: while the city view of a
season (tens of thousands of notes) is built in Python, every note of the process waits for the
interpreter lock a few milliseconds at a time. A job process has an interpreter of its own. Each
server process keeps up to `JOB_WORKERS` of them as children (one is started with the server, more
when jobs overlap); they run at the lowest CPU priority, like the synthesis service, so they only
use what the sockets leave.

A job thread of the server (`cafe.jobs`) hands the job to an idle child and waits with the
interpreter released: the request is the pickled function (a module-level one, named by its import
path) with its arguments, the answer the pickled result or the error, each behind its length, over a
pair of pipes that are the child's stdin and stdout. A child ends when its stdin closes (its server
process is gone); one that died or hung is replaced by the next job.

    python -m cafe.runtime jobs   # the child; the server hands it its settings in the environment
"""
import json
import logging
import os
import pickle
import signal
import struct
import sys
import time
from pathlib import Path

from flask import Flask

from ..errors import ServiceError
from . import children

log = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parents[2]
CONFIG_ENV = "DIALOGCAFE_JOB_CONFIG"
HEADER = struct.Struct("!Q")  # the length of the pickle that follows
DEFAULT_TIMEOUT = 120.0  # the longest one job may run before its child is stopped


class WorkerGone(Exception):
    """The child ended or stopped answering in the middle of a job."""


def _original(module: str, name: str):
    """The standard library's own function, also where gevent replaced it with a cooperative one: the
    parent's side runs in native threads, where a blocking call releases the interpreter."""
    monkey = sys.modules.get("gevent.monkey")
    if monkey is not None:
        return monkey.get_original(module, name)
    return getattr(sys.modules[module] if module in sys.modules else __import__(module), name)


def write_frame(fd: int, payload: bytes) -> None:
    """Write one length-prefixed message whole."""
    data = memoryview(HEADER.pack(len(payload)) + payload)
    while data:
        data = data[os.write(fd, data):]


def read_exactly(fd: int, size: int, deadline: float | None = None) -> bytes | None:
    """Read `size` bytes; None at end of file before the first byte, WorkerGone at a partial message
    or when `deadline` (a time.monotonic() value) passes."""
    wait = _original("select", "select")
    chunks, got = [], 0
    while got < size:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0 or not wait([fd], [], [], left)[0]:
                raise WorkerGone("no answer in time")
        chunk = os.read(fd, min(size - got, 1 << 20))
        if not chunk:
            if got == 0:
                return None
            raise WorkerGone("message cut short")
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def read_frame(fd: int, deadline: float | None = None) -> bytes | None:
    """Read one length-prefixed message; None at end of file."""
    header = read_exactly(fd, HEADER.size, deadline)
    if header is None:
        return None
    (size,) = HEADER.unpack(header)
    body = read_exactly(fd, size, deadline)
    if body is None and size:
        raise WorkerGone("message cut short")
    return body or b""


# ---------------------------------------------------------------------- the server process's side
class Worker:
    """One child process and the pipe ends that reach it."""

    def __init__(self, config: dict):
        to_child, self.requests = os.pipe()  # the child reads requests on its stdin
        self.answers, from_child = os.pipe()  # and writes answers on its stdout
        env = {**os.environ, CONFIG_ENV: json.dumps(config), "PYTHONUNBUFFERED": "1",
               "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
        actions = [(os.POSIX_SPAWN_DUP2, to_child, 0), (os.POSIX_SPAWN_DUP2, from_child, 1)]
        try:
            self.pid = _original("os", "posix_spawn")(sys.executable, [sys.executable, "-m", "cafe.runtime", "jobs"],
                                                      env, file_actions=actions)
        finally:
            _original("os", "close")(to_child)
            _original("os", "close")(from_child)

    def alive(self) -> bool:
        """True while the child runs (a dead one is reaped here, unless gevent's loop did it first)."""
        try:
            pid, _status = _original("os", "waitpid")(self.pid, os.WNOHANG)
        except ChildProcessError:  # reaped elsewhere: gone
            return False
        return pid == 0

    def call(self, request: bytes, timeout: float):
        """Run a pickled job in the child and return its result or raise its error."""
        try:
            write_frame(self.requests, request)
            answer = read_frame(self.answers, time.monotonic() + timeout)
        except OSError as error:  # the child closed its end: it is gone
            raise WorkerGone(str(error)) from error
        if answer is None:
            raise WorkerGone("the job process ended")
        outcome, value = pickle.loads(answer)
        if outcome == "ok":
            return value
        if outcome == "refused":
            code, status, message, details = value
            raise ServiceError(code, status=status, message=message, **details)
        raise RuntimeError(f"a job failed in its process: {value}")

    def stop(self) -> None:
        """Close the pipes (a healthy child ends at that) and make sure the child is gone."""
        for fd in (self.requests, self.answers):
            try:
                _original("os", "close")(fd)
            except OSError:
                pass
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.alive()  # reap it


class Pool:
    """A server process's job processes: idle children are reused, up to `size` run at once."""

    def __init__(self, config: dict, size: int, timeout: float = DEFAULT_TIMEOUT):
        self.config = config
        self.size = max(1, size)
        self.timeout = timeout
        self.idle: list[Worker] = []
        self.busy = 0
        self.started = 0
        self._lock = _original("_thread", "allocate_lock")()  # taken from native threads and the loop alike

    def warm(self) -> None:
        """Start one child ahead of the first job (its imports take a second or two)."""
        with self._lock:
            if not self.idle and not self.busy:
                self.idle.append(self._spawn())

    def _spawn(self) -> Worker:
        """A new child (called with the lock held)."""
        self.started += 1
        return Worker(self.config)

    def _take(self) -> Worker:
        """An idle live child, or a new one."""
        with self._lock:
            while self.idle:
                worker = self.idle.pop()
                if worker.alive():
                    self.busy += 1
                    return worker
                worker.stop()
            self.busy += 1
            try:
                return self._spawn()
            except Exception:
                self.busy -= 1
                raise

    def _give_back(self, worker: Worker, healthy: bool) -> None:
        """Keep a healthy child for the next job (up to `size` idle); stop the others."""
        with self._lock:
            self.busy -= 1
            if healthy and len(self.idle) < self.size:
                self.idle.append(worker)
                return
        worker.stop()

    def call(self, fn, args: tuple):
        """Run fn(*args) in a child; blocks the calling (native) thread until the answer. A job that
        cannot travel (a lambda, an open file among its arguments) fails here, before any child is used."""
        request = pickle.dumps((fn, args), protocol=pickle.HIGHEST_PROTOCOL)
        worker = self._take()
        healthy = False
        try:
            result = worker.call(request, self.timeout)
            healthy = True
            return result
        except WorkerGone as error:
            log.error("job process %s failed during %s: %s", worker.pid, getattr(fn, "__qualname__", fn), error)
            raise ServiceError("internal", status=500) from error
        except (ServiceError, RuntimeError) as error:
            healthy = True  # the job failed, its child is fine
            if isinstance(error, RuntimeError):
                raise RuntimeError(f"{getattr(fn, '__qualname__', fn)}: {error}") from None
            raise
        finally:
            self._give_back(worker, healthy)

    def close(self) -> None:
        """Stop every idle child (busy ones stop when their job returns)."""
        with self._lock:
            idle, self.idle, self.size = self.idle, [], 0
        for worker in idle:
            worker.stop()


def enabled(app: Flask) -> bool:
    """True when this app runs `jobs.run` jobs in job processes."""
    return app.config.get("JOB_WORKER", "thread") == "process"


def pool(app: Flask) -> Pool:
    """The app's pool of job processes, made on first use."""
    found = app.extensions.get("cafe.job_processes")
    if found is None:
        size = int(app.config.get("JOB_WORKERS", 2))
        found = app.extensions["cafe.job_processes"] = Pool(children.handed_config(app), size)
    return found


def start(app: Flask) -> None:
    """At a server process's start: have a child ready when jobs run in processes."""
    if enabled(app):
        pool(app).warm()


# ---------------------------------------------------------------------- the child
def answer(app: Flask, request: bytes) -> bytes:
    """Run one pickled job in an app context of its own; the pickled outcome."""
    from ..extensions import db
    try:
        fn, args = pickle.loads(request)
        with app.app_context():
            try:
                reply = ("ok", fn(*args))
            finally:
                db.session.remove()
    except ServiceError as error:
        reply = ("refused", (error.code, error.status,
                             None if error.custom_message is None else str(error.custom_message), error.details))
    except Exception as error:  # reported to the server process, which answers 500
        log.exception("job failed")
        reply = ("failed", f"{type(error).__name__}: {error}")
    try:
        return pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as error:  # a result that cannot travel
        return pickle.dumps(("failed", f"unpicklable result: {error}"))


def serve(app: Flask, requests: int, answers: int) -> None:
    """Answer jobs until the server process closes the request pipe."""
    while True:
        request = read_frame(requests)
        if request is None:
            return
        write_frame(answers, answer(app, request))


def take_stdout() -> int:
    """In the child: keep stdout for answers only (returned as a new descriptor) and send prints to stderr."""
    answers = os.dup(1)
    os.dup2(2, 1)  # nothing printed may land in the answer pipe
    sys.stdout = sys.stderr
    return answers


def child_config() -> dict:
    """In the child: the settings its server process handed it."""
    return json.loads(os.environ.get(CONFIG_ENV) or "{}")
