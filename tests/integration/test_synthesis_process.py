"""The synthesis service as a process of its own, with a real server and real python-socketio clients:
as the child of `flask serve` (started again after a crash) and as one service broadcasting through Redis."""
import os
import queue
import signal
import subprocess
import sys
import time
import uuid

import psutil
import pytest
import requests

from bench.services import RedisServer
from tests.integration.clients import host_token
from tests.server_fixtures import ROOT, LiveServer, serve_copy
from tests.support import running_children, socket_client

pytestmark = pytest.mark.timeout(150)


def _children(server: LiveServer) -> list[psutil.Process]:
    """The server's living synthesis children."""
    return running_children(server.process.pid, "cafe.runtime synthesis")


def _wait(predicate, timeout: float = 30):
    """Poll until predicate() gives something true, and return it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError("waited in vain")


class Console:
    """A facilitator's console (or a projector) that keeps every `synthesis:updated` it receives."""

    def __init__(self, server: LiveServer, namespace: str = "/facilitator"):
        if namespace == "/projector":
            token = server.demo["projector_url"].split("token=")[1]
        else:
            token = requests.post(server.url + "/api/v1/auth/token", json=server.demo["facilitator"],
                                  timeout=10).json()["token"]
        self.updates: queue.Queue = queue.Queue()
        self.sio = socket_client(reconnection=False)
        self.sio.on("synthesis:updated", self.updates.put, namespace=namespace)
        self.sio.connect(server.url, namespaces=[namespace], transports=["websocket"], wait_timeout=10,
                         auth={"event_id": server.demo["event_id"], "token": token})

    def wait_for_note(self, note_id: int, timeout: float = 40) -> dict:
        """The first update that gives the note its suggested point."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                update = self.updates.get(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                break
            if note_id in {row[0] for row in update["suggested"]}:
                return update
        raise AssertionError(f"no synthesis:updated included note {note_id}")


def _add_note(server: LiveServer, text: str, suggested: queue.Queue | None = None) -> int:
    """A host adds a note (and, given a queue, waits there for the `synthesis:suggested` it gets); its id."""
    sio = socket_client(reconnection=False)
    if suggested is not None:
        sio.on("synthesis:suggested", suggested.put, namespace="/table")
    sio.connect(server.url, namespaces=["/table"], transports=["websocket"], wait_timeout=10,
                auth={"token": host_token(server.url, server.demo["tables"][0]["join_code"])})
    try:
        ack = sio.call("note:add", {"client_id": str(uuid.uuid4()), "text": text}, namespace="/table", timeout=10)
        assert ack["ok"], ack
        if suggested is not None:
            _wait(lambda: any(pair[0] == ack["note"]["id"] for pair in suggested.get(timeout=40)["suggested"]))
    finally:
        sio.disconnect()
    return ack["note"]["id"]


def test_the_child_synthesizes_and_is_started_again_after_a_crash(live_server):
    server = live_server
    child = _wait(lambda: _children(server))[0]
    console, projector = Console(server), Console(server, "/projector")
    try:
        first = _add_note(server, "Mentorskap för nyanställda socialsekreterare")
        full = console.wait_for_note(first)
        assert full["themes"] is not None
        shown = projector.updates.get(timeout=10)  # projectors get it too, without what only consoles use
        assert shown["type"] == "synthesis:updated" and shown["points"] and "suggested" not in shown
        child.send_signal(signal.SIGKILL)
        new_child = _wait(lambda: [c for c in _children(server) if c.pid != child.pid])[0]
        assert new_child.pid != child.pid
        second = _add_note(server, "Mer tid för ärendehandledning varje vecka", suggested=queue.Queue())
        console.wait_for_note(second)
    finally:
        console.sio.disconnect()
        projector.sio.disconnect()


@pytest.fixture
def external(tmp_path, live_template):
    """A server with SYNTHESIS_WORKER=external, our own Redis, and one standalone synthesis service."""
    if not RedisServer.available():
        pytest.skip("redis-server is not installed")
    redis = RedisServer().start()
    server = serve_copy(tmp_path, live_template, env={"SYNTHESIS_WORKER": "external", "REDIS_URL": redis.url})
    service = subprocess.Popen([sys.executable, "-m", "cafe.runtime", "synthesis"], cwd=ROOT, env=server.env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    yield server, service
    service.kill()
    service.wait()
    server.stop()
    redis.close()


def test_one_standalone_service_broadcasts_through_redis(external):
    server, service = external
    console = Console(server)
    try:
        note = _add_note(server, "Tydligare rutiner för introduktion av nya kollegor")
        console.wait_for_note(note)
        assert service.poll() is None and _children(server) == []
    finally:
        console.sio.disconnect()


def test_the_standalone_service_explains_that_it_needs_redis(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}", "SECRET_KEY": "s"}
    env.pop("REDIS_URL", None)
    done = subprocess.run([sys.executable, "-m", "cafe.runtime", "synthesis"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and "REDIS_URL" in done.stderr and "Syntestjänsten" in done.stderr
