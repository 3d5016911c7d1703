"""A real server process (gevent, as `flask serve` runs it) for integration and browser tests."""
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from cafe import create_app
from cafe.cli import BOOT
from cafe.extensions import db
from tests.support import free_port, held_cafe_under_way

ROOT = Path(__file__).resolve().parent.parent


class LiveServer:
    """Start, kill and restart `flask --app cafe serve` on a database of its own."""

    def __init__(self, database_url: str, env: dict | None = None, port: int | None = None):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "live-test-secret",
                    "PUBLIC_URL": self.url, "PYTHONUNBUFFERED": "1", **(env or {})}
        self.env.pop("SOCKETIO_ASYNC_MODE", None)
        self.process: subprocess.Popen | None = None
        self.log_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"dialogcafe-live-{self.port}.log"

    def flask(self, *args: str) -> str:
        """Run a Flask CLI command against the server's database and return its output."""
        result = subprocess.run([sys.executable, "-m", "flask", "--app", "cafe", *args], cwd=ROOT,
                                env=self.env, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        return result.stdout

    def prepare(self) -> dict:
        """Create the schema through the migrations and seed the demo café."""
        self.flask("db", "upgrade")
        return json.loads(self.flask("demo", "--json").strip().splitlines()[-1])

    def held_cafe_under_way(self, demo: dict) -> dict:
        """The demo's held café back in its last round, as the tests' demo café (see tests/support.py)."""
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": self.env["DATABASE_URL"],
                          "SECRET_KEY": self.env["SECRET_KEY"], "SYNTHESIS_WORKER": False, "REDIS_URL": None,
                          "JOB_WORKER": "thread"})
        with app.app_context():
            demo = held_cafe_under_way(demo)
            db.session.remove()
            db.engine.dispose()
        return demo

    def start(self) -> None:
        """Start the server and wait until /healthz answers."""
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen([sys.executable, "-c", BOOT, "--port", str(self.port)], cwd=ROOT,
                                        env=self.env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 90  # two test processes starting servers at once on two cores
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                if requests.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.1)
        exit_code = self.process.poll()
        self.kill()  # a server that never answered must not outlive the test (nor keep its children)
        raise RuntimeError(f"server did not start (exit {exit_code}): " + self.log_path.read_text()[-2000:])

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Stop the server abruptly (SIGKILL by default); one that ignores a gentler signal for 10 s is killed."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def stop(self) -> None:
        """Stop the server politely."""
        self.kill(signal.SIGTERM)


@pytest.fixture(scope="session")
def live_template(tmp_path_factory):
    """A SQLite file migrated and seeded with the demo café once per run, and its demo links."""
    path = tmp_path_factory.mktemp("live-template") / "live.sqlite3"
    server = LiveServer(f"sqlite:///{path}")
    demo = server.held_cafe_under_way(server.prepare())
    return path, demo


def _with_port(demo: dict, url: str) -> dict:
    """The demo links rewritten for a server listening on another port."""
    old = demo["facilitator_url"].split("/facilitator/")[0]
    return json.loads(json.dumps(demo).replace(old, url))


def copy_demo(folder: Path, live_template) -> Path:
    """A fresh copy of the demo café's database in `folder`, write-ahead log included."""
    template, _demo = live_template
    path = folder / "live.sqlite3"
    for suffix in ("", "-wal", "-shm"):  # the demo may still sit in the write-ahead log
        if Path(f"{template}{suffix}").exists():
            shutil.copy(f"{template}{suffix}", f"{path}{suffix}")
    return path


def serve_copy(folder: Path, live_template, env: dict | None = None, port: int | None = None,
               start: bool = True) -> LiveServer:
    """A server on a fresh copy of the demo café's database in `folder` (started unless told not to);
    `.demo` holds its links."""
    server = LiveServer(f"sqlite:///{copy_demo(folder, live_template)}", env=env, port=port)
    server.demo = _with_port(live_template[1], server.url)
    if start:
        server.start()
    return server


@pytest.fixture
def live_server(tmp_path, live_template):
    """A running server on a fresh copy of the demo café's database; `.demo` holds its links."""
    server = serve_copy(tmp_path, live_template)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def module_live_server(tmp_path_factory, live_template):
    """One such server for a module whose tests only read the demo café, or change parts no other test reads."""
    server = serve_copy(tmp_path_factory.mktemp("module-live"), live_template)
    yield server
    server.stop()
