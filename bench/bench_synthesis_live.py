"""`make bench-live` (synthesis part): a café of 50 tables that have sent 30 notes each (1,500 notes).

Against a real server process (gevent) with real python-socketio clients, measures
- new note → the `synthesis:updated` that includes it, received by a projector (target p95 ≤ 1 s);
- new note → `note:added` on a console (the notes' own latency);
- curation on one console → `curation:applied` on another console (same budget as notes),
while notes keep arriving. Prints p50/p95/max per figure.
"""
import argparse
import itertools
import json
import random
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import requests
import socketio

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import common  # noqa: E402
from tests.server_fixtures import LiveServer  # noqa: E402


def dev_texts() -> list[str]:
    """Realistic hasty notes from the labelled development set."""
    lines = (ROOT / "nlp" / "data" / "dev.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["text"] for line in lines if line.strip()]


def prefill(server: LiveServer, tables: int, per_table: int, texts: list[str]) -> dict:
    """Give the demo café `tables` tables with `per_table` notes each, stored as hosts would."""
    import os
    os.environ["DATABASE_URL"] = server.env["DATABASE_URL"]
    from sqlalchemy import func, select

    from cafe import create_app
    from cafe.extensions import db
    from cafe.models import Event, Note, Table
    from cafe.notes import capture
    from cafe.people import access
    app = create_app({"SYNTHESIS_WORKER": False, "SECRET_KEY": server.env["SECRET_KEY"],
                      "PUBLIC_URL": server.url, "RATELIMIT_ENABLED": False})
    with app.app_context():
        event = db.session.get(Event, server.demo["event_id"])
        for number in range(len(event.tables) + 1, tables + 1):
            event.tables.append(Table(number=number, name=f"Bord {number}", join_code=access.new_join_code()))
        db.session.commit()
        cycle = itertools.cycle(texts)
        for table in event.tables:
            have = db.session.scalar(select(func.count(Note.id)).where(Note.table_id == table.id))
            for _ in range(per_table - have):
                capture.add(table, {"client_id": str(uuid.uuid4()), "text": next(cycle)})
        return {"event_id": event.id, "codes": [t.join_code for t in event.tables]}


class Probe:
    """A socket.io client that timestamps what it receives."""

    def __init__(self, url: str, namespace: str, auth: dict, names: list[str]):
        self.client = socketio.Client(reconnection=False)
        self.namespace, self.received = namespace, []
        self.lock = threading.Condition()
        for name in names:
            self.client.on(name, self._keep(name), namespace=namespace)
        self.client.connect(url, namespaces=[namespace], auth=auth, transports=["websocket"], wait_timeout=20)

    def _keep(self, name):
        def handler(payload):
            with self.lock:
                self.received.append((time.perf_counter(), name, payload))
                self.lock.notify_all()
        return handler

    def wait_for(self, test, since: float, timeout: float = 30) -> float | None:
        """The receive time of the first message after `since` that passes `test`."""
        deadline = time.perf_counter() + timeout
        with self.lock:
            while True:
                for at, name, payload in self.received:
                    if at >= since and test(name, payload):
                        return at
                left = deadline - time.perf_counter()
                if left <= 0:
                    return None
                self.lock.wait(left)

    def emit(self, name: str, payload: dict) -> dict:
        return self.client.call(name, payload, namespace=self.namespace, timeout=30)


def figures(name: str, values: list[float], target: float | None = None) -> None:
    """Print p50/p95/max in milliseconds."""
    if not values:
        print(f"{name:46} no samples")
        return
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    verdict = "" if target is None else ("  OK" if p95 <= target else f"  OVER {target * 1000:.0f} ms")
    print(f"{name:46} n={len(values):3d}  p50 {statistics.median(values) * 1000:7.1f} ms  "
          f"p95 {p95 * 1000:7.1f} ms  max {max(values) * 1000:7.1f} ms{verdict}")


def hosts_for(server: LiveServer, codes: list[str]) -> list[Probe]:
    """One connected host socket per table."""
    probes = []
    for code in codes:
        token = requests.post(server.url + "/api/v1/tables/join", json={"code": code}, timeout=10).json()["token"]
        probes.append(Probe(server.url, "/table", {"token": token}, []))
    return probes


def staff(server: LiveServer, event_id: int) -> tuple[Probe, Probe, Probe]:
    """Two facilitators' consoles and a projector."""
    creds = server.demo["facilitator"]
    token = requests.post(server.url + "/api/v1/auth/token", json=creds, timeout=10).json()["token"]
    names = ["note:added", "synthesis:updated", "synthesis:state", "curation:applied"]
    first = Probe(server.url, "/facilitator", {"event_id": event_id, "token": token}, names)
    second = Probe(server.url, "/facilitator", {"event_id": event_id, "token": token}, names)
    projector = Probe(server.url, "/projector", {"token": server.demo["projector_url"].split("token=")[1]}, names)
    return first, second, projector


def send_note(host: Probe, text: str) -> tuple[float, int]:
    """Add a note; return when it was sent and its id."""
    start = time.perf_counter()
    ack = host.emit("note:add", {"client_id": str(uuid.uuid4()), "text": text})
    return start, ack["note"]["id"]


def note_latencies(hosts, console, projector, texts, count: int, interval: float, included: int):
    """Notes one by one: time to the console's note:added and to the projector's synthesis update."""
    to_console, to_projector = [], []
    for k in range(count):
        start, note_id = send_note(random.choice(hosts), random.choice(texts) + f" ({k})")
        seen = console.wait_for(lambda n, p, note_id=note_id: n == "note:added" and p["note"]["id"] == note_id, start)
        wanted = included + k + 1
        synth = projector.wait_for(
            lambda n, p, wanted=wanted: n == "synthesis:updated" and p.get("included", 0) >= wanted, start)
        if seen:
            to_console.append(seen - start)
        if synth:
            to_projector.append(synth - start)
        time.sleep(interval)
    return to_console, to_projector


def curation_latencies(first: Probe, second: Probe, count: int, interval: float) -> list[float]:
    """Renames on one console, timed until the other console receives them."""
    themes = [t for t in first.received if t[1] == "synthesis:updated"]
    theme = max((t for _, _, p in themes for t in p["themes"]), key=lambda t: t["count"])
    out = []
    for k in range(count):
        label = f"Mätning {k}"
        start = time.perf_counter()
        ack = first.emit("curation:rename", {"theme_id": theme["id"], "label": label})
        assert ack["ok"], ack
        got = second.wait_for(
            lambda n, p, label=label: n == "curation:applied" and p["themes"][0]["label"] == label, start)
        if got:
            out.append(got - start)
        time.sleep(interval)
    return out


def background_notes(hosts, texts, stop: threading.Event, rate: float) -> None:
    """Keep notes coming while curations are measured."""
    while not stop.is_set():
        send_note(random.choice(hosts), random.choice(texts))
        stop.wait(1 / rate)


def main() -> None:
    """Prefill, start the server, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tables", type=int, default=50)
    parser.add_argument("--notes-per-table", type=int, default=30)
    parser.add_argument("--samples", type=int, default=60)
    parser.add_argument("--interval", type=float, default=0.5, help="seconds between measured actions")
    parser.add_argument("--background-rate", type=float, default=2.0, help="notes/s while curating")
    args = parser.parse_args()
    random.seed(1)
    texts = dev_texts()
    server = LiveServer(f"sqlite:///{Path(tempfile.mkdtemp(prefix='dialogcafe-bench-synth-')) / 'bench.sqlite3'}")
    server.demo = server.prepare()
    cafe = prefill(server, args.tables, args.notes_per_table, texts)
    server.start()
    try:
        first, second, projector = staff(server, cafe["event_id"])
        hosts = hosts_for(server, cafe["codes"])
        began = time.perf_counter()
        state = first.emit("synthesis:status", {})["state"]
        first.wait_for(lambda n, p: common.synthesis_state(n, p) == "up_to_date", began, timeout=120)
        warm = time.perf_counter() - began
        total = state["pending"] + state["included"]
        print(f"bench-synthesis-live: {len(hosts)} tables, {total} notes in the café, "
              f"first full pass {warm:.1f} s (fits the clusterer on every note)")
        included = total
        to_console, to_projector = note_latencies(hosts, second, projector, texts, args.samples, args.interval,
                                                  included)
        stop = threading.Event()
        feeder = threading.Thread(target=background_notes, args=(hosts, texts, stop, args.background_rate))
        feeder.start()
        curations = curation_latencies(first, second, args.samples, args.interval)
        stop.set()
        feeder.join()
        if not to_projector:
            print("projector got:", [(n, p.get("included")) for _, n, p in projector.received][-10:])
        figures("note → console (note:added)", to_console)
        figures("note → projector (synthesis:updated)", to_projector, target=1.0)
        figures(f"curation → other console (+{args.background_rate:g} notes/s)", curations, target=1.0)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
