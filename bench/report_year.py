"""Time to write the report to the committee for a year: CAFES cafés and NOTES notes in all (SQLite).

Seeds the demo (its plan, administration, units and people), then a year of cafés with tables, rounds,
notes on every point and outside the plan, themes (one outside the plan per café), a pre-vote and
actions per unit; then writes the year's report as DOCX, PDF and HTML, each from a fresh read of the
database, as a download does. Prints the times against the limits (DOCX 5 s, PDF 10 s).

    .venv/bin/python bench/report_year.py                     # 10 cafés, 5,000 notes
    .venv/bin/python bench/report_year.py --cafes 30 --notes 10000
"""
import argparse
import os
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("SOCKETIO_ASYNC_MODE", "threading")

from sqlalchemy import insert, select  # noqa: E402

from cafe import create_app  # noqa: E402
from cafe.extensions import db  # noqa: E402
from cafe.models import Administration, Event, Note, Round, Table, Theme, ThemeMembership  # noqa: E402
from cafe.models.action import ACTION_STATUSES, ActionItem  # noqa: E402
from cafe.models.vote import Ballot, Vote  # noqa: E402

CONFIG = {"TESTING": True, "SECRET_KEY": "bench-secret", "PUBLIC_URL": "http://testserver", "REDIS_URL": None,
          "RATELIMIT_ENABLED": False, "SYNTHESIS_WORKER": False, "JOB_WORKER": "thread",
          "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}
LIMITS = {"docx": 5.0, "pdf": 10.0}
WORDS = ("mentor", "dokumentation", "handledning", "introduktion", "ärenden", "larm", "lön", "stöd", "lokaler")
LEVELS = ("individ", "enhet", "förvaltning", None)
TABLES = 8


def _cafe(admin: Administration, framework_id: int, day: date, n: int) -> Event:
    """One café with its tables (hosts from the admin's units) and three rounds."""
    event = Event(title=f"Dialogcafé {n + 1} {day.year}", date=day, place=f"Sal {n + 1}", status="closed",
                  administration_id=admin.id, framework_id=framework_id, projector_token=uuid.uuid4().hex)
    for t in range(TABLES):
        unit = admin.units[t % len(admin.units)] if admin.units else None
        event.tables.append(Table(number=t + 1, name=f"Bord {t + 1}", host_name=f"Värd {n}-{t}",
                                  join_code=uuid.uuid4().hex[:12], unit_id=unit.id if unit else None))
    for r, level in enumerate(("individ", "enhet", "förvaltning"), start=1):
        event.rounds.append(Round(number=r, question=f"Vad kan göras på nivån {level}?", level=level))
    db.session.add(event)
    db.session.flush()
    return event


def _notes(event: Event, count: int, start: int) -> list[int]:
    """`count` notes spread over the tables, every point and outside the plan (point 0)."""
    rows = [{"client_id": str(uuid.uuid4()), "event_id": event.id, "table_id": event.tables[i % TABLES].id,
             "text": f"Mer {WORDS[i % len(WORDS)]} och {WORDS[(i // 7) % len(WORDS)]} behövs, anteckning {start + i}",
             "level": LEVELS[i % len(LEVELS)], "confirmed_point": i % 14, "starred": i % 50 == 0}
            for i in range(count)]
    db.session.execute(insert(Note), rows)
    return list(db.session.scalars(select(Note.id).where(Note.event_id == event.id).order_by(Note.id)))


def _themes(event: Event, ids: list[int]) -> None:
    """A theme per point of ten notes, and one outside the plan."""
    for point in range(0, 14):
        members = [i for n, i in enumerate(ids) if n % 14 == point][:10]
        theme = Theme(event_id=event.id, label="Hot och våld" if point == 0 else f"{WORDS[point % 9]}, stöd",
                      keywords=[], quotes=[], point=point or None, novel=point == 0, size=len(members))
        db.session.add(theme)
        db.session.flush()
        db.session.execute(insert(ThemeMembership), [{"note_id": i, "theme_id": theme.id, "event_id": event.id}
                                                     for i in members])


def _follow_up(event: Event, admin: Administration, n: int) -> None:
    """A closed pre-vote of forty ballots and two actions per unit in every status."""
    vote = Vote(event_id=event.id, secret=uuid.uuid4().hex, opened_at=event.created_at, closed_at=event.created_at)
    db.session.add(vote)
    db.session.flush()
    db.session.execute(insert(Ballot), [{"vote_id": vote.id, "voter_id": uuid.uuid4().hex,
                                         "points": [(b % 13) + 1, ((b * 5) % 13) + 1], "wish": ""} for b in range(40)])
    for k, unit in enumerate(admin.units * 2):
        db.session.add(ActionItem(event_id=event.id, unit_id=unit.id, title=f"Åtgärd {n}-{k}", point=(k % 13) + 1,
                                  responsible="Enhetschef", status=ACTION_STATUSES[(n + k) % len(ACTION_STATUSES)],
                                  subgoal_indicator="Andel nyanställda med mentor", subgoal_target="100 %",
                                  due_date=event.date + timedelta(days=90)))


def seed_year(cafes: int, notes: int, year: int) -> list[int]:
    """A year of `cafes` cafés with `notes` notes in all, in the demo's administration; returns their ids."""
    from cafe.demo import seed
    seed("http://testserver", password="bench-password")
    held = db.session.scalars(select(Event).order_by(Event.id)).first()
    admin = db.session.get(Administration, held.administration_id)
    ids, written = [], 0
    for n in range(cafes):
        event = _cafe(admin, held.framework_id, date(year, 1 + (n * 11) // max(cafes, 1), 10), n)
        share = notes // cafes + (1 if n < notes % cafes else 0)
        _themes(event, _notes(event, share, written))
        _follow_up(event, admin, n)
        written += share
        ids.append(event.id)
    db.session.commit()
    return ids


def measure(app, year: int, administration_id: int) -> dict[str, float]:
    """Seconds to write the year's report in each format, each from a fresh read of the database."""
    from cafe.report import formats, scope
    times = {}
    for fmt in ("docx", "pdf", "html"):
        with app.app_context():
            started, cpu = time.perf_counter(), time.process_time()
            chosen = scope.Scope(scope.year_events(year, administration_id), year,
                                 db.session.get(Administration, administration_id))
            body = formats.render(formats.write(chosen, "sv"), fmt, "Bench")
            times[fmt] = time.perf_counter() - started
            times[f"{fmt}_cpu"] = time.process_time() - cpu
            times[f"{fmt}_bytes"] = len(body)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cafes", type=int, default=10)
    parser.add_argument("--notes", type=int, default=5000)
    parser.add_argument("--year", type=int, default=2025)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({**CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite3"})
        with app.app_context():
            db.create_all()
            started = time.perf_counter()
            seed_year(args.cafes, args.notes, args.year)
            admin_id = db.session.scalars(select(Event.administration_id)).first()
            print(f"seeded {args.cafes} cafés, {args.notes} notes in {time.perf_counter() - started:.1f} s")
        # The first report of a process also imports matplotlib and WeasyPrint; later ones do not.
        first, again = measure(app, args.year, admin_id), measure(app, args.year, admin_id)
    print(f"report for a year of {args.cafes} cafés and {args.notes:,} notes (read + write, SQLite), "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores:")
    print("  format  first in a process (CPU)   again (CPU)          size")
    for fmt in ("docx", "pdf", "html"):
        limit = LIMITS.get(fmt)
        verdict = "" if limit is None else (" OK" if first[fmt] <= limit else f" OVER the {limit:.0f} s limit")
        print(f"  {fmt:<5} {first[fmt]:8.2f} s ({first[f'{fmt}_cpu']:5.2f} s) {again[fmt]:8.2f} s "
              f"({again[f'{fmt}_cpu']:5.2f} s) {first[f'{fmt}_bytes'] / 1024:7.0f} KiB{verdict}")


if __name__ == "__main__":
    main()
