"""`make bench-load`: ramp to 1,000 connections (hosts, consoles, projectors of many cafés) against
one app process on the embedded default (SQLite, as `make run` starts it), one process on PostgreSQL,
two processes behind nginx (Redis message queue, PostgreSQL), and the bare relay, alone and as two
processes behind the same nginx and Redis.

This shared machine's speed drifts from one minute to the next, so every setup runs once per round
for `--rounds` rounds, the order flipping each round, and the ratios are given per round and for
the pooled latencies of all rounds.

Prints connections held and refused, p50/p95/p99 note-to-projector latency, notes per second, and
CPU and memory per server process, with the ratio of each setup's p95 to the single relay's and to
the relay in the same setup (one process, or two behind nginx with Redis).
"""
import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common, services  # noqa: E402
from cafe.runtime.cluster import Cluster, Nginx  # noqa: E402
from tests.support import free_port  # noqa: E402

SINGLE, SINGLE_PG, CLUSTER, RELAY, RELAY_PAIR = ("1 process, SQLite", "1 process, PostgreSQL",
                                                 "2 processes + nginx", "bare relay",
                                                 "bare relay, 2 processes + nginx")
SETUPS = (SINGLE, SINGLE_PG, CLUSTER, RELAY, RELAY_PAIR)
BASELINE = {SINGLE: RELAY, SINGLE_PG: RELAY, CLUSTER: RELAY_PAIR}  # the relay in the same setup


def measure(name: str, url: str, pids: list[int], cafes: dict, args) -> dict:
    """Run the mix against one setup and collect its figures."""
    confs = common.client_confs(cafes, url, projectors=args.projectors, facilitators=args.facilitators,
                                rate=args.rate, sources=64)
    with common.Sampler(pids) as sampler:
        result = common.run_clients(confs, args.client_processes, duration=args.duration, ramp=args.ramp,
                                    drain=30, settle=2)
    figures = common.analyse(result, args.duration)
    figures.update(name=name, usage=sampler.summary(), clients=len(confs["hosts"]) + len(confs["watchers"]))
    return figures


def report(rounds: list[dict]) -> None:
    """Print one line per setup and round, the pooled figures of every setup, and the ratios of p95 to
    the single relay's and to the relay in the same setup."""
    print(f"\n{'setup':41} {'held':>5} {'refused':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'notes/s':>8} "
          f"{'lost':>5} {'dupl.':>5} {'p95/relay':>9} {'same setup':>10}  CPU % / MiB per process")
    pooled = {name: common.pool([r[name] for r in rounds]) for name in SETUPS}

    def line(label: str, f: dict, figures: dict, usage: list[dict]) -> None:
        single, same = figures[RELAY], figures[BASELINE.get(label.split(" (")[0], RELAY)]
        cpu = ", ".join(f"{u['cpu']:.0f}%/{u['rss']:.0f}" for u in usage)
        print(f"{label:41} {f['held']:5d} {f['refused']:7d} {common.fmt_ms(f['p50'])} {common.fmt_ms(f['p95'])} "
              f"{common.fmt_ms(f['p99'])} {f['notes_per_s']:8.1f} {f['lost']:5d} {f['duplicated']:5d} "
              f"{f['p95'] / single['p95']:8.2f}x {f['p95'] / same['p95']:9.2f}x  {cpu}")
    for number, figures in enumerate(rounds, 1):
        for name in SETUPS:
            line(f"{name} ({number})", figures[name], figures, figures[name]["usage"])
    held = min(f["held"] for r in rounds for f in r.values())
    for name in SETUPS:
        line(f"{name} (pooled)", {**pooled[name], "held": held}, pooled, [])
    for name in BASELINE:
        ratios = [r[name]["p95"] / r[BASELINE[name]]["p95"] for r in rounds]
        print(f"p95 {name} / {BASELINE[name]}: per round {', '.join(f'{x:.2f}x' for x in ratios)}; "
              f"pooled {pooled[name]['p95'] / pooled[BASELINE[name]]['p95']:.2f}x (target ≤ 1.5x)")
    refused = sum(f["refused"] for r in rounds for f in r.values())
    print(f"connections held in every run: at least {held}; refused: {refused}")


def run_single(name: str, database_url: str, cafes: dict, args) -> dict:
    """One app process, as `flask serve` runs it."""
    single = common.Server.app(common.base_env(database_url, "http://127.0.0.1")).start()
    try:
        return measure(name, single.url, single.pids(), cafes, args)
    finally:
        single.stop()


def run_cluster(database_url: str, redis_url: str, env: dict, cafes: dict, args) -> dict:
    """Two gunicorn processes behind nginx on Redis, with their synthesis service."""
    cluster = Cluster(2, database_url, redis_url, app_port=free_port(), proxy_port=free_port(), env=env)
    cluster.start()
    try:
        pids = [pid for app in cluster.apps for pid in app.pids()[1:]] + [cluster.nginx.process.pid]
        return measure(CLUSTER, cluster.url, pids, cafes, args)
    finally:
        cluster.stop()


def run_relay(cafes: dict, args) -> dict:
    """The bare relay alone."""
    relay = common.Server.relay().start()
    try:
        return measure(RELAY, relay.url, relay.pids(), cafes, args)
    finally:
        relay.stop()


def run_relay_pair(redis_url: str, cafes: dict, args) -> dict:
    """Two relay processes behind the same nginx and Redis."""
    relays, proxy = relay_pair(redis_url, free_port())
    try:
        pids = [pid for r in relays for pid in r.pids()] + [proxy.process.pid]
        return measure(RELAY_PAIR, proxy.url, pids, cafes, args)
    finally:
        proxy.stop()
        for r in relays:
            r.stop()


def relay_pair(redis_url: str, port: int) -> tuple[list[common.Server], Nginx]:
    """Two relay processes sharing broadcasts through Redis, behind nginx as the app's cluster is."""
    relays = [common.Server.relay(redis_url=redis_url).start() for _ in range(2)]
    folder = Path(tempfile.mkdtemp(prefix="dialogcafe-relay-nginx-"))
    proxy = Nginx(folder, "127.0.0.1", port, [r.port for r in relays])
    proxy.start()
    return relays, proxy


def main() -> None:
    """Seed, then measure the five setups in turns for `--rounds` rounds."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=20)
    parser.add_argument("--tables", type=int, default=40, help="hosts per café (one per table)")
    parser.add_argument("--facilitators", type=int, default=5, help="per café")
    parser.add_argument("--projectors", type=int, default=5, help="per café")
    parser.add_argument("--rate", type=float, default=0.05, help="notes per host per second")
    parser.add_argument("--duration", type=float, default=30)
    parser.add_argument("--ramp", type=float, default=20)
    parser.add_argument("--client-processes", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2, help="every setup once per round; the order flips")
    args = parser.parse_args()
    print(f"bench-load: open files {common.raise_open_files()}; {args.events} cafés × ({args.tables} hosts, "
          f"{args.facilitators} consoles, {args.projectors} projectors), {args.rate}/s per host, "
          f"{args.duration:.0f} s per run, {args.rounds} rounds")
    redis, pg = services.RedisServer().start(), services.PostgresServer().start()
    folder = tempfile.mkdtemp(prefix="dialogcafe-bench-load-")
    env = {"SECRET_KEY": common.SECRET, "PYTHONPATH": str(common.ROOT)}
    rounds = []
    try:
        cafes = common.prepare_cafes(common.base_env(pg.url, "http://127.0.0.1"), args.events, args.tables)
        sqlite_url = f"sqlite:///{folder}/cafe.db"
        sqlite_cafes = common.prepare_cafes(common.base_env(sqlite_url, "http://127.0.0.1"), args.events, args.tables)
        runs = {SINGLE: lambda: run_single(SINGLE, sqlite_url, sqlite_cafes, args),
                SINGLE_PG: lambda: run_single(SINGLE_PG, pg.url, cafes, args),
                CLUSTER: lambda: run_cluster(pg.url, redis.url, env, cafes, args),
                RELAY: lambda: run_relay(cafes, args),
                RELAY_PAIR: lambda: run_relay_pair(redis.url, cafes, args)}
        for number in range(args.rounds):
            order = SETUPS if number % 2 == 0 else tuple(reversed(SETUPS))
            figures = {name: runs[name]() for name in order}
            rounds.append({name: figures[name] for name in SETUPS})
    finally:
        redis.close()
        pg.close()
        shutil.rmtree(folder, ignore_errors=True)
    report(rounds)


if __name__ == "__main__":
    main()
