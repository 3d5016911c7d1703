"""`make bench-soak`: hosts typing for a long time through a reconnect every few minutes, one server process.

100 hosts (4 cafés of 25 tables, one projector each) write a note every 5 s for 30 minutes on SQLite, as
`flask serve` runs; every `--reconnect` seconds every client drops its connection and comes back (a wifi
blip), resending what was not acknowledged. Prints notes acknowledged, lost and duplicated (both must be 0,
counted by the projectors and in the database) and the server process's resident memory over the run: its
growth from the end of the warm-up to the end must stay under 10%. `--minutes 0.5` is the short version
`tests/ops/test_soak.py` runs.
"""
import argparse
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

MIB = 2**20


class Memory:
    """The server process's resident memory, sampled in a thread: (seconds since start, MiB)."""

    def __init__(self, pid: int, interval: float):
        import psutil
        self.process, self.interval = psutil.Process(pid), interval
        self.samples: list[tuple[float, float]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self):
        self.start = time.time()
        self._thread.start()
        return self

    def __exit__(self, *_):
        self._stop.set()
        self._thread.join()

    def _loop(self) -> None:
        """Sample until stopped."""
        while not self._stop.wait(self.interval):
            self.samples.append((time.time() - self.start, self.process.memory_info().rss / MIB))

    def growth(self, warmup: float) -> dict:
        """RSS at the end of the warm-up and at the end (medians of a tenth of the run each), and the growth."""
        after = [(t, rss) for t, rss in self.samples if t >= warmup]
        tenth = max(1, len(after) // 10)
        start = statistics.median(rss for _t, rss in after[:tenth])
        end = statistics.median(rss for _t, rss in after[-tenth:])
        return {"rss_start": start, "rss_end": end, "rss_peak": max(rss for _t, rss in self.samples),
                "growth": (end - start) / start, "samples": len(self.samples)}


def stored(database: Path) -> tuple[int, int]:
    """Benchmark notes stored, and notes (by their unique text) stored more than once."""
    with sqlite3.connect(database) as conn:
        return common.stored_notes(conn)


def run(args) -> dict:
    """Seed the cafés, start one server, let the hosts type through the reconnects, and measure."""
    common.raise_open_files()
    database = Path(tempfile.mkdtemp(prefix="dialogcafe-soak-")) / "soak.sqlite3"
    port = common.free_port()
    env = common.base_env(f"sqlite:///{database}", f"http://127.0.0.1:{port}")
    cafes = common.prepare_cafes(env, args.events, args.hosts // args.events)
    server = common.Server.app(env, port).start()
    seconds = args.minutes * 60
    drops = [{"at": args.ramp + at, "fraction": 1.0, "seconds": args.offline, "seed": n}
             for n, at in enumerate(range(int(args.reconnect), int(seconds), int(args.reconnect)))]
    try:
        confs = common.client_confs(cafes, server.url, projectors=1, rate=1 / args.every)
        with Memory(server.process.pid, args.sample) as memory:
            result = common.run_clients(confs, args.client_processes, duration=seconds, ramp=args.ramp,
                                        drain=60, settle=3, drops=drops)
        figures = common.analyse(result, seconds)
        figures.update(memory.growth(args.ramp + seconds * args.warmup))
        figures["stored"], figures["stored_twice"] = stored(database)
        figures["reconnects"] = len(drops)
        figures["server_alive"] = server.process.poll() is None
        return figures
    finally:
        server.stop()


def report(f: dict, args) -> None:
    """Print the figures."""
    print(f"\nnotes written {f['notes']}, acknowledged {f['acked']}, never acknowledged {f['unacked']}, "
          f"stored {f['stored']}, refused acks {f['errors']}")
    print(f"every client reconnected {f['reconnects']} times (every {args.reconnect:.0f} s)")
    print(f"acknowledged notes lost: {f['lost']}  (must be 0)")
    print(f"duplicates: {f['duplicated']} delivered twice, {f['stored_twice']} stored twice  (must be 0)")
    print(f"server RSS: {f['rss_start']:.1f} MiB after the warm-up ({args.warmup:.0%} of the run), "
          f"{f['rss_end']:.1f} MiB at the end, peak {f['rss_peak']:.1f} MiB: growth {f['growth']:+.1%} "
          f"(must stay under 10%; {f['samples']} samples)")
    print(f"note-to-projector latency: p50 {f['p50'] * 1000:.0f} ms, p95 {f['p95'] * 1000:.0f} ms, "
          f"max {f['max'] * 1000:.0f} ms")


def parse(argv: list[str] | None = None):
    """The soak's sizes."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--hosts", type=int, default=100)
    parser.add_argument("--events", type=int, default=4)
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--every", type=float, default=5, help="seconds between a host's notes")
    parser.add_argument("--reconnect", type=float, default=180, help="seconds between reconnects of every client")
    parser.add_argument("--offline", type=float, default=2, help="seconds each client stays away")
    parser.add_argument("--warmup", type=float, default=0.2, help="share of the run before memory is compared")
    parser.add_argument("--sample", type=float, default=2, help="seconds between memory samples")
    parser.add_argument("--ramp", type=float, default=5)
    parser.add_argument("--client-processes", type=int, default=1)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> dict:
    """Run and print; returns the figures (for the short version in the tests)."""
    args = parse(argv)
    print(f"bench-soak: {args.hosts} hosts writing every {args.every:.0f} s for {args.minutes:g} min in "
          f"{args.events} cafés, a reconnect of every client every {args.reconnect:.0f} s, one server on SQLite")
    figures = run(args)
    report(figures, args)
    return figures


if __name__ == "__main__":
    main()
