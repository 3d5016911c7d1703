"""Benchmark of running the café: round changes and messages reaching every host, and point suggestions.

Run with ``python bench/bench_console.py [--hosts 50] [--rounds 40] [--suggestions 20]``. Starts the app as
`flask serve` runs it (gevent, one process) on a fresh SQLite file with the demo café, connects HOSTS
real python-socketio host clients spread over the demo's tables and one console (API token), then
measures:

- fan-out: from a round control (pause/resume in turn) or a message being sent until the last host has
  the `round:updated` / `message:broadcast` (p50, p95, max over the repeats);
- suggestions: round trip of `note:suggest` from one host alone, and while every host asks SUGGESTIONS
  times back to back at once (p50, p95, max), and the first one after the start (the point mapper is
  loaded from disk or fitted then; until it is ready the ack says `"ready": false`).
"""
import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests
import socketio

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402

TEXTS = ["Vi behöver administratörer som tar över bokningar av tolk",
         "Mentor till alla nyanställda första året",
         "För många ärenden per handläggare, vi hinner inte", "Tysta rum och datorer som fungerar",
         "Regelbunden ärendehandledning med erfarna kollegor", "Hot och våld i receptionen"]


class HostClient:
    """A host socket that notes when each broadcast (by seq) arrives."""

    def __init__(self, url: str, token: str):
        self.arrived: dict[int, float] = {}
        self.sio = socketio.Client(reconnection=False)
        for name in ("round:updated", "message:broadcast"):
            self.sio.on(name, self._arrive, namespace="/table")
        self.sio.connect(url, namespaces=["/table"], auth={"token": token}, transports=["websocket"],
                         wait_timeout=20)

    def _arrive(self, message: dict) -> None:
        """Keep the arrival time of a broadcast."""
        self.arrived[message["seq"]] = time.perf_counter()

    def suggest(self, text: str) -> float:
        """One `note:suggest` round trip in seconds."""
        started = time.perf_counter()
        ack = self.sio.call("note:suggest", {"text": text}, namespace="/table", timeout=30)
        assert ack["ok"], ack
        return time.perf_counter() - started


def _hosts(url: str, demo: dict, count: int) -> list[HostClient]:
    """`count` host clients spread over the demo café's tables."""
    join = url + "/api/v1/tables/join"
    tokens = [requests.post(join, json={"code": t["join_code"]}, timeout=10).json()["token"]
              for t in demo["tables"]]
    return [HostClient(url, tokens[n % len(tokens)]) for n in range(count)]


def _fan_out(console: socketio.Client, hosts: list[HostClient], name: str, payload: dict) -> float:
    """Seconds from sending a control until the last host has its broadcast."""
    started = time.perf_counter()
    ack = console.call(name, payload, namespace="/facilitator", timeout=30)
    assert ack["ok"], ack
    deadline = time.monotonic() + 30
    while any(ack["seq"] not in h.arrived for h in hosts):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{name} seq {ack['seq']} did not reach every host")
        time.sleep(0.002)
    return max(h.arrived[ack["seq"]] for h in hosts) - started


def _suggestions(hosts: list[HostClient], per_host: int) -> list[float]:
    """Every host asks `per_host` suggestions at the same time; the round trips."""
    times: list[float] = []
    lock = threading.Lock()

    def work(host: HostClient, offset: int) -> None:
        mine = [host.suggest(TEXTS[(offset + i) % len(TEXTS)]) for i in range(per_host)]
        with lock:
            times.extend(mine)
    threads = [threading.Thread(target=work, args=(h, n)) for n, h in enumerate(hosts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return times


def _figures(values: list[float]) -> dict:
    """p50, p95 and max in milliseconds."""
    ms = [v * 1000 for v in values]
    return {"n": len(ms), "p50_ms": round(statistics.median(ms), 1),
            "p95_ms": round(common.percentile(ms, .95), 1), "max_ms": round(max(ms), 1)}


def measure(url: str, demo: dict, args) -> dict:
    """Run the three measurements against a running server."""
    hosts = _hosts(url, demo, args.hosts)
    token = requests.post(url + "/api/v1/auth/token", json=demo["facilitator"], timeout=10).json()["token"]
    console = socketio.Client(reconnection=False)
    console.connect(url, namespaces=["/facilitator"], transports=["websocket"], wait_timeout=20,
                    auth={"event_id": demo["event_id"], "token": token})
    first = hosts[0].suggest(TEXTS[0])
    while not hosts[0].sio.call("note:suggest", {"text": TEXTS[0]}, namespace="/table", timeout=30)["ready"]:
        time.sleep(0.2)
    alone = [hosts[0].suggest(TEXTS[i % len(TEXTS)]) for i in range(100)]
    # The demo's planned café has not started yet: its first round runs while the controls are measured.
    assert console.call("round:start", {}, namespace="/facilitator", timeout=30)["ok"]
    rounds = [_fan_out(console, hosts, "round:pause" if i % 2 == 0 else "round:resume", {})
              for i in range(args.rounds)]
    messages = [_fan_out(console, hosts, "message:send", {"text": f"{i} minuter kvar"}) for i in range(5)]
    suggestions = _suggestions(hosts, args.suggestions)
    for client in [console, *(h.sio for h in hosts)]:
        threading.Thread(target=client.disconnect, daemon=True).start()
    return {"hosts": len(hosts), "round_fan_out": _figures(rounds), "message_fan_out": _figures(messages),
            "suggest_one_host": _figures(alone), "suggest_all_hosts_at_once": _figures(suggestions),
            "first_suggest_ms": round(first * 1000, 1)}


def main() -> None:
    """Start a server on a fresh database, measure, print the figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--suggestions", type=int, default=20)
    args = parser.parse_args()
    common.raise_open_files()
    port = common.free_port()
    database = Path(tempfile.mkdtemp(prefix="dialogcafe-bench-console-")) / "bench.sqlite3"
    # One host asks for a hundred suggestions back to back: the per-socket limit is not what is measured.
    env = common.base_env(f"sqlite:///{database}", f"http://127.0.0.1:{port}", SOCKET_EVENTS_PER_SECOND="0")
    common.run_flask(env, "db", "upgrade")
    demo = json.loads(common.run_flask(env, "demo", "--json").strip().splitlines()[-1])
    server = common.Server.app(env, port).start()
    try:
        print(json.dumps(measure(server.url, demo, args), indent=2))
    finally:
        server.stop()


if __name__ == "__main__":
    main()
