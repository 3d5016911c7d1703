"""A city-wide café with many notes: `python bench/seed_big.py NOTES TABLES` prints its id as JSON.

Runs against the database in DATABASE_URL after `bench/seed.py` (it joins the demo organizer's
administration). Notes and their `note:added` changes go in with bulk inserts, dated two days back so
the synthesis service's catch-up at start leaves the event alone: its first pass runs when asked.
The texts are the development set's hasty notes, cycled with small variations.
"""
import itertools
import json
import random
import sys
import uuid
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import insert, select, update

from cafe import create_app
from cafe.demo import ORGANIZER
from cafe.extensions import db
from cafe.models import Change, Event, Note, Round, Table, User, utcnow
from cafe.people import access
from cafe.points.framework import ensure_framework

ROOT = Path(__file__).resolve().parent.parent
AGE = timedelta(days=2)
BATCH = 5000
OPENINGS = ("", "", "", "vi tycker att ", "viktigt: ", "flera sa att ", "enligt bordet: ")
ENDINGS = ("", "", "", ".", "!", " (medhåll från fler)", " – återkom till detta", " typ")


def dev_texts() -> list[str]:
    """The hasty notes of the labelled development set."""
    lines = (ROOT / "nlp" / "data" / "dev.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["text"] for line in lines if line.strip()]


def varied_texts(count: int, seed: int = 1) -> list[str]:
    """`count` texts cycled from the development set, each with a small variation."""
    rng = random.Random(seed)
    cycle = itertools.cycle(dev_texts())
    return [f"{rng.choice(OPENINGS)}{next(cycle)}{rng.choice(ENDINGS)}" for _ in range(count)]


def make_event(tables: int) -> Event:
    """The live café in the demo organizer's administration, with three rounds and its tables."""
    organizer = db.session.scalar(select(User).where(User.email == ORGANIZER))
    event = Event(title="Stadsövergripande dialog", date=date.today() - AGE, place="Rådhuset", status="live",
                  administration_id=organizer.administration_id, framework_id=ensure_framework().id,
                  projector_token=access.new_projector_token(), created_at=utcnow() - AGE)
    for number in (1, 2, 3):
        event.rounds.append(Round(number=number, question=f"Fråga {number}"))
    for number in range(1, tables + 1):
        event.tables.append(Table(number=number, join_code=access.new_join_code()))
    db.session.add(event)
    db.session.flush()
    return event


def insert_notes(event: Event, texts: list[str]) -> None:
    """Bulk insert the notes, seq 1..N, spread over the tables and rounds."""
    when = utcnow() - AGE
    tables, rounds = [t.id for t in event.tables], [r.id for r in event.rounds]
    rows = [{"client_id": str(uuid.uuid4()), "event_id": event.id, "table_id": tables[n % len(tables)],
             "round_id": rounds[n * len(rounds) // len(texts)], "text": text, "level": None, "unit_id": None,
             "starred": False, "version": 1, "seq": n + 1, "created_at": when, "updated_at": when}
            for n, text in enumerate(texts)]
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(Note.__table__), rows[start:start + BATCH])


def insert_changes(event: Event) -> int:
    """One `note:added` change per note, with the note as it is broadcast; returns the last seq."""
    notes = db.session.scalars(select(Note).where(Note.event_id == event.id).order_by(Note.seq))
    rows = [{"event_id": event.id, "seq": note.seq, "type": "note:added", "table_id": note.table_id,
             "payload": {"note": note.to_dict()}, "created_at": note.created_at} for note in notes]
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(Change.__table__), rows[start:start + BATCH])
    return rows[-1]["seq"] if rows else 0


def big_event(notes: int, tables: int) -> dict:
    """Seed the café and its notes; return its id and tokens."""
    event = make_event(tables)
    insert_notes(event, varied_texts(notes))
    last_seq = insert_changes(event)
    db.session.execute(update(Event).where(Event.id == event.id).values(last_seq=last_seq))
    db.session.commit()
    return {"id": event.id, "notes": notes, "tables": tables, "projector_token": event.projector_token}


if __name__ == "__main__":
    app = create_app({"SYNTHESIS_WORKER": "off"})
    with app.app_context():
        print(json.dumps(big_event(int(sys.argv[1]), int(sys.argv[2]))))
