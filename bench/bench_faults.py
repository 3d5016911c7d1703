"""`make bench-faults`: faults during a steady stream of notes through two processes behind nginx.

Uses its own Redis and PostgreSQL on free loopback ports (the machine's are left alone). During the
stream: kill -9 one app process and start it again, restart Redis, restart PostgreSQL, and drop 20%
of the clients for a while. Prints acknowledged notes lost, duplicates (both must be 0) and the
time until every client was reconnected and caught up after each fault (target under 30 s).
"""
import argparse
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common, services  # noqa: E402
from cafe.runtime.cluster import Cluster, wait_healthy  # noqa: E402
from tests.support import free_port  # noqa: E402


def inject(cluster: Cluster, redis: services.RedisServer, pg: services.PostgresServer, plan: dict,
           log: list) -> None:
    """Run the planned faults at their times (seconds after `plan['start']`), logging when each began."""
    def at(offset: float) -> None:
        time.sleep(max(0.0, plan["start"] + offset - time.time()))

    at(plan["kill"])
    log.append(("kill -9 app process", time.time()))
    cluster.apps[0].kill()
    cluster.apps[0].start(wait=False)
    at(plan["redis"])
    log.append(("restart Redis", time.time()))
    redis.restart()
    at(plan["postgres"])
    log.append(("restart PostgreSQL", time.time()))
    pg.restart()
    at(plan["drop"])
    log.append((f"drop 20% of clients for {plan['drop_seconds']:.0f} s", time.time() + plan["drop_seconds"]))


def recovery(result: dict, since: float, window: float) -> float:
    """Seconds from `since` until every note written in [since - window, since + 1] was acked and reached
    every watcher of its café (by broadcast or by sync)."""
    latest = since
    watchers = [(name.split("-", 1)[1].split(".")[0], w) for name, w in result["watchers"].items()]
    for name, host in result["hosts"].items():
        event = name.split("-", 1)[1].split(".")[0]
        for cid, note in host["notes"].items():
            if not since - window <= note["created"] <= since + 1:
                continue
            times = [note["acked"] or float("inf")]
            times += [w["received"].get(cid) or w["synced"].get(cid) or float("inf") for e, w in watchers
                      if e == event]
            latest = max(latest, max(times))
    return latest - since


def stored_duplicates(env: dict) -> tuple[int, int]:
    """Benchmark notes stored in the database, and notes (by their unique text) stored more than once."""
    import psycopg
    url = env["DATABASE_URL"]
    with psycopg.connect(url) as conn:
        return common.stored_notes(conn)


def run(args) -> dict:
    """Start the services and the cluster, stream notes through the faults, and measure."""
    common.raise_open_files()
    redis, pg = services.RedisServer().start(), services.PostgresServer().start()
    cluster = Cluster(2, pg.url, redis.url, app_port=free_port(), proxy_port=free_port(),
                      env={"SECRET_KEY": common.SECRET, "PYTHONPATH": str(common.ROOT)})
    try:
        cafes = common.prepare_cafes(cluster.env, args.events, args.hosts // args.events)
        cluster.start()
        confs = common.client_confs(cafes, cluster.url, projectors=args.projectors, rate=args.rate, sources=40)
        start = time.time() + args.ramp + 1
        plan = {"start": start, "kill": args.step, "redis": 2 * args.step, "postgres": 3 * args.step,
                "drop": 4 * args.step, "drop_seconds": args.drop_seconds}
        log: list = []
        faults = threading.Thread(target=inject, args=(cluster, redis, pg, plan, log), daemon=True)
        faults.start()
        drops = [{"at": args.ramp + 1 + plan["drop"], "fraction": 0.2, "seconds": args.drop_seconds}]
        result = common.run_clients(confs, args.client_processes, duration=5 * args.step + args.drop_seconds,
                                    ramp=args.ramp, drain=60, settle=3, drops=drops)
        faults.join()
        wait_healthy(cluster.apps[0].url)
        figures = common.analyse(result, 5 * args.step + args.drop_seconds)
        figures["faults"] = [(name, recovery(result, at, args.drop_seconds if name.startswith("drop") else 0))
                             for name, at in log]
        figures["stored"], figures["stored_twice"] = stored_duplicates(cluster.env)
        return figures
    finally:
        cluster.stop()
        redis.close()
        pg.close()


def report(f: dict, args) -> None:
    """Print the figures."""
    print(f"\nnotes written {f['notes']}, acknowledged {f['acked']}, never acknowledged {f['unacked']}, "
          f"stored {f['stored']}")
    print(f"acknowledged notes lost: {f['lost']}  (must be 0)")
    print(f"duplicates: {f['duplicated']} delivered twice, {f['stored_twice']} stored twice  (must be 0)")
    print("time until every client was reconnected and caught up (target < 30 s):")
    for name, seconds in f["faults"]:
        print(f"  {name:38} {seconds:6.1f} s")
    print(f"note-to-projector latency over the whole run: p50 {f['p50'] * 1000:.0f} ms, "
          f"p95 {f['p95'] * 1000:.0f} ms, max {f['max'] * 1000:.0f} ms")


def main() -> None:
    """Parse the sizes and run."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--hosts", type=int, default=40)
    parser.add_argument("--events", type=int, default=2)
    parser.add_argument("--projectors", type=int, default=5, help="per café")
    parser.add_argument("--rate", type=float, default=1.0, help="notes per host per second")
    parser.add_argument("--step", type=float, default=15, help="seconds between faults")
    parser.add_argument("--drop-seconds", type=float, default=15)
    parser.add_argument("--ramp", type=float, default=3)
    parser.add_argument("--client-processes", type=int, default=1)
    args = parser.parse_args()
    print(f"bench-faults: {args.hosts} hosts × {args.rate}/s in {args.events} cafés, {args.projectors} "
          f"projectors per café, 2 app processes behind nginx, own Redis and PostgreSQL")
    report(run(args), args)


if __name__ == "__main__":
    main()
