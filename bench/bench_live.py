"""`make bench-live`: note-to-projector latency through the app against a bare Flask-SocketIO relay.

N hosts (one per table of one café) each send a note every 1/RATE seconds while M projectors
receive; the same clients, in separate processes, then do the same against the relay. Prints
p50/p95/max latency, throughput, lost and duplicated notes, and the ratio app/relay.
"""
import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402


def measure(server: common.Server, cafes: dict, args) -> tuple[dict, list[dict]]:
    """Run the traffic against one server and return the figures and its CPU/memory."""
    confs = common.client_confs(cafes, server.url, projectors=args.projectors, rate=args.rate)
    with common.Sampler(server.pids()) as sampler:
        result = common.run_clients(confs, args.client_processes, duration=args.duration,
                                    ramp=args.ramp, drain=15, settle=2)
    return common.analyse(result, args.duration), sampler.summary()


def report(rows: list[tuple[str, dict, list]]) -> None:
    """Print the figures side by side and the ratio."""
    print(f"\n{'':8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'notes/s':>8} {'deliv.':>8} "
          f"{'lost':>5} {'dupl.':>5} {'unacked':>7} {'errors':>6} {'CPU %':>6} {'MiB':>6}")
    for name, f, usage in rows:
        cpu = sum(u["cpu"] for u in usage)
        rss = sum(u["rss"] for u in usage)
        print(f"{name:8} {common.fmt_ms(f['p50'])} {common.fmt_ms(f['p95'])} {common.fmt_ms(f['max'])} "
              f"{f['notes_per_s']:8.1f} {f['deliveries']:8d} {f['lost']:5d} {f['duplicated']:5d} "
              f"{f['unacked']:7d} {f['errors']:6d} {cpu:6.0f} {rss:6.0f}")
    app, relay = rows[0][1], rows[1][1]
    ratio = app["p95"] / relay["p95"]
    print(f"\np95 app/relay: {ratio:.2f}x (target ≤ 1.5x); lost {app['lost']}, duplicated {app['duplicated']}")


def main() -> None:
    """Measure the app, then the relay, with the same traffic."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--hosts", type=int, default=200)
    parser.add_argument("--projectors", type=int, default=20)
    parser.add_argument("--rate", type=float, default=1.0, help="notes per host per second")
    parser.add_argument("--duration", type=float, default=30)
    parser.add_argument("--ramp", type=float, default=5)
    parser.add_argument("--client-processes", type=int, default=2)
    parser.add_argument("--database-url", help="default: a fresh SQLite file (the embedded default)")
    args = parser.parse_args()
    common.raise_open_files()
    folder = Path(tempfile.mkdtemp(prefix="dialogcafe-bench-live-"))
    db_url = args.database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
    env = common.base_env(db_url, "http://127.0.0.1")
    cafes = common.prepare_cafes(env, 1, args.hosts)
    print(f"bench-live: {args.hosts} hosts × {args.rate}/s, {args.projectors} projectors, "
          f"{args.duration:.0f} s, {args.client_processes} client processes, database {db_url.split(':')[0]}")
    rows = []
    for name, server in (("app", common.Server.app(env)), ("relay", common.Server.relay())):
        server.start()
        try:
            rows.append((name, *measure(server, cafes, args)))
        finally:
            server.stop()
    report(rows)


if __name__ == "__main__":
    main()
