"""`make bench-load`: ramp to 1,000 connections (hosts, consoles, projectors of many cafés) against
one app process, then two processes behind nginx (Redis message queue), then the bare relay, alone and
as two processes behind the same nginx and Redis.

Prints connections held and refused, p50/p95/p99 note-to-projector latency, notes per second, and
CPU and memory per server process, with the ratio of each setup's p95 to the single relay's and to
the relay in the same setup (one process, or two behind nginx with Redis).
"""
import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common, services  # noqa: E402
from cafe.cluster import Cluster, Nginx  # noqa: E402
from tests.support import free_port  # noqa: E402


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


def report(rows: list[dict]) -> None:
    """Print one line per setup, and the ratios to the single relay and to the relay in the same setup."""
    by_name = {f["name"]: f for f in rows}
    single = by_name["bare relay"]
    print(f"\n{'setup':30} {'held':>5} {'refused':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'notes/s':>8} "
          f"{'lost':>5} {'dupl.':>5} {'p95/relay':>9} {'same setup':>10}  CPU % / MiB per process")
    for f in rows:
        usage = ", ".join(f"{u['cpu']:.0f}%/{u['rss']:.0f}" for u in f["usage"])
        same = by_name.get(f.get("baseline", ""), single)
        print(f"{f['name']:30} {f['held']:5d} {f['refused']:7d} {common.fmt_ms(f['p50'])} {common.fmt_ms(f['p95'])} "
              f"{common.fmt_ms(f['p99'])} {f['notes_per_s']:8.1f} {f['lost']:5d} {f['duplicated']:5d} "
              f"{f['p95'] / single['p95']:8.2f}x {f['p95'] / same['p95']:9.2f}x  {usage}")


def relay_pair(redis_url: str, port: int) -> tuple[list[common.Server], Nginx]:
    """Two relay processes sharing broadcasts through Redis, behind nginx as the app's cluster is."""
    relays = [common.Server.relay(redis_url=redis_url).start() for _ in range(2)]
    folder = Path(tempfile.mkdtemp(prefix="dialogcafe-relay-nginx-"))
    proxy = Nginx(folder, "127.0.0.1", port, [r.port for r in relays])
    proxy.start()
    return relays, proxy


def main() -> None:
    """Seed, then measure the three setups one after another."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=20)
    parser.add_argument("--tables", type=int, default=40, help="hosts per café (one per table)")
    parser.add_argument("--facilitators", type=int, default=5, help="per café")
    parser.add_argument("--projectors", type=int, default=5, help="per café")
    parser.add_argument("--rate", type=float, default=0.05, help="notes per host per second")
    parser.add_argument("--duration", type=float, default=30)
    parser.add_argument("--ramp", type=float, default=20)
    parser.add_argument("--client-processes", type=int, default=2)
    args = parser.parse_args()
    print(f"bench-load: open files {common.raise_open_files()}; {args.events} cafés × ({args.tables} hosts, "
          f"{args.facilitators} consoles, {args.projectors} projectors), {args.rate}/s per host, {args.duration:.0f} s")
    redis, pg = services.RedisServer().start(), services.PostgresServer().start()
    cluster = Cluster(2, pg.url, redis.url, app_port=free_port(), proxy_port=free_port(),
                      env={"SECRET_KEY": common.SECRET, "PYTHONPATH": str(common.ROOT)})
    rows = []
    try:
        cafes = common.prepare_cafes(cluster.env, args.events, args.tables)
        single = common.Server.app(common.base_env(pg.url, "http://127.0.0.1")).start()
        try:
            rows.append(measure("1 process", single.url, single.pids(), cafes, args))
        finally:
            single.stop()
        cluster.start()
        pids = [pid for app in cluster.apps for pid in app.pids()[1:]] + [cluster.nginx.process.pid]
        rows.append({**measure("2 processes + nginx", cluster.url, pids, cafes, args),
                     "baseline": "bare relay, 2 processes + nginx"})
        cluster.stop()
        relay = common.Server.relay().start()
        try:
            rows.append(measure("bare relay", relay.url, relay.pids(), cafes, args))
        finally:
            relay.stop()
        relays, proxy = relay_pair(redis.url, free_port())
        try:
            pids = [pid for r in relays for pid in r.pids()] + [proxy.process.pid]
            rows.append(measure("bare relay, 2 processes + nginx", proxy.url, pids, cafes, args))
        finally:
            proxy.stop()
            for r in relays:
                r.stop()
    finally:
        cluster.stop()
        redis.close()
        pg.close()
    report(rows)


if __name__ == "__main__":
    main()
