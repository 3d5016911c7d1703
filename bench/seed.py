"""Benchmark cafés: `python bench/seed.py EVENTS TABLES` prints the tokens as JSON.

Runs against the database in DATABASE_URL (with the server's SECRET_KEY), after `flask db upgrade`.
Each café is live, has TABLES tables, a projector token and the demo organizer's API token.
"""
import json
import sys
from datetime import date

from cafe import create_app
from cafe.demo import seed
from cafe.extensions import db
from cafe.models import Event, Table, User
from cafe.people import access
from cafe.points.framework import ensure_framework


def make_cafe(number: int, tables: int, administration_id: int) -> Event:
    """One live café with its tables."""
    event = Event(title=f"Mätcafé {number}", date=date.today(), place="Stadshuset", status="live",
                  administration_id=administration_id, framework_id=ensure_framework().id,
                  projector_token=access.new_projector_token())
    for table_number in range(1, tables + 1):
        event.tables.append(Table(number=table_number, join_code=access.new_join_code()))
        db.session.add(event)
        db.session.flush()
    return event


def cafes(events: int, tables: int) -> dict:
    """Seed the cafés and return their ids and tokens."""
    info = seed("http://127.0.0.1", password="bench-password")
    organizer = db.session.scalar(db.select(User).where(User.email == info["organizer"]["email"]))
    administration_id = db.session.get(Event, info["event_id"]).administration_id
    made = [make_cafe(n, tables, administration_id) for n in range(1, events + 1)]
    db.session.commit()
    return {"organizer_token": access.user_token(organizer), "events": [
        {"id": e.id, "projector_token": e.projector_token,
         "tables": [{"id": t.id, "token": access.host_token(t)} for t in e.tables]} for e in made]}


if __name__ == "__main__":
    app = create_app()
    with app.app_context():
        print(json.dumps(cafes(int(sys.argv[1]), int(sys.argv[2]))))
