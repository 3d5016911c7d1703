"""Cost of a live synthesis pass as a café grows, incremental against reading and describing everything.

A café of TABLES tables gets one note per table, then a pass, STEPS times over (SQLite, in-process,
as the synthesis service runs it). The same notes go through two apps side by side: one as shipped
(a pass reads only the new notes and describes only changed themes) and one that reads every note
and describes every theme on each pass, as passes did before. Prints the pass time at a few sizes.

    .venv/bin/python bench/pass_cost.py                   # 200 tables × 30 steps: up to 6,000 notes
    .venv/bin/python bench/pass_cost.py --tables 50 --steps 10
"""
import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("SOCKETIO_ASYNC_MODE", "threading")

from bench import seed  # noqa: E402
from cafe import create_app  # noqa: E402
from cafe.extensions import db  # noqa: E402
from cafe.models import Table  # noqa: E402
from cafe.notes import capture  # noqa: E402
from cafe.synthesis import passes, theme_builder

CONFIG = {"TESTING": True, "SECRET_KEY": "bench-secret", "PUBLIC_URL": "http://testserver", "REDIS_URL": None,
          "RATELIMIT_ENABLED": False, "SYNTHESIS_WORKER": False, "SOCKETIO_ASYNC_MODE": "threading"}
TITLING: dict = {}  # seconds each app spent titling themes in its passes
WORDS = ("mentor", "dokumentation", "handledning", "introduktion", "möten", "ärenden", "larm", "lön", "stöd")


def text(number: int, table: int) -> str:
    """A note in a table host's words, varied enough to make several themes."""
    return (f"Mer {WORDS[number % len(WORDS)]} och {WORDS[(number // 3 + table) % len(WORDS)]} "
            f"för oss på bord {table}, anteckning {number}")


class Everything:
    """Passes as before: every note read and every theme described on every pass."""

    def __enter__(self):
        self.saved = passes.FULL_RELOAD, theme_builder.GROWTH, theme_builder.EventSynthesis._still_fits
        passes.FULL_RELOAD = 0.0
        theme_builder.GROWTH = 0.0
        theme_builder.EventSynthesis._still_fits = staticmethod(lambda cached, ids, changed: False)
        return self

    def __exit__(self, *_):
        passes.FULL_RELOAD, theme_builder.GROWTH, still_fits = self.saved
        theme_builder.EventSynthesis._still_fits = staticmethod(still_fits)


def build(folder: Path, tables: int):
    """An app on a fresh SQLite file with one live café; returns (app, event id)."""
    app = create_app({**CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'pass.sqlite3'}"})
    with app.app_context():
        db.create_all()
        event_id = seed.cafes(1, tables)["events"][0]["id"]
        db.session.remove()
    return app, event_id


def grow(app, event_id: int, step: int) -> float:
    """One note per table, then one pass; returns the pass's seconds (the titling's are kept in `TITLING`)."""
    with app.app_context():
        for table in db.session.scalars(db.select(Table).where(Table.event_id == event_id)):
            capture.add(table, {"client_id": str(uuid.uuid4()), "text": text(step, table.number)})
        db.session.remove()
        started = time.perf_counter()
        passes.run_pass(event_id)
        took = time.perf_counter() - started
        state = passes.states()[event_id]
        TITLING[app] = TITLING.get(app, 0.0) + state.title_seconds
        state.title_seconds = 0.0
        db.session.remove()
    return took


def groups(app, event_id: int) -> set[frozenset]:
    """The café's themes as sets of note texts (comparable between the two databases)."""
    with app.app_context():
        texts = {n.id: n.text for n in passes.load_notes(event_id)}
        members: dict[int, set] = {}
        for note_id, (theme_id, _pinned) in passes.memberships(event_id).items():
            members.setdefault(theme_id, set()).add(texts[note_id])
        db.session.remove()
    return {frozenset(m) for m in members.values()}


def main(argv: list[str] | None = None) -> dict:
    """Grow two cafés side by side, print pass times, and return them with both cafés' themes."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tables", type=int, default=200)
    parser.add_argument("--steps", type=int, default=30)
    args = parser.parse_args(argv)
    shipped = build(Path(tempfile.mkdtemp(prefix="dialogcafe-pass-")), args.tables)
    before = build(Path(tempfile.mkdtemp(prefix="dialogcafe-pass-")), args.tables)
    grow(*shipped, -1)  # the first pass fits the point mapper, which both then share
    grow(*before, -1)
    times = {"incremental": [], "everything": []}
    for step in range(args.steps):
        times["incremental"].append(grow(*shipped, step))
        with Everything():
            times["everything"].append(grow(*before, step))
    print(f"pass-cost: {args.tables} tables, one note each per pass, {args.steps} passes (SQLite)")
    print(f"{'notes in the café':>18} {'incremental ms':>15} {'everything ms':>14}")
    window = max(args.steps // 6, 1)
    for end in range(window, args.steps + 1, window):
        part = slice(end - window, end)
        print(f"{(end + 1) * args.tables:18d} {statistics.median(times['incremental'][part]) * 1000:15.1f} "
              f"{statistics.median(times['everything'][part]) * 1000:14.1f}")
    print("(median pass time over the passes up to that size)")
    spent = TITLING.get(shipped[0], 0.0)
    print(f"titles and quotes: {spent * 1000 / args.steps:.1f} ms per pass, "
          f"{100 * spent / max(sum(times['incremental']), 1e-9):.1f} % of the incremental pass time")
    return {**times, "groups": (groups(*shipped), groups(*before))}


if __name__ == "__main__":
    main()
