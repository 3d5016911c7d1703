"""`make bench-live`: note-to-projector latency through the app against a bare Flask-SocketIO relay.

N hosts (one per table of one café) each send a note every 1/RATE seconds while M projectors
receive; the same clients, in separate processes, then do the same against the relay. Prints
p50/p95/max latency, throughput, lost and duplicated notes, and the ratio app/relay.

This machine's speed drifts by tens of percent from one minute to the next (it is shared), so one
run of each says little. The app and the relay take turns for `--rounds` rounds (the order flips
every round, and every app run starts on a fresh database); the ratio reported is the median of
the rounds' ratios, beside the ratio of the pooled latencies.
"""
import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402


def measure(server: common.Server, cafes: dict, args) -> tuple[dict, list[dict]]:
    """Run the traffic against one server; return its figures and its CPU/memory."""
    confs = common.client_confs(cafes, server.url, projectors=args.projectors, rate=args.rate)
    with common.Sampler(server.pids()) as sampler:
        result = common.run_clients(confs, args.client_processes, duration=args.duration,
                                    ramp=args.ramp, drain=15, settle=2)
    return common.analyse(result, args.duration), sampler.summary()


def run(name: str, env: dict, cafes: dict, args) -> tuple[dict, list[dict]]:
    """One measured run of the app or the relay."""
    server = common.Server.app(env) if name == "app" else common.Server.relay()
    server.start()
    try:
        return measure(server, cafes, args)
    finally:
        server.stop()


def fresh_database(args) -> tuple[dict, dict]:
    """The app's environment on a fresh database (a new SQLite file by default) with the café seeded."""
    folder = Path(tempfile.mkdtemp(prefix="dialogcafe-bench-live-"))
    env = common.base_env(args.database_url or f"sqlite:///{folder / 'bench.sqlite3'}", "http://127.0.0.1")
    return env, common.prepare_cafes(env, 1, args.hosts)


def line(name: str, f: dict, usage: list[dict]) -> str:
    """One row of figures."""
    per_process = ", ".join(f"{u['cpu']:.0f}%/{u['rss']:.0f}" for u in usage)
    return (f"{name:14} {common.fmt_ms(f['p50'])} {common.fmt_ms(f['p95'])} {common.fmt_ms(f['max'])} "
            f"{f['notes_per_s']:8.1f} {f['deliveries']:8d} {f['lost']:5d} {f['duplicated']:5d} "
            f"{f['unacked']:7d} {f['errors']:6d}  {per_process}")


def report(rounds: list[dict], pooled: dict) -> None:
    """Print every round, the pooled figures and the ratios."""
    print(f"\n{'':14} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'notes/s':>8} {'deliv.':>8} "
          f"{'lost':>5} {'dupl.':>5} {'unacked':>7} {'errors':>6}  CPU % / MiB per process")
    for number, figures in enumerate(rounds, 1):
        for name in ("app", "relay"):
            print(line(f"{name} {number}", *figures[name]))
    for name in ("app", "relay"):
        print(line(f"{name} pooled", pooled[name], []))
    ratios = [r["app"][0]["p95"] / r["relay"][0]["p95"] for r in rounds]
    lost = sum(r["app"][0]["lost"] for r in rounds)
    duplicated = sum(r["app"][0]["duplicated"] for r in rounds)
    print(f"\np95 app/relay per round: {', '.join(f'{x:.2f}x' for x in ratios)}; "
          f"median {statistics.median(ratios):.2f}x, pooled {pooled['app']['p95'] / pooled['relay']['p95']:.2f}x "
          f"(target ≤ 1.5x); lost {lost}, duplicated {duplicated}")


def main() -> None:
    """Measure the app and the relay in turns, with the same traffic."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--hosts", type=int, default=200)
    parser.add_argument("--projectors", type=int, default=20)
    parser.add_argument("--rate", type=float, default=1.0, help="notes per host per second")
    parser.add_argument("--duration", type=float, default=20, help="seconds of notes per run")
    parser.add_argument("--rounds", type=int, default=3, help="app and relay runs, taking turns")
    parser.add_argument("--ramp", type=float, default=5)
    parser.add_argument("--client-processes", type=int, default=2)
    parser.add_argument("--database-url", help="default: a fresh SQLite file per run (the embedded default)")
    args = parser.parse_args()
    common.raise_open_files()
    print(f"bench-live: {args.hosts} hosts × {args.rate}/s, {args.projectors} projectors, {args.rounds} rounds "
          f"of {args.duration:.0f} s each, {args.client_processes} client processes, "
          f"database {(args.database_url or 'sqlite').split(':')[0]}")
    rounds = []
    for number in range(args.rounds):
        env, cafes = fresh_database(args)  # the relay only reads the ids of the same café
        order = ("app", "relay") if number % 2 == 0 else ("relay", "app")
        rounds.append({name: run(name, env, cafes, args) for name in order})
    report(rounds, {name: common.pool([r[name][0] for r in rounds]) for name in ("app", "relay")})


if __name__ == "__main__":
    main()
