"""Server CPU and SQL statements per `note:add` on /table, measured in one process.

Builds the app on a fresh SQLite file with the demo café, connects table hosts, projectors and
facilitator consoles as Flask-SocketIO test clients, sends notes and prints the CPU milliseconds
(time.process_time) and SQL statements per note. Outgoing packets go to a sink that does what the
real server does per recipient (encode each emit once, hand the same packet to every socket), so the
test client's own decoding of every delivery is not counted.

The same notes then go to a relay handler registered for the run (bench/relay.py's `note:add`: no
database, no checks, the same three emits and ack), the floor that Flask-SocketIO itself costs.

    .venv/bin/python bench/note_cost.py                 # 5 rounds of 2,000 notes
    .venv/bin/python bench/note_cost.py --profile 25    # and the 25 costliest functions (cProfile)
"""
import argparse
import collections
import cProfile
import os
import pstats
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("SOCKETIO_ASYNC_MODE", "threading")

from sqlalchemy import event as sa_event  # noqa: E402

from bench.relay_message import relayed_note  # noqa: E402
from cafe import create_app  # noqa: E402
from cafe.extensions import db, socketio  # noqa: E402

# Rate limits off: the hosts here send thousands of notes as fast as they can, to measure CPU per note.
CONFIG = {"TESTING": True, "SECRET_KEY": "bench-secret", "WTF_CSRF_ENABLED": False,
          "PUBLIC_URL": "http://testserver", "REDIS_URL": None, "RATELIMIT_ENABLED": False,
          "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "SYNTHESIS_WORKER": False,
          "SOCKET_EVENTS_PER_SECOND": 0, "SOCKETIO_ASYNC_MODE": "threading"}
RELAY_EVENT = "bench:relay"
TEXTS = ("Mer tid för dokumentation i vardagen", "Ge nyanställda en mentor under första året",
         "Kortare möten, tydligare beslut och uppföljning", "Bättre introduktion till verksamhetssystemet")


def build(folder: Path):
    """An app on a fresh SQLite file in `folder`, seeded with the demo café; returns (app, demo info)."""
    from cafe.demo import seed
    app = create_app({**CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'cost.sqlite3'}"})
    with app.app_context():
        db.create_all()
        info = seed(app.config["PUBLIC_URL"], password="bench-password")
        db.session.commit()
        db.session.remove()
    return app, info


class Sink:
    """Stands in for the Engine.IO transport: counts deliveries per socket and keeps the acks."""

    def __init__(self):
        self.delivered = collections.Counter()
        self.acks = {}

    def install(self) -> None:
        """Route the server's outgoing packets here (after every test client has connected)."""
        socketio.server._send_packet = self.send_packet
        socketio.server._send_eio_packet = self.send_eio_packet

    def send_packet(self, eio_sid, pkt) -> None:
        """An ack or a packet to one socket: encode it once, as the server does, and keep acks."""
        pkt.encode()
        if pkt.packet_type == 3:  # ACK
            self.acks[eio_sid] = pkt.data
        self.delivered[eio_sid] += 1

    def send_eio_packet(self, eio_sid, _eio_pkt) -> None:
        """A broadcast packet, already encoded once for all its recipients."""
        self.delivered[eio_sid] += 1


def connect(app, info, hosts: int, projectors: int, consoles: int):
    """Connect the host, projector and console test clients; return the hosts and all others."""
    tokens = []
    for table in info["tables"][:hosts]:
        reply = app.test_client().post("/api/v1/tables/join", json={"code": table["join_code"]})
        tokens.append(reply.get_json()["token"])
    host_socks = [socketio.test_client(app, namespace="/table", auth={"token": t}) for t in tokens]
    projector_token = info["projector_url"].split("token=")[1]
    watchers = [socketio.test_client(app, namespace="/projector", auth={"token": projector_token})
                for _ in range(projectors)]
    for _ in range(consoles):
        web = app.test_client()
        creds = info["facilitator"]
        web.post("/login", data={"email": creds["email"], "password": creds["password"]})
        watchers.append(socketio.test_client(app, namespace="/facilitator", auth={"event_id": info["event_id"]},
                                             flask_test_client=web))
    assert all(s.is_connected("/table") for s in host_socks)
    return host_socks, watchers


def register_relay(info: dict) -> None:
    """Register bench/relay.py's note handler on /table under RELAY_EVENT, for this run only."""
    from flask import request
    seqs = iter(range(1, 10**9))
    tables = {}

    def on_relay(payload):
        """Relay the note to the table, the consoles and the projectors, and ack it (no database)."""
        table_id = tables.setdefault(request.sid, info["tables"][len(tables) % len(info["tables"])]["id"])
        seq = next(seqs)
        note = relayed_note(payload, {"event_id": info["event_id"], "table_id": table_id}, seq)
        message = {"type": "note:added", "seq": seq, "note": note}
        socketio.emit("note:added", message, to=f"table:{table_id}", namespace="/table")
        for namespace in ("/facilitator", "/projector"):
            socketio.emit("note:added", message, to=f"event:{info['event_id']}", namespace=namespace)
        return {"ok": True, "note": note}
    socketio.on(RELAY_EVENT, namespace="/table")(on_relay)


def send_notes(hosts: list, sink: Sink, count: int, event: str = "note:add") -> float:
    """Send `count` notes round-robin over the hosts; return the CPU seconds spent."""
    started = time.process_time()
    for i in range(count):
        sock = hosts[i % len(hosts)]
        sock.callback_counter += 1
        payload = {"client_id": str(uuid.uuid4()), "text": f"{TEXTS[i % len(TEXTS)]} ({i})"}
        sock.socketio.server._handle_eio_message(
            sock.eio_sid, _encoded(event, payload, sock.callback_counter))
        ack = sink.acks.pop(sock.eio_sid)[0]
        if not ack.get("ok"):
            raise SystemExit(f"note:add failed: {ack}")
    return time.process_time() - started


def _encoded(event: str, payload: dict, ack_id: int) -> str:
    """The Socket.IO packet a browser sends for an event with an ack."""
    from socketio import packet
    return packet.Packet(packet.EVENT, data=[event, payload], namespace="/table", id=ack_id).encode()


def statements(app, send) -> collections.Counter:
    """Count the SQL statements `send()` runs on the app's engine, by their first words.

    Counted in a round of its own: the counting listener is Python on every statement, and in the
    timed rounds it would be charged to note:add.
    """
    counted = collections.Counter()

    def _count(_conn, _cursor, statement, *_):
        counted[" ".join(statement.split()[:3])] += 1
    with app.app_context():
        engine = db.engine
    sa_event.listen(engine, "before_cursor_execute", _count)
    try:
        send()
    finally:
        sa_event.remove(engine, "before_cursor_execute", _count)
    return counted


def main() -> None:
    """Measure note:add, then the relay floor (or profile note:add when asked)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notes", type=int, default=2000, help="notes per round")
    parser.add_argument("--rounds", type=int, default=5, help="rounds measured (best and median printed)")
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--hosts", type=int, default=8)
    parser.add_argument("--projectors", type=int, default=4)
    parser.add_argument("--consoles", type=int, default=2)
    parser.add_argument("--profile", type=int, metavar="N",
                        help="print the N costliest functions (sorted by NOTE_COST_SORT, default tottime)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dialogcafe-note-cost-") as folder:
        app, info = build(Path(folder))
        hosts, watchers = connect(app, info, args.hosts, args.projectors, args.consoles)
        sink = Sink()
        sink.install()
        try:
            cpu = measure(app, args, hosts, watchers, sink)
            if not args.profile:
                measure_relay(info, args, hosts, sink, cpu)
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()


def measure(app, args, hosts: list, watchers: list, sink: Sink) -> float:
    """Send the notes after a warm-up, print the figures; return the best round's CPU seconds."""
    send_notes(hosts, sink, args.warmup)
    sink.delivered.clear()
    profiler = cProfile.Profile() if args.profile else None
    if profiler:
        profiler.enable()
    rounds = [send_notes(hosts, sink, args.notes) for _ in range(args.rounds)]
    if profiler:
        profiler.disable()
    missing = [w for w in watchers if sink.delivered[w.eio_sid] != args.notes * len(rounds)]
    counted = statements(app, lambda: send_notes(hosts, sink, args.notes))
    report(args, rounds, counted, missing, hosts)
    if profiler:
        pstats.Stats(profiler).sort_stats(os.environ.get("NOTE_COST_SORT", "tottime")).print_stats(args.profile)
    return min(rounds)


def measure_relay(info: dict, args, hosts: list, sink: Sink, cpu: float) -> None:
    """Send the same notes to the relay handler and print its cost beside note:add's (best rounds)."""
    register_relay(info)
    send_notes(hosts, sink, args.warmup, RELAY_EVENT)
    relay_cpu = min(send_notes(hosts, sink, args.notes, RELAY_EVENT) for _ in range(args.rounds))
    print(f"relay handler, same harness: {relay_cpu / args.notes * 1000:.3f} ms per note "
          f"(note:add costs {cpu / relay_cpu:.1f}x that)")


def report(args, rounds: list[float], counted: collections.Counter, missing: list, hosts: list) -> None:
    """Print the figures per note, and whether every watcher got every note of the timed rounds."""
    n = args.notes * len(rounds)
    per_note = sorted(cpu / args.notes * 1000 for cpu in rounds)
    print(f"note:add, {len(rounds)} rounds × {args.notes} ({len(hosts)} hosts, {args.projectors} projectors, "
          f"{args.consoles} consoles, SQLite)")
    print(f"CPU per note: best {per_note[0]:.3f} ms, median {statistics.median(per_note):.3f} ms"
          f"{' (under cProfile)' if args.profile else ''}")
    print(f"SQL statements per note (a round of its own): {sum(counted.values()) / args.notes:.2f}")
    for statement, times in counted.most_common():
        print(f"  {times / args.notes:5.2f}  {statement}")
    print(f"deliveries per watcher: {n if not missing else 'MISSING ' + str(len(missing))}")


if __name__ == "__main__":
    main()
