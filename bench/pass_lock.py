"""How long a first synthesis pass over a big café holds SQLite's write lock, and what a note's write waits.

Seeds the benchmark cafés and a big café of `--notes` notes (as `bench-big-synthesis` does) in a fresh
SQLite file, loads the point mapper, then runs one `passes.run_pass` over the big café in this process
while a separate process writes a row every 10 ms, as a server process adding notes would. SQLAlchemy's
`before_cursor_execute` and `commit` events time each of the pass's write transactions (from its first
write to its commit). Prints the pass's wall and CPU time, the lock spells (count, total, p50, p95,
longest, by statement) and the other process's waits for the lock before and during the pass.

    .venv/bin/python bench/pass_lock.py                  # 20,000 notes
    .venv/bin/python bench/pass_lock.py --pace 0.25      # the pass paced as the synthesis service paces it
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from bench import common  # noqa: E402

WRITER = r'''
import sqlite3, sys, time
con = sqlite3.connect(sys.argv[1], timeout=30, isolation_level=None)
out = open(sys.argv[2], "w")
while True:
    began = time.perf_counter()
    con.execute("BEGIN IMMEDIATE"); con.execute("UPDATE users SET name = name WHERE id = 1"); con.execute("COMMIT")
    out.write(f"{time.time():.4f} {1000 * (time.perf_counter() - began):.3f}\n"); out.flush()
    time.sleep(0.01)
'''


class Spells:
    """The write transactions of one engine: when each ended, how long it held the lock, its first write."""

    def __init__(self):
        self.began: float | None = None
        self.first = ""
        self.done: list[tuple[float, float, str]] = []

    def statement(self, _conn, _cursor, statement, *_args) -> None:
        """A statement: the first that is not a read starts a spell."""
        if self.began is None and statement.lstrip()[:6].upper() not in ("SELECT", "PRAGMA"):
            self.began, self.first = time.perf_counter(), " ".join(statement.split()[:3])

    def ended(self, _conn) -> None:
        """A commit or rollback ends the spell."""
        if self.began is not None:
            self.done.append((time.time(), 1000 * (time.perf_counter() - self.began), self.first))
            self.began = None


def seed(work: str, notes: int, tables: int) -> tuple[str, dict]:
    """A fresh database with the benchmark cafés and the big café; its URL and the big café."""
    url = f"sqlite:///{os.path.join(work, 'pass_lock.db')}"
    env = common.base_env(url, "http://127.0.0.1")
    common.prepare_cafes(env, 1, 10)
    big = json.loads(common.run_flask(env, str(common.ROOT / "bench" / "seed_big.py"), str(notes), str(tables)))
    os.environ.update(env, SOCKETIO_ASYNC_MODE="threading")
    return url, big


def run(url: str, big: dict, pace: float, waits_path: str) -> tuple[float, float, float, Spells]:
    """One pass over the big café with the writer running; start time, wall and CPU seconds, and the spells."""
    from sqlalchemy import event

    from cafe import create_app
    from cafe.extensions import db
    from cafe.models import Event
    from cafe.runtime.synthesis_service import Pacer
    from cafe.synthesis import passes
    app = create_app({"SYNTHESIS_WORKER": "off", "RATELIMIT_ENABLED": False})
    spells = Spells()
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", spells.statement)
        event.listen(db.engine, "commit", spells.ended)
        event.listen(db.engine, "rollback", spells.ended)
        pacer = Pacer(pace or 1.0)
        pacer.install(db.engine)
        passes.synthesis_for(db.session.get(Event, big["id"]))  # load or fit the mapper before timing
        db.session.commit()
        writer = subprocess.Popen([sys.executable, "-c", WRITER, url[len("sqlite:///"):], waits_path])
        time.sleep(1.0)
        began, wall, cpu = time.time(), time.perf_counter(), time.process_time()
        with pacer.pass_running():
            passes.run_pass(big["id"])
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        time.sleep(0.5)
        writer.kill()
    return began, wall, cpu, spells


def report(began: float, wall: float, cpu: float, spells: Spells, waits_path: str) -> None:
    """Print the pass, its lock spells and the writer's waits."""
    held = np.array([d for _, d, _ in spells.done])
    print(f"pass: {wall:.1f} s wall, {cpu:.1f} s CPU; {len(held)} write transactions held the lock "
          f"{held.sum() / 1000:.2f} s in all, p50 {np.median(held):.1f} ms, p95 {np.percentile(held, 95):.1f} ms, "
          f"longest {held.max():.1f} ms")
    by_first = defaultdict(list)
    for _, held_ms, first in spells.done:
        by_first[first].append(held_ms)
    for first, spans in by_first.items():
        print(f"  {first:32s} {len(spans):4d} spells, {sum(spans):7.0f} ms in all, longest {max(spans):6.1f} ms")
    waits = [tuple(map(float, line.split())) for line in open(waits_path) if line.strip()]
    before = np.array([w for t, w in waits if t < began]) if waits else np.zeros(0)
    during = np.array([w for t, w in waits if began <= t <= began + wall])
    for name, values in (("before the pass", before), ("during the pass", during)):
        if len(values):
            print(f"another process's write {name}: n={len(values)} p50 {np.median(values):.2f} ms "
                  f"p95 {np.percentile(values, 95):.2f} ms longest {values.max():.1f} ms")


def main() -> None:
    """Seed, run one pass beside the writer, report."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notes", type=int, default=20000)
    parser.add_argument("--tables", type=int, default=200)
    parser.add_argument("--pace", type=float, default=0.0, help="share of a core for the pass (0: unpaced)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        url, big = seed(work, args.notes, args.tables)
        waits_path = os.path.join(work, "waits.txt")
        report(*run(url, big, args.pace, waits_path), waits_path)


if __name__ == "__main__":
    main()
