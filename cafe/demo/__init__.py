"""The demo café: a theme day in a fictional district administration, seeded from cafe.json."""
import json
import secrets
import uuid
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from ..events import votes
from ..extensions import db
from ..models import Administration, Event, Note, Round, Table, Unit, User, utcnow
from ..notes.capture import note_payload
from ..people import access, users
from ..points.framework import ensure_framework
from ..realtime import changes
from .actions import seed_actions

DATA = Path(__file__).resolve().parent / "cafe.json"
ORGANIZER = "arrangor@demo.dialogcafe.se"
FACILITATOR = "processledare@demo.dialogcafe.se"
PROJECT_LEAD = "projektledare@demo.dialogcafe.se"


def load() -> dict:
    """Read the demo café description."""
    return json.loads(DATA.read_text(encoding="utf-8"))


def seed(public_url: str, password: str | None = None) -> dict:
    """Seed the demo café unless it exists, give the demo users fresh passwords, return the links."""
    data = load()
    event = db.session.scalar(select(Event).where(Event.title == data["event"]["title"]))
    if event is None:
        event = _create(data)
    seed_actions(event, data)
    password = password or secrets.token_urlsafe(9)
    for email in (ORGANIZER, FACILITATOR, PROJECT_LEAD):
        db.session.scalar(select(User).where(User.email == email)).set_password(password)
    db.session.flush()
    return info(event, public_url, password)


def info(event: Event, public_url: str, password: str) -> dict:
    """The links and codes a newcomer needs, as printed by `flask demo`."""
    return {
        "event_id": event.id,
        "facilitator_url": f"{public_url}/facilitator/{event.id}",
        "projector_url": f"{public_url}/projector/{event.id}?token={event.projector_token}",
        "organizer": {"email": ORGANIZER, "password": password},
        "facilitator": {"email": FACILITATOR, "password": password},
        "project_lead": {"email": PROJECT_LEAD, "password": password},
        "tables": [{"id": t.id, "number": t.number, "name": t.display_name,
                    "join_code": access.format_join_code(t.join_code),
                    "url": f"{public_url}/t/{t.join_code}"} for t in event.tables],
    }


def _create(data: dict) -> Event:
    """Create the administration, users, event, rounds, tables and notes."""
    admin = Administration(name=data["administration"]["name"])
    units = {u["key"]: Unit(name=u["name"]) for u in data["administration"]["units"]}
    admin.units.extend(units.values())
    db.session.add(admin)
    db.session.flush()
    _users(admin)
    event = Event(title=data["event"]["title"], date=date.fromisoformat(data["event"]["date"]),
                  place=data["event"]["place"], description=data["event"]["description"], status="live",
                  administration_id=admin.id, framework_id=ensure_framework().id,
                  projector_token=access.new_projector_token())
    db.session.add(event)
    event.facilitators.append(db.session.scalar(select(User).where(User.email == FACILITATOR)))
    _rounds(event, data["rounds"])
    for t in data["tables"]:
        event.tables.append(Table(number=t["number"], name=t["name"], host_name=t["host_name"],
                                  unit_id=units[t["unit_key"]].id, join_code=access.new_join_code()))
        db.session.flush()
    _notes(event, units, data["notes"])
    votes.record_counts(event, {v["point"]: v["votes"] for v in data["prevote"]})
    return event


def _users(admin: Administration) -> None:
    """The demo organizer, facilitator and project lead."""
    users.create(ORGANIZER, secrets.token_urlsafe(9), "Arrangör (demo)", "organizer", admin.id)
    users.create(FACILITATOR, secrets.token_urlsafe(9), "Processledare (demo)", "facilitator", admin.id)
    users.create(PROJECT_LEAD, secrets.token_urlsafe(9), "Projektledare (demo)", "project_lead", admin.id)
    db.session.flush()


def _rounds(event: Event, rounds: list[dict]) -> None:
    """Rounds 1 and 2 done, the last round running, as in the middle of the afternoon."""
    now = utcnow()
    for r in rounds:
        rnd = Round(number=r["number"], question=r["question"], level=r["level"],
                    focus_points=r["focus_points"], planned_minutes=r["minutes"])
        back = (len(rounds) - r["number"]) * 35
        rnd.started_at = now - timedelta(minutes=back + 5)
        rnd.ended_at = now - timedelta(minutes=back - 30) if r["number"] < len(rounds) else None
        event.rounds.append(rnd)
    db.session.flush()


def _notes(event: Event, units: dict, notes: list[dict]) -> None:
    """The table hosts' notes, each recorded in the change log like a live note."""
    tables = {t.number: t for t in event.tables}
    rounds = {r.number: r for r in event.rounds}
    for n in notes:
        table = tables[n["table"]]
        note = Note(client_id=str(uuid.uuid4()), event_id=event.id, table_id=table.id,
                    round_id=rounds[n["round"]].id, text=n["text"], level=n["level"],
                    unit_id=units[n["unit_key"]].id if n.get("unit_key") else None,
                    starred=bool(n.get("starred")))
        db.session.add(note)
        db.session.flush()
        change = changes.record(event.id, "note:added", {}, table_id=table.id)
        note.seq = change.seq
        change.payload = {"note": note_payload(note)}
    db.session.flush()
