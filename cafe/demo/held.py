"""The demo's held café: a theme day a hundred days ago, closed, with its rounds, notes and pre-vote."""
import uuid
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from ..events import votes
from ..extensions import db
from ..models import Administration, Ballot, Event, Note, Round, Table, Unit, User
from ..notes.capture import note_payload
from ..people import access
from ..points.framework import ensure_framework
from ..realtime import changes


def local_zone() -> ZoneInfo:
    """The installation's time zone, in which the demo's days have their hours."""
    return ZoneInfo(current_app.config.get("TIMEZONE") or "Europe/Stockholm")


def at(day: date, clock: str) -> datetime:
    """A wall-clock time on a day of the demo (e.g. "09:30"), as a UTC time to store."""
    hours, minutes = (int(part) for part in clock.split(":"))
    return datetime.combine(day, time(hours, minutes), tzinfo=local_zone()).astimezone(ZoneInfo("UTC"))


def held_day(data: dict) -> date:
    """The day the held café took place, counted back from today."""
    return datetime.now(local_zone()).date() - timedelta(days=data["event"]["days_ago"])


def create_held(data: dict, admin: Administration, units: dict[str, Unit], people: dict[str, User]) -> Event:
    """The held café with its rounds, tables, notes and closed pre-vote."""
    day = held_day(data)
    event = Event(title=data["event"]["title"], date=day, place=data["event"]["place"],
                  description=data["event"]["description"], status="live", administration_id=admin.id,
                  framework_id=ensure_framework().id, projector_token=access.new_projector_token(),
                  created_at=at(day - timedelta(days=45), "10:00"))
    db.session.add(event)
    event.facilitators.append(people["facilitator"])
    _rounds(event, data["rounds"], day)
    for t in data["tables"]:
        event.tables.append(Table(number=t["number"], name=t["name"], host_name=t["host_name"],
                                  unit_id=units[t["unit_key"]].id, join_code=access.new_join_code()))
    db.session.flush()
    _notes(event, units, data["notes"])
    _prevote(event, data["prevote"], day)
    event.status, event.closed_at = "closed", event.rounds[-1].ended_at + timedelta(minutes=30)
    db.session.flush()
    return event


def _rounds(event: Event, rounds: list[dict], day: date) -> None:
    """Every round run on the day, from its start time for its planned minutes and a little more."""
    for r in rounds:
        started = at(day, r["starts"])
        event.rounds.append(Round(number=r["number"], question=r["question"], level=r["level"],
                                  focus_points=r["focus_points"], planned_minutes=r["minutes"],
                                  started_at=started, ended_at=started + timedelta(minutes=r["minutes"] + 2)))
    db.session.flush()


def _notes(event: Event, units: dict, notes: list[dict]) -> None:
    """The table hosts' notes, typed during their rounds, each in the change log like a live note (the
    synthesis service reads them from there)."""
    tables = {t.number: t for t in event.tables}
    rounds = {r.number: r for r in event.rounds}
    per_round = {number: _interleaved([n for n in notes if n["round"] == number]) for number in rounds}
    for number, written in per_round.items():
        rnd = rounds[number]
        step = (rnd.ended_at - rnd.started_at) / (len(written) + 1)
        for position, n in enumerate(written, start=1):
            table = tables[n["table"]]
            typed = rnd.started_at + step * position
            note = Note(client_id=str(uuid.uuid4()), event_id=event.id, table_id=table.id, round_id=rnd.id,
                        text=n["text"], level=n["level"], starred=bool(n.get("starred")),
                        unit_id=units[n["unit_key"]].id if n.get("unit_key") else None,
                        created_at=typed, updated_at=typed)
            db.session.add(note)
            db.session.flush()
            change = changes.record(event.id, "note:added", {}, table_id=table.id)
            note.seq = change.seq
            change.payload = {"note": note_payload(note)}
    db.session.flush()


def _interleaved(notes: list[dict]) -> list[dict]:
    """A round's notes in the order they were typed: the tables write side by side, not one after another."""
    seen: dict[int, int] = {}
    ranked = []
    for n in notes:
        seen[n["table"]] = seen.get(n["table"], 0) + 1
        ranked.append((seen[n["table"]], n["table"], n))
    return [n for _, _, n in sorted(ranked, key=lambda item: item[:2])]


def _prevote(event: Event, prevote: dict, day: date) -> None:
    """The pre-vote the staff answered in the weeks before the day, closed two days before it."""
    vote = votes.record_counts(event, {v["point"]: v["votes"] for v in prevote["counts"]})
    vote.opened_at = at(day - timedelta(days=prevote["opened_days_before"]), "08:00")
    vote.closed_at = at(day - timedelta(days=prevote["closed_days_before"]), "16:00")
    ballots = list(db.session.scalars(select(Ballot).where(Ballot.vote_id == vote.id).order_by(Ballot.id)))
    span = vote.closed_at - vote.opened_at
    for n, ballot in enumerate(ballots, start=1):
        ballot.created_at = vote.opened_at + span * n / (len(ballots) + 1)
    db.session.flush()
