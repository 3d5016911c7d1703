"""`make bench-big-synthesis`: does a 20,000-note city-wide synthesis delay a note?

One server process as `flask serve` runs it (gevent, its synthesis service as a child) on a fresh
database with the demo café, a bench café and a big café of the same administration holding
`--big-notes` notes that no pass has seen yet. Hosts stream notes to the bench café while projectors
receive them; note-to-projector latency is measured in two windows of equal length:

- A, baseline: nothing else running;
- B, while the synthesis service runs its first pass over the big café (asked for by a facilitator's
  `synthesis:status`), and the organizer keeps fetching the city-wide page data (`/city/data.json`)
  and an action list export (`/api/v1/events/<id>/actions.xlsx`).

B ends when the pass does (at most `--window` seconds) and A is as long. Prints p50/p95/max, lost and
duplicated for A and B side by side, the ratio of p95 (target ≤ 1.5×), the pass's duration, the
response times of the city page and the export, and CPU/memory of the server and its synthesis child.
"""
import argparse
import json
import re
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests
import socketio

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402
from cafe.demo import ORGANIZER  # noqa: E402

PASSWORD = "bench-password"  # what bench/seed.py gives the demo users
STARTUP = 2.0  # seconds for the load generator processes to start before their ramp
TARGET = 1.5


class Console:
    """A facilitator's console on the big café: records when its synthesis messages arrive."""

    def __init__(self, url: str, token: str, event_id: int):
        # No Origin header, as the load generator's clients (the server accepts only PUBLIC_URL's)
        self.client = socketio.Client(reconnection=False, websocket_extra_options={"suppress_origin": True})
        self.received: list[tuple[float, str, dict]] = []
        self.arrived = threading.Condition()
        for name in ("synthesis:state", "synthesis:updated"):
            self.client.on(name, self._keep(name), namespace="/facilitator")
        self.client.connect(url, namespaces=["/facilitator"], auth={"token": token, "event_id": event_id},
                            transports=["websocket"], wait_timeout=20)

    def _keep(self, name: str):
        """A handler that stores a message with its arrival time."""
        def handler(payload):
            with self.arrived:
                self.received.append((time.time(), name, payload))
                self.arrived.notify_all()
        return handler

    def ask_status(self) -> dict:
        """Send `synthesis:status`, which asks the synthesis service for a pass at once."""
        return self.client.call("synthesis:status", {}, namespace="/facilitator", timeout=30)

    def first(self, state: str, since: float, timeout: float = 0.0) -> float | None:
        """When the console was first told the synthesis is in `state` after `since` (waiting up to `timeout`)."""
        deadline = time.time() + timeout
        with self.arrived:
            while True:
                found = [t for t, name, p in self.received
                         if t >= since and common.synthesis_state(name, p) == state]
                if found or time.time() >= deadline:
                    return found[0] if found else None
                self.arrived.wait(deadline - time.time())

    def close(self) -> None:
        """Disconnect."""
        self.client.disconnect()


class Organizer:
    """The demo organizer fetching the city page data and an action list export, timing each answer."""

    def __init__(self, url: str, big_event_id: int, bench_event_ids: list[int]):
        self.url = url
        self.page = self._logged_in()
        token = requests.post(url + "/api/v1/auth/token", json={"email": ORGANIZER, "password": PASSWORD},
                              timeout=30).json()["token"]
        self.api = requests.Session()
        self.api.headers["Authorization"] = f"Bearer {token}"
        self.export_event = self._demo_event(big_event_id, bench_event_ids)
        self.fetches: list[dict] = []

    def _logged_in(self) -> requests.Session:
        """A browser-like session logged in through the login form (with its CSRF token)."""
        session = requests.Session()
        form = session.get(self.url + "/login", timeout=30).text
        csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
        reply = session.post(self.url + "/login", data={"email": ORGANIZER, "password": PASSWORD,
                                                        "csrf_token": csrf}, allow_redirects=False, timeout=30)
        if reply.status_code != 302:
            raise RuntimeError(f"login failed with {reply.status_code}")
        return session

    def _demo_event(self, big_event_id: int, bench_event_ids: list[int]) -> int:
        """The demo café: the one with action lists, neither the big café nor a bench café."""
        events = self.api.get(self.url + "/api/v1/events", timeout=30).json()["events"]
        return next(e["id"] for e in events if e["id"] != big_event_id and e["id"] not in bench_event_ids)

    def fetch(self, kind: str) -> None:
        """Fetch the city page data or the export once and note the time and status."""
        session, path = ((self.page, "/city/data.json") if kind == "city" else
                         (self.api, f"/api/v1/events/{self.export_event}/actions.xlsx"))
        started = time.time()
        reply = session.get(self.url + path, timeout=300)
        self.fetches.append({"kind": kind, "started": started, "seconds": time.time() - started,
                             "status": reply.status_code, "bytes": len(reply.content)})

    def keep_fetching(self, stop: threading.Event, gap: float) -> None:
        """City page, export, a pause of `gap` seconds, again, until stopped (at least once each)."""
        while True:
            self.fetch("city")
            self.fetch("export")
            if stop.wait(gap):
                return


def prepare(args, db_url: str) -> tuple[dict, dict, dict]:
    """Migrate and seed the demo café, the bench café and the big café; returns env, cafés, big café."""
    env = common.base_env(db_url, "http://127.0.0.1")
    cafes = common.prepare_cafes(env, 1, args.hosts)
    started = time.time()
    big = json.loads(common.run_flask(env, str(common.ROOT / "bench" / "seed_big.py"), str(args.big_notes),
                                      str(args.big_tables)))
    big["seeded_in"] = time.time() - started
    return env, cafes, big


def run_clients_in_thread(confs: dict, args, duration: float) -> tuple[threading.Thread, dict]:
    """Start the hosts and projectors; the thread's result lands in the returned dict."""
    out: dict = {}

    def work():
        try:
            out["result"] = common.run_clients(confs, args.client_processes, duration=duration, ramp=args.ramp,
                                               drain=15, settle=2)
        except Exception as error:  # reported by the caller after the join
            out["error"] = error
    thread = threading.Thread(target=work, name="bench-clients")
    thread.start()
    return thread, out


def sleep_until(moment: float) -> None:
    """Sleep until a wall-clock time."""
    time.sleep(max(0.0, moment - time.time()))


def window_b(server: common.Server, console: Console, organizer: Organizer, args) -> tuple[float, dict, common.Sampler]:
    """Ask for the big pass and fetch the city page and the export until it ends (at most --window)."""
    trigger = time.time()
    asked = console.ask_status().get("state", {})
    stop = threading.Event()
    fetcher = threading.Thread(target=organizer.keep_fetching, args=(stop, args.fetch_gap), name="bench-fetch")
    if not args.no_fetch:
        fetcher.start()
    with common.Sampler(server.pids()) as usage:
        console.first("up_to_date", trigger, timeout=args.window)
    stop.set()
    if fetcher.is_alive():
        fetcher.join()
    return trigger, asked, usage


def stream_and_synthesize(server: common.Server, cafes: dict, big: dict, args) -> dict:
    """Stream notes through window A, then start the big pass and the fetches for window B."""
    console = Console(server.url, cafes["organizer_token"], big["id"])
    organizer = Organizer(server.url, big["id"], [e["id"] for e in cafes["events"]])
    confs = common.client_confs(cafes, server.url, projectors=args.projectors, rate=args.rate)
    writing = args.warmup + 2 * args.window + STARTUP + 3
    a_start = time.time() + STARTUP + args.ramp + args.warmup
    clients, out = run_clients_in_thread(confs, args, writing)
    try:
        sleep_until(a_start)
        with common.Sampler(server.pids()) as usage_a:
            sleep_until(a_start + args.window)
        trigger, asked, usage_b = window_b(server, console, organizer, args)
        clients.join()
        done = console.first("up_to_date", trigger, timeout=args.pass_timeout)
    finally:
        console.close()
    if "error" in out:
        raise out["error"]
    return {"result": out["result"], "trigger": trigger, "pass_began": console.first("updating", trigger),
            "pass_done": done, "asked": asked, "fetches": organizer.fetches, "usage": (usage_a, usage_b),
            "server_pid": server.process.pid, "writing": writing}


def windows(run: dict, args) -> tuple[tuple[float, float], tuple[float, float], list[str]]:
    """A and B of equal length: B from the request for the pass to its end (at most --window)."""
    trigger, warnings = run["trigger"], []
    ramped = max([c["t"] for c in run["result"]["connections"] if c["what"] == "ramped"] or [trigger])
    limits = {"window": args.window, "writing": ramped + run["writing"] - trigger,
              "ramp": trigger - ramped - args.warmup / 2}
    if run["pass_done"] is not None:
        limits["pass"] = run["pass_done"] - trigger
    length = min(limits.values())
    if limits.get("pass", args.window + 1) < args.window:
        warnings.append(f"the big pass ended {limits['pass']:.1f} s into window B, before --window: both windows "
                        f"cut to {length:.1f} s so that B lies within the pass (more --big-notes, a longer pass)")
    if limits["ramp"] < args.window or limits["writing"] < args.window:
        warnings.append(f"clients connected late or stopped early: both windows cut to {length:.1f} s")
    if run["pass_done"] is None:
        warnings.append(f"the big pass did not finish within {args.pass_timeout:.0f} s")
    return (trigger - length, trigger), (trigger, trigger + length), warnings


def usage_rows(sampler: common.Sampler, server_pid: int) -> dict:
    """Mean CPU percent and peak MiB of the server process and of its synthesis child."""
    rows = {"server": {"cpu": 0.0, "rss": 0.0}, "synthesis": {"cpu": 0.0, "rss": 0.0}}
    for pid, samples in sampler.cpu.items():
        role = "server" if pid == server_pid else "synthesis"
        rows[role]["cpu"] += sum(samples) / len(samples) if samples else 0.0
        rows[role]["rss"] += sampler.rss[pid]
    return rows


def fetch_figures(fetches: list[dict], kind: str, pass_done: float | None) -> dict:
    """Count, statuses, p50 and max of one kind of fetch, and how many started during the pass."""
    mine = [f for f in fetches if f["kind"] == kind]
    seconds = [f["seconds"] for f in mine]
    return {"count": len(mine), "statuses": sorted({f["status"] for f in mine}),
            "p50": common.percentile(seconds, .5), "max": max(seconds) if seconds else float("nan"),
            "during_pass": sum(1 for f in mine if pass_done is None or f["started"] < pass_done)}


def figures(run: dict, big: dict, args) -> dict:
    """Everything the report prints, as one dict (the test reads it too)."""
    (a0, a1), (b0, b1), warnings = windows(run, args)
    whole = common.analyse(run["result"], run["writing"])
    usage_a, usage_b = (usage_rows(s, run["server_pid"]) for s in run["usage"])
    a, b = common.analyse_window(run["result"], a0, a1), common.analyse_window(run["result"], b0, b1)
    done, began = run["pass_done"], run["pass_began"]
    return {"A": {**a, "usage": usage_a}, "B": {**b, "usage": usage_b}, "ratio": b["p95"] / a["p95"],
            "duplicated": whole["duplicated"], "unacked": whole["unacked"], "errors": whole["errors"],
            "lost": whole["lost"], "big": big, "warnings": warnings,
            "pass": {"done": done is not None, "seconds": done - run["trigger"] if done else None,
                     "running": done - began if done and began else None,
                     "pending_at_start": run["asked"].get("pending")},
            "city": fetch_figures(run["fetches"], "city", done),
            "export": fetch_figures(run["fetches"], "export", done)}


def report(found: dict) -> None:
    """Print A and B side by side, the ratio, the pass and the fetches."""
    a, b = found["A"], found["B"]
    print(f"\n{'':24} {'A baseline':>12} {'B big pass':>12}")
    rows = (("window s", "seconds", "{:12.1f}"), ("notes written", "notes", "{:12d}"),
            ("deliveries", "deliveries", "{:12d}"), ("lost", "lost", "{:12d}"))
    for label, key, form in rows:
        print(f"{label:24} {form.format(a[key])} {form.format(b[key])}")
    for key in ("p50", "p95", "max"):
        print(f"{key + ' ms':24} {common.fmt_ms(a[key]):>12} {common.fmt_ms(b[key]):>12}")
    for role in ("server", "synthesis"):
        print(f"{'CPU % ' + role:24} {a['usage'][role]['cpu']:12.0f} {b['usage'][role]['cpu']:12.0f}")
        print(f"{'peak MiB ' + role:24} {a['usage'][role]['rss']:12.0f} {b['usage'][role]['rss']:12.0f}")
    ok = found["ratio"] <= TARGET and found["lost"] == 0 and found["duplicated"] == 0
    print(f"\np95 B/A: {found['ratio']:.2f}x (target ≤ {TARGET}x); lost {found['lost']}, duplicated "
          f"{found['duplicated']}, unacked {found['unacked']}, errors {found['errors']} over the whole run: "
          f"{'OK' if ok else 'TARGET MISSED'}")
    big, run = found["big"], found["pass"]
    if run["done"]:
        print(f"big pass: {big['notes']} notes in {run['seconds']:.1f} s from the request "
              f"({run['running']:.1f} s from `updating` to `up_to_date`)")
    for kind, name in (("city", "city page /city/data.json"), ("export", "export actions.xlsx")):
        f = found[kind]
        print(f"{name:28} n={f['count']:3d} ({f['during_pass']} during the pass)  p50 {common.fmt_ms(f['p50'])} ms"
              f"  max {common.fmt_ms(f['max'])} ms  status {f['statuses']}")
    for warning in found["warnings"]:
        print(f"WARNING: {warning}")


def parse(argv: list[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--big-notes", type=int, default=20000, help="notes in the big café")
    parser.add_argument("--big-tables", type=int, default=200, help="tables of the big café")
    parser.add_argument("--hosts", type=int, default=100, help="hosts (one per table) of the bench café")
    parser.add_argument("--projectors", type=int, default=10)
    parser.add_argument("--rate", type=float, default=1.0, help="notes per host per second")
    parser.add_argument("--window", type=float, default=30, help="seconds of each window (at most)")
    parser.add_argument("--warmup", type=float, default=5, help="seconds of notes before window A")
    parser.add_argument("--ramp", type=float, default=3)
    parser.add_argument("--fetch-gap", type=float, default=1.0, help="seconds between two rounds of fetches")
    parser.add_argument("--no-fetch", action="store_true", help="the big pass alone in window B (no fetches)")
    parser.add_argument("--pass-timeout", type=float, default=600)
    parser.add_argument("--client-processes", type=int, default=2)
    parser.add_argument("--database-url", help="default: a fresh SQLite file (the embedded default)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> dict:
    """Prepare, stream through both windows, print and return the figures."""
    args = parse(argv)
    common.raise_open_files()
    folder = Path(tempfile.mkdtemp(prefix="dialogcafe-bench-big-"))
    db_url = args.database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
    env, cafes, big = prepare(args, db_url)
    print(f"bench-big-synthesis: {args.hosts} hosts × {args.rate:g}/s, {args.projectors} projectors, big café "
          f"of {args.big_notes} notes (seeded in {big['seeded_in']:.1f} s), windows of {args.window:g} s, "
          f"database {db_url.split(':')[0]}", flush=True)
    server = common.Server.app(env).start()
    try:
        run = stream_and_synthesize(server, cafes, big, args)
    finally:
        server.stop()
    found = figures(run, big, args)
    report(found)
    return found


if __name__ == "__main__":
    main()
