"""Real python-socketio clients for integration tests and benchmarks: a host with an outbox that
resends until acknowledged, and a watcher (projector or console) that catches up after every connect."""
import threading
import time
import uuid

import requests
import socketio

from tests.support import socket_client


def host_token(base_url: str, join_code: str) -> str:
    """Join a table over the API and return the host token."""
    reply = requests.post(base_url + "/api/v1/tables/join", json={"code": join_code}, timeout=10)
    reply.raise_for_status()
    return reply.json()["token"]


def _client() -> socketio.Client:
    """A client that reconnects with back-off and jitter, as the browser does."""
    return socket_client(reconnection=True, reconnection_delay=0.3, reconnection_delay_max=2,
                           randomization_factor=0.5)


class Host:
    """A table host sending notes one by one, resending each until it is acknowledged."""

    def __init__(self, base_url: str, token: str):
        self.sio = _client()
        self.acked: dict[str, dict] = {}
        self.sio.connect(base_url, namespaces=["/table"], auth={"token": token}, transports=["websocket"],
                         wait_timeout=10)

    def send(self, text: str, deadline: float) -> dict:
        """Send one note; on a timeout or a dropped connection send the same client_id again."""
        payload = {"client_id": str(uuid.uuid4()), "text": text}
        while time.monotonic() < deadline:
            try:
                ack = self.sio.call("note:add", payload, namespace="/table", timeout=3)
            except (socketio.exceptions.TimeoutError, socketio.exceptions.BadNamespaceError,
                    socketio.exceptions.DisconnectedError):
                time.sleep(0.2)
                continue
            assert ack["ok"], ack
            self.acked[payload["client_id"]] = ack["note"]
            return ack["note"]
        raise TimeoutError(f"note {payload['client_id']} was never acknowledged")

    def close(self) -> None:
        """Disconnect."""
        self.sio.disconnect()


class Watcher:
    """A projector or console: applies broadcasts and catches up with `sync` after every connect. Notes are
    kept by their server id: a projector's live note carries no client_id."""

    def __init__(self, base_url: str, namespace: str, auth: dict):
        self.namespace = namespace
        self.notes: dict[int, dict] = {}
        self.seen_seq = 0
        self.duplicates = 0
        self.received_at: dict[int, float] = {}
        self._lock = threading.Lock()
        self._resync = threading.Event()
        self.sio = _client()
        self.sio.on("connect", self._on_connect, namespace=namespace)
        for name in ("note:added", "note:updated", "note:deleted"):
            self.sio.on(name, self._apply, namespace=namespace)
        self._running = True
        self._worker = threading.Thread(target=self._sync_loop, daemon=True)
        self._worker.start()
        self.sio.connect(base_url, namespaces=[namespace], auth=auth, transports=["websocket"], wait_timeout=10)

    def _on_connect(self):
        """Catch up from a worker thread (a handler must not block the client's reader)."""
        self._resync.set()

    def _sync_loop(self):
        """Run `sync` whenever a (re)connect asks for it, until everything is replayed."""
        while self._running:
            if not self._resync.wait(0.2):
                continue
            self._resync.clear()
            try:
                self._sync_all()
            except Exception:  # a drop during catch-up: the next connect asks again
                self._resync.set()
                time.sleep(0.3)

    def _sync_all(self):
        """Ask for every change after the last seq seen, page by page."""
        more = True
        while more:
            ack = self.sio.call("sync", {"since": self.seen_seq}, namespace=self.namespace, timeout=5)
            for change in ack["changes"]:
                self._apply(change)
            more = ack["more"]

    def _apply(self, change: dict):
        """Keep the latest state of each note and count repeated deliveries of the same seq."""
        with self._lock:
            note = change.get("note")
            if note is None:
                return
            if change["seq"] <= self.seen_seq and note["id"] in self.notes:
                self.duplicates += 1
            self.seen_seq = max(self.seen_seq, change["seq"])
            self.notes[note["id"]] = note
            self.received_at.setdefault(note["id"], time.monotonic())

    def close(self) -> None:
        """Stop the catch-up thread and disconnect."""
        self._running = False
        self.sio.disconnect()
