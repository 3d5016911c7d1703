"""`make bench-big-synthesis`: does a 20,000-note city-wide synthesis delay a note?

One server process as `flask serve` runs it (gevent, its synthesis service as a child) on a fresh
database with the demo café, a bench café and a big café of the same administration holding
`--big-notes` notes that no pass has seen yet. Hosts stream notes to the bench café while projectors
receive them; note-to-projector latency is measured in two windows of equal length:

- A, baseline: nothing else running;
- B, while the synthesis service runs its first pass over the big café (asked for by a facilitator's
  `synthesis:status`), and the organizer keeps fetching the city-wide page data (`/city/data.json`)
  and an action list export (`/api/v1/events/<id>/actions.xlsx`).

- C, a control right after B: no pass and no fetches, but a process that only burns CPU at the same
  lowest priority as the synthesis service (Linux SCHED_IDLE). It shows what any background work
  costs the notes on this machine, whatever it is.

B ends when the pass does (at most `--window` seconds); A and C are as long. Each of `--rounds` rounds
has a fresh database and server. Prints, per round and pooled, p50/p95/max, lost and duplicated for A,
B and C side by side, the p95 ratios B/A, C/A and B/C, the pass's duration, the response times of the
city page and the export, and CPU/memory of the server, its synthesis child and its job processes.

The target is B/C ≤ 1.5×, like the other benchmarks' app against a bare relay in the same setup: the
pass and the fetches against bare background load at the same priority. B/A is printed beside it; on a
two-core machine shared with the clients C/A alone is 1.5–2×, so B/A cannot be below what C/A is.
"""
import argparse
import json
import re
import subprocess
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
QUIET_TARGET = 1.2  # note latency during the big pass against the quiet window (B/A)
# The control's load: CPU work only (sorting a list of three million numbers, again and again), at the
# synthesis service's priority.
IDLE_LOAD = ("import os\ntry:\n os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))\n"
             "except (AttributeError, OSError):\n os.nice(19)\n"
             "numbers = list(range(3_000_000))\nwhile True:\n numbers.sort(key=lambda n: -n)\n")


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
        """The demo's held café: the one with action lists (closed), neither the big café nor a bench café."""
        events = self.api.get(self.url + "/api/v1/events", timeout=30).json()["events"]
        return next(e["id"] for e in events if e["id"] != big_event_id and e["id"] not in bench_event_ids
                    and e["status"] == "closed")

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


def window_c(server: common.Server, seconds: float) -> tuple[float, common.Sampler]:
    """The control: only a CPU-bound process at the lowest priority, for `seconds`."""
    load = subprocess.Popen([sys.executable, "-c", IDLE_LOAD])
    started = time.time()
    try:
        with common.Sampler(server.pids()) as usage:
            time.sleep(seconds)
    finally:
        load.kill()
        load.wait()
    return started, usage


def stream_and_synthesize(server: common.Server, cafes: dict, big: dict, args) -> dict:
    """Stream notes through window A, then start the big pass and the fetches for window B."""
    console = Console(server.url, cafes["organizer_token"], big["id"])
    organizer = Organizer(server.url, big["id"], [e["id"] for e in cafes["events"]])
    confs = common.client_confs(cafes, server.url, projectors=args.projectors, rate=args.rate)
    writing = args.warmup + 3 * args.window + STARTUP + 3
    a_start = time.time() + STARTUP + args.ramp + args.warmup
    clients, out = run_clients_in_thread(confs, args, writing)
    try:
        sleep_until(a_start)
        with common.Sampler(server.pids()) as usage_a:
            sleep_until(a_start + args.window)
        trigger, asked, usage_b = window_b(server, console, organizer, args)
        control, usage_c = window_c(server, min(time.time() - trigger, args.window))
        clients.join()
        done = console.first("up_to_date", trigger, timeout=args.pass_timeout)
    finally:
        console.close()
    if "error" in out:
        raise out["error"]
    return {"result": out["result"], "trigger": trigger, "pass_began": console.first("updating", trigger),
            "pass_done": done, "asked": asked, "fetches": organizer.fetches, "control": control,
            "usage": (usage_a, usage_b, usage_c), "server_pid": server.process.pid, "writing": writing}


def windows(run: dict, args) -> tuple[tuple[float, float], ...]:
    """A, B and C of equal length: B from the request for the pass to its end (at most --window), C
    from the start of the control; and the warnings."""
    trigger, control, warnings = run["trigger"], run["control"], []
    ramped = max([c["t"] for c in run["result"]["connections"] if c["what"] == "ramped"] or [trigger])
    limits = {"window": args.window, "writing": ramped + run["writing"] - control,
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
    return (trigger - length, trigger), (trigger, trigger + length), (control, control + length), warnings


ROLES = ("server", "synthesis", "jobs")


def role(sampler: common.Sampler, pid: int, server_pid: int) -> str:
    """What a sampled process is: the server, its synthesis child or one of its job processes."""
    if pid == server_pid:
        return "server"
    try:
        command = " ".join(sampler.processes[pid].cmdline())
    except Exception:  # gone since
        command = ""
    return "jobs" if "cafe.runtime jobs" in command else "synthesis"


def usage_rows(sampler: common.Sampler, server_pid: int) -> dict:
    """Mean CPU percent and peak MiB of the server process, its synthesis child and its job processes."""
    rows = {name: {"cpu": 0.0, "rss": 0.0} for name in ROLES}
    for pid, samples in sampler.cpu.items():
        role_of = role(sampler, pid, server_pid)
        rows[role_of]["cpu"] += sum(samples) / len(samples) if samples else 0.0
        rows[role_of]["rss"] += sampler.rss[pid]
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
    *spans, warnings = windows(run, args)
    whole = common.analyse(run["result"], run["writing"])
    a, b, c = ({**common.analyse_window(run["result"], start, end), "usage": usage_rows(sampler, run["server_pid"])}
               for (start, end), sampler in zip(spans, run["usage"]))
    done, began = run["pass_done"], run["pass_began"]
    return {"A": a, "B": b, "C": c, "ratio": b["p95"] / a["p95"], "control_ratio": b["p95"] / c["p95"],
            "duplicated": whole["duplicated"], "unacked": whole["unacked"], "errors": whole["errors"],
            "lost": whole["lost"], "big": big, "warnings": warnings,
            "pass": {"done": done is not None, "seconds": done - run["trigger"] if done else None,
                     "running": done - began if done and began else None,
                     "pending_at_start": run["asked"].get("pending")},
            "city": fetch_figures(run["fetches"], "city", done),
            "export": fetch_figures(run["fetches"], "export", done)}


WINDOWS = (("A", "A baseline"), ("B", "B big pass"), ("C", "C idle load"))


def print_windows(found: dict) -> None:
    """A, B and C side by side: notes, latency, and CPU and memory where sampled."""
    print(f"\n{'':24}" + "".join(f" {title:>12}" for _key, title in WINDOWS))
    rows = (("window s", "seconds", "{:12.1f}"), ("notes written", "notes", "{:12d}"),
            ("deliveries", "deliveries", "{:12d}"), ("lost", "lost", "{:12d}"))
    for label, key, form in rows:
        print(f"{label:24}" + "".join(" " + form.format(found[w][key]) for w, _title in WINDOWS))
    for key in ("p50", "p95", "max"):
        print(f"{key + ' ms':24}" + "".join(f" {common.fmt_ms(found[w][key]):>12}" for w, _title in WINDOWS))
    for name in ROLES if "usage" in found["A"] else ():
        print(f"{'CPU % ' + name:24}" + "".join(f" {found[w]['usage'][name]['cpu']:12.0f}" for w, _t in WINDOWS))
        print(f"{'peak MiB ' + name:24}" + "".join(f" {found[w]['usage'][name]['rss']:12.0f}" for w, _t in WINDOWS))


def print_ratios(found: dict) -> None:
    """B/A against the target, C/A and B/C, and what was lost."""
    ok = found["control_ratio"] <= TARGET and found["lost"] == 0 and found["duplicated"] == 0
    print(f"\np95 B/A: {found['ratio']:.2f}x (the pass and fetches against nothing; target ≤ {QUIET_TARGET}x: "
          f"{'met' if found['ratio'] <= QUIET_TARGET else 'missed'}); "
          f"C/A: {found['C']['p95'] / found['A']['p95']:.2f}x (bare lowest-priority CPU load against nothing)")
    print(f"p95 B/C: {found['control_ratio']:.2f}x (target ≤ {TARGET}x); lost {found['lost']}, duplicated "
          f"{found['duplicated']}, unacked {found['unacked']}, errors {found['errors']}: "
          f"{'OK' if ok else 'TARGET MISSED'}")


def report(found: dict) -> None:
    """One round: the windows, the ratios, the pass and the fetches."""
    print_windows(found)
    print_ratios(found)
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


def pooled(rounds: list[dict]) -> dict:
    """The rounds taken together: latencies of each window pooled, counts added."""
    found = {"rounds": rounds}
    for window, _title in WINDOWS:
        runs = [r[window] for r in rounds]
        found[window] = {"seconds": sum(r["seconds"] for r in runs), "notes": sum(r["notes"] for r in runs),
                         "acked": sum(r["acked"] for r in runs), "lost": sum(r["lost"] for r in runs),
                         **common.latency_figures([t for r in runs for t in r["latencies"]])}
    for key in ("lost", "duplicated", "unacked", "errors"):
        found[key] = sum(r[key] for r in rounds)
    found["ratio"] = found["B"]["p95"] / found["A"]["p95"]
    found["control_ratio"] = found["B"]["p95"] / found["C"]["p95"]
    return found


def one_round(args, number: int) -> dict:
    """A fresh database and server; both windows and the control; the round's figures, printed."""
    folder = Path(tempfile.mkdtemp(prefix="dialogcafe-bench-big-"))
    db_url = args.database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
    if args.database_url and number > 1:
        raise SystemExit("--rounds above 1 needs a fresh database per round: leave out --database-url")
    env, cafes, big = prepare(args, db_url)
    print(f"\nround {number}/{args.rounds}: {args.hosts} hosts × {args.rate:g}/s, {args.projectors} projectors, "
          f"big café of {args.big_notes} notes (seeded in {big['seeded_in']:.1f} s), windows of at most "
          f"{args.window:g} s, database {db_url.split(':')[0]}", flush=True)
    server = common.Server.app(env).start()
    try:
        run = stream_and_synthesize(server, cafes, big, args)
    finally:
        server.stop()
    found = figures(run, big, args)
    report(found)
    return found


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
    parser.add_argument("--rounds", type=int, default=2, help="rounds, each on a fresh database and server")
    parser.add_argument("--database-url", help="default: a fresh SQLite file per round (the embedded default); "
                        "an empty database of your own allows one round")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> dict:
    """Run the rounds, print each and, with several, the pooled figures; return them all."""
    args = parse(argv)
    common.raise_open_files()
    rounds = [one_round(args, n) for n in range(1, args.rounds + 1)]
    found = pooled(rounds)
    if args.rounds > 1:
        print(f"\npooled over {args.rounds} rounds (per round B/A: "
              + ", ".join(f"{r['ratio']:.2f}x" for r in rounds) + "):")
        print_windows(found)
        print_ratios(found)
    return found


if __name__ == "__main__":
    main()
