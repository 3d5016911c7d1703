"""Load generator with threaded python-socketio clients (`socketio.Client`), all in one process, as most
integrators and scripts connect: run as `python bench/threadgen.py SPEC.json RESULT.json`.

The spec and the result are those of `loadgen.py`, so `common.analyse` reads both. Every host has a
thread that writes a note at each tick of its rate and sends its outbox in order, each note until it is
acknowledged; a note's time is its tick, so a host that falls behind shows in the latency. Watchers
record when each note reaches them and catch up with `sync` after every connect and at the end.
"""
import json
import os
import random
import sys
import threading
import time
import uuid

import socketio
from loadgen import CALL_TIMEOUT, NOTE_EVENTS, note_key, wire_bytes  # bench/ is the script's folder


class Client:
    """One threaded socket and what it received."""

    namespace = "/table"

    def __init__(self, conf: dict, name: str, namespace: str | None = None):
        self.conf, self.name = conf, name
        self.namespace = namespace or self.namespace
        self.sio = socketio.Client(reconnection=True, reconnection_delay=0.5, reconnection_delay_max=5,
                                   randomization_factor=0.5, ssl_verify=False)
        self.sio.on("connect", self._connected, namespace=self.namespace)
        self.sio.on("*", self._on_any, namespace=self.namespace)
        self.bytes = 0
        self.lock = threading.Lock()

    def connect(self) -> bool:
        """Connect once; False when refused or timed out."""
        try:
            self.sio.connect(self.conf["url"], namespaces=[self.namespace], auth=self.conf["auth"],
                             transports=["websocket"], wait_timeout=20)
            return True
        except Exception:  # refused or timed out: counted by the caller
            return False

    def _connected(self):
        """After each (re)connect, in a thread of its own (a handler must not wait for an ack)."""
        self.sio.start_background_task(self.after_connect)

    def after_connect(self):
        """What to do after a (re)connect."""

    def _on_any(self, event, message=None):
        """Count the bytes of any broadcast."""
        with self.lock:
            self.bytes += wire_bytes(self.namespace, event, message)


class Host(Client):
    """A table host writing a note at each tick and sending its outbox in order."""

    def __init__(self, conf, name):
        super().__init__(conf, name)
        self.outbox: dict[str, dict] = {}
        self.notes: dict[str, dict] = {}
        self.errors = 0
        self.sending = threading.Lock()

    def after_connect(self):
        """Resend what is not acknowledged yet."""
        self.flush()

    def flush(self) -> None:
        """Send the outbox in order, stopping at the first note not acknowledged; one flush at a time."""
        if not self.sending.acquire(blocking=False):
            return
        try:
            for cid in list(self.outbox):
                if not self.sio.connected or not self.send(cid):
                    break
        finally:
            self.sending.release()

    def send(self, cid: str) -> bool:
        """Send one note; True once acknowledged."""
        try:
            ack = self.sio.call("note:add", self.outbox[cid], namespace=self.namespace, timeout=CALL_TIMEOUT)
        except Exception:  # timed out or disconnected: it stays in the outbox
            return False
        with self.lock:
            self.bytes += wire_bytes(self.namespace, "", ack) - 2
        if not ack.get("ok"):
            self.errors += 1
            return False
        self.notes[cid].update(acked=time.time(), seq=ack["note"]["seq"], id=ack["note"]["id"])
        self.outbox.pop(cid, None)
        return True

    def write(self, until: float) -> None:
        """Write notes at the configured rate until `until`, starting at a random phase."""
        period = 1.0 / self.conf["rate"]
        tick = time.time() + random.uniform(0, period)
        number = 0
        while tick < until:
            time.sleep(max(0.0, tick - time.time()))
            number += 1
            cid, text = str(uuid.uuid4()), f"Mätanteckning {number} från {self.name}"
            self.outbox[cid] = {"client_id": cid, "text": text}
            self.notes[cid] = {"created": tick, "acked": None, "text": text}
            self.flush()
            tick += period

    def result(self) -> dict:
        """Every note written, with its times."""
        return {"notes": self.notes, "unacked": len(self.outbox), "errors": self.errors, "bytes": self.bytes}


class Watcher(Client):
    """A projector or console recording when each note arrives."""

    def __init__(self, conf, name, namespace):
        super().__init__(conf, name, namespace)
        self.received: dict[str, float] = {}
        self.synced: dict[str, float] = {}
        self.ids: dict[str, int] = {}
        self.duplicates = 0
        for event in NOTE_EVENTS:
            self.sio.on(event, self._counted(event), namespace=self.namespace)

    def _counted(self, event: str):
        """The handler of a note event: count its bytes and record its arrival."""
        def handler(message):
            now = time.time()
            with self.lock:
                self.bytes += wire_bytes(self.namespace, event, message)
                self._apply(message, now, self.received)
        return handler

    def _apply(self, change: dict, now: float, arrivals: dict) -> None:
        """Remember when a note first arrived, and a second stored copy of one note."""
        note = change.get("note") or {}
        key = note_key(note)
        if key is None:
            return
        if change.get("type") == "note:added" and key in self.ids and self.ids[key] != note.get("id"):
            self.duplicates += 1
        self.ids[key] = note.get("id")
        if key not in self.received and key not in self.synced:
            arrivals[key] = now

    def after_connect(self):
        """Catch up on what was missed while away."""
        self.sync()

    def sync(self) -> None:
        """Ask for every change since the start, page by page."""
        since = 0
        try:
            while True:
                ack = self.sio.call("sync", {"since": since}, namespace=self.namespace, timeout=CALL_TIMEOUT)
                now = time.time()
                with self.lock:
                    for change in ack.get("changes", []):
                        self._apply(change, now, self.synced)
                        since = max(since, change["seq"])
                if not ack.get("more"):
                    return
        except Exception:  # disconnected mid-sync: the next connect syncs again
            return

    def result(self) -> dict:
        """When each note arrived, by broadcast or by sync."""
        return {"received": self.received, "synced": self.synced, "duplicates": self.duplicates,
                "redelivered": 0, "bytes": self.bytes}


def _connect_all(clients: list[Client], seconds: float) -> int:
    """Connect every client, spread over `seconds`; the number that connected."""
    gap = seconds / max(len(clients), 1)
    results = []
    threads = []
    for client in clients:
        thread = threading.Thread(target=lambda c=client: results.append(c.connect()))
        thread.start()
        threads.append(thread)
        time.sleep(gap)
    for thread in threads:
        thread.join()
    return sum(results)


def main(spec: dict) -> tuple[dict, list[Client]]:
    """Connect, write for the duration, drain, catch up; the result and the clients to disconnect."""
    start = time.time()
    hosts = [Host(conf, f"host-{conf['name']}") for conf in spec.get("hosts", [])]
    watchers = [Watcher(conf, f"{conf['kind']}-{conf['name']}", "/" + conf["kind"])
                for conf in spec.get("watchers", [])]
    held = _connect_all(watchers + hosts, spec.get("ramp", 2))
    until = time.time() + spec["duration"]
    if spec.get("idle"):
        time.sleep(spec["duration"])
    writers = [threading.Thread(target=h.write, args=(until,)) for h in hosts if not spec.get("idle")]
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join()
    deadline = time.time() + spec.get("drain", 30)
    while time.time() < deadline and any(h.outbox for h in hosts):
        for host in hosts:
            host.flush()
        time.sleep(0.5)
    time.sleep(spec.get("settle", 2))
    if spec.get("final_sync", True):
        for watcher in watchers:
            watcher.sync()
    result = {"held": held, "refused": len(hosts) + len(watchers) - held, "connections": [], "start": start,
              "hosts": {h.name: h.result() for h in hosts}, "watchers": {w.name: w.result() for w in watchers}}
    return result, hosts + watchers


def disconnect(clients: list[Client]) -> None:
    """Close every socket at once (websocket-client waits for each close frame in turn), for 5 s at most."""
    threads = [threading.Thread(target=c.sio.disconnect, daemon=True) for c in clients]
    for thread in threads:
        thread.start()
    deadline = time.time() + 5
    for thread in threads:
        thread.join(max(0.0, deadline - time.time()))


if __name__ == "__main__":
    with open(sys.argv[1]) as spec_file:
        loaded = json.load(spec_file)
    outcome, connected = main(loaded)
    with open(sys.argv[2], "w") as out:
        json.dump(outcome, out)
    disconnect(connected)
    os._exit(0)  # the clients' threads may still wait on sockets the server has let go
