"""`make bench-live`: note latency through the app against a bare Flask-SocketIO relay doing the same
fan-out (the note is acked and sent to the sender's table room, the consoles and the projectors).

For each kind of client (asyncio clients in several processes; threaded python-socketio clients in one
process, as most scripts and integrations connect) and each number of hosts (spread over `--tables`
tables of one café, each host writing `--notes` notes at `--rate` a second, `--projectors` projectors
watching), the app and the relay take turns for `--rounds` rounds (the order flips every round, every
app run starts on a fresh database). Prints, per setup: p50, p95 and max of the note-to-projector
latency and their app/relay ratios (median over the rounds), bytes received by all clients per note,
the server process's CPU time per note, lost and duplicated notes. Then the memory a thousand idle
connected sockets cost each server.

    python bench/bench_live.py                                   # the full run (about 15 minutes)
    python bench/bench_live.py --hosts 20 --notes 3 --rounds 1 --idle 100   # a quick look

This machine's speed drifts from one minute to the next when it is shared: compare ratios, not
absolute times, and prefer a quiet machine for figures that matter.
"""
import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402
from tests.support import free_port  # noqa: E402

KINDS = {"asyncio": "loadgen", "threaded": "threadgen"}
TARGET = 1.3


def measure(server: common.Server, cafes: dict, args, kind: str, hosts: int) -> dict:
    """Run the traffic of one setup against one server; its figures with CPU per note and bytes per note."""
    confs = common.client_confs(cafes, server.url, projectors=args.projectors, rate=args.rate, hosts=hosts)
    processes = args.client_processes if kind == "asyncio" else 1
    duration = args.notes / args.rate
    with common.Sampler(server.pids()) as sampler:
        result = common.run_clients(confs, processes, generator=KINDS[kind], duration=duration,
                                    ramp=args.ramp, drain=15, settle=2)
    figures = common.analyse(result, duration)
    acked = max(figures["acked"], 1)
    figures["cpu_ms"] = 1000 * sampler.cpu_used.get(server.process.pid, 0.0) / acked
    figures["bytes_per_note"] = figures["bytes"] / acked
    return figures


def fresh_database(args) -> tuple[dict, dict]:
    """The app's environment on a fresh database (a new SQLite file by default) with the café seeded."""
    folder = Path(tempfile.mkdtemp(prefix="dialogcafe-bench-live-"))
    env = common.base_env(args.database_url or f"sqlite:///{folder / 'bench.sqlite3'}", "http://127.0.0.1")
    return env, common.prepare_cafes(env, 1, args.tables)


def start(name: str, env: dict) -> common.Server:
    """Start the app (its public address is its own: threaded clients send an Origin) or the relay."""
    if name == "relay":
        return common.Server.relay().start()
    port = free_port()
    return common.Server.app({**env, "PUBLIC_URL": f"http://127.0.0.1:{port}"}, port).start()


def run_setup(args, kind: str, hosts: int) -> list[dict]:
    """The rounds of one setup: the app and the relay in turns, each with the same traffic."""
    rounds = []
    for number in range(args.rounds):
        env, cafes = fresh_database(args)  # the relay only reads the ids of the same café
        order = ("app", "relay") if number % 2 == 0 else ("relay", "app")
        figures = {}
        for name in order:
            server = start(name, env)
            try:
                figures[name] = measure(server, cafes, args, kind, hosts)
            finally:
                server.stop()
        rounds.append(figures)
    return rounds


def row(name: str, f: dict) -> str:
    """One row of figures."""
    return (f"{name:18} {common.fmt_ms(f['p50'])} {common.fmt_ms(f['p95'])} {common.fmt_ms(f['max'])} "
            f"{f['notes_per_s']:8.1f} {f['bytes_per_note']:9.0f} {f['cpu_ms']:8.2f} "
            f"{f['lost']:5d} {f['duplicated']:5d} {f['unacked']:7d} {f['errors']:6d}")


def ratios(rounds: list[dict], key: str) -> float:
    """The median over the rounds of app/relay for one figure."""
    return statistics.median(r["app"][key] / r["relay"][key] for r in rounds)


def report_setup(label: str, rounds: list[dict]) -> dict:
    """Print every round of a setup and its ratios; return the ratios."""
    print(f"\n{label}")
    print(f"{'':18} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'notes/s':>8} {'bytes/note':>9} "
          f"{'CPU ms/n':>8} {'lost':>5} {'dupl.':>5} {'unacked':>7} {'errors':>6}")
    for number, figures in enumerate(rounds, 1):
        for name in ("app", "relay"):
            print(row(f"{name} {number}", figures[name]))
    summary = {key: ratios(rounds, key) for key in ("p50", "p95", "max", "bytes_per_note", "cpu_ms")}
    summary["lost"] = sum(r["app"]["lost"] for r in rounds)
    summary["duplicated"] = sum(r["app"]["duplicated"] for r in rounds)
    print(f"app/relay: p50 {summary['p50']:.2f}x, p95 {summary['p95']:.2f}x, max {summary['max']:.2f}x "
          f"(target p50 and p95 ≤ {TARGET}x); bytes/note {summary['bytes_per_note']:.2f}x, "
          f"CPU/note {summary['cpu_ms']:.2f}x; app lost {summary['lost']}, duplicated {summary['duplicated']}")
    return summary


def idle_memory(args, name: str) -> tuple[float, float]:
    """Resident memory of a server before and with `--idle` connected, silent host sockets (MiB)."""
    env, cafes = fresh_database(args)
    server = start(name, env)
    try:
        time.sleep(1)
        pid = server.process.pid
        with common.Sampler([pid], interval=0.5) as sampler:
            confs = common.client_confs(cafes, server.url, rate=1.0, hosts=args.idle)
            common.run_clients(confs, args.client_processes, idle=True, duration=args.idle_seconds,
                               ramp=max(2.0, args.idle / 200), drain=0, settle=0, final_sync=False)
        return sampler.rss_start[pid], sampler.rss[pid]
    finally:
        server.stop()


def report_idle(args) -> None:
    """Print what idle sockets cost the app and the relay."""
    figures = {name: idle_memory(args, name) for name in ("app", "relay")}
    print(f"\n{args.idle} idle sockets (one server process, peak resident memory):")
    for name, (before, peak) in figures.items():
        print(f"  {name:6} {before:7.1f} MiB before, {peak:7.1f} MiB with them: {peak - before:6.1f} MiB, "
              f"{1024 * (peak - before) / args.idle:6.1f} KiB a socket")
    (app_before, app_peak), (relay_before, relay_peak) = figures["app"], figures["relay"]
    print(f"app/relay: sockets {(app_peak - app_before) / max(relay_peak - relay_before, 0.1):.2f}x, "
          f"whole process {app_peak / relay_peak:.2f}x (target ≤ {TARGET}x)")


def main() -> None:
    """Measure every setup, then idle memory."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hosts", default="100,200", help="comma-separated host counts, one setup each")
    parser.add_argument("--tables", type=int, default=8)
    parser.add_argument("--projectors", type=int, default=10)
    parser.add_argument("--rate", type=float, default=1.0, help="notes per host per second")
    parser.add_argument("--notes", type=int, default=10, help="notes per host per run")
    parser.add_argument("--rounds", type=int, default=3, help="app and relay runs per setup, taking turns")
    parser.add_argument("--clients", default="asyncio,threaded", help="client kinds: asyncio, threaded")
    parser.add_argument("--ramp", type=float, default=3)
    parser.add_argument("--client-processes", type=int, default=2, help="processes of asyncio clients")
    parser.add_argument("--idle", type=int, default=1000, help="idle sockets for the memory figure (0: skip)")
    parser.add_argument("--idle-seconds", type=float, default=5)
    parser.add_argument("--database-url", help="default: a fresh SQLite file per run (the embedded default)")
    args = parser.parse_args()
    common.raise_open_files()
    print(f"bench-live: hosts {args.hosts} over {args.tables} tables, {args.notes} notes each at {args.rate}/s, "
          f"{args.projectors} projectors, {args.rounds} rounds per setup, clients {args.clients}, "
          f"database {(args.database_url or 'sqlite').split(':')[0]}")
    summaries = {}
    for kind in args.clients.split(","):
        for hosts in (int(h) for h in args.hosts.split(",")):
            label = f"{kind} clients, {hosts} hosts"
            summaries[label] = report_setup(label, run_setup(args, kind, hosts))
    print("\nsummary (app/relay, median of rounds):")
    for label, s in summaries.items():
        print(f"  {label:28} p50 {s['p50']:.2f}x  p95 {s['p95']:.2f}x  max {s['max']:.2f}x  "
              f"bytes {s['bytes_per_note']:.2f}x  CPU {s['cpu_ms']:.2f}x  lost {s['lost']}  dupl. {s['duplicated']}")
    if args.idle:
        report_idle(args)


if __name__ == "__main__":
    main()
