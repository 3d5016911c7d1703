"""The demo's planned café: a follow-up café a few weeks ahead, still a draft, its pre-vote open."""
from datetime import datetime, timedelta

from ..events import votes
from ..extensions import db
from ..models import Administration, Ballot, Event, Round, Table, Unit, User, utcnow
from ..people import access
from ..points.framework import ensure_framework
from .held import local_zone


def create_planned(data: dict, admin: Administration, units: dict[str, Unit], people: dict[str, User]) -> Event:
    """The planned café with its tables, rounds, focus points and open pre-vote."""
    about = data["event"]
    event = Event(title=about["title"], place=about["place"], description=about["description"], status="draft",
                  date=datetime.now(local_zone()).date() + timedelta(days=about["days_ahead"]),
                  administration_id=admin.id, framework_id=ensure_framework().id,
                  focus_points=about["focus_points"], projector_token=access.new_projector_token())
    db.session.add(event)
    event.facilitators.append(people["facilitator"])
    for r in data["rounds"]:
        event.rounds.append(Round(number=r["number"], question=r["question"], level=r["level"],
                                  focus_points=r["focus_points"], planned_minutes=r["minutes"]))
    for t in data["tables"]:
        event.tables.append(Table(number=t["number"], name=t["name"], host_name=t["host_name"],
                                  unit_id=units[t["unit_key"]].id, join_code=access.new_join_code()))
    db.session.flush()
    _prevote(event, data["prevote"])
    return event


def _prevote(event: Event, prevote: dict) -> None:
    """The pre-vote, open for some days, with the ballots and wishes that came in so far."""
    vote = votes.open_vote(event, prevote["max_points"])
    vote.opened_at = utcnow() - timedelta(days=prevote["opened_days_ago"])
    wishes = prevote["wishes"]
    span = utcnow() - vote.opened_at
    for n, chosen in enumerate(prevote["ballots"]):
        db.session.add(Ballot(vote_id=vote.id, voter_id=votes.new_voter_id(), points=sorted(chosen),
                              wish=wishes[n] if n < len(wishes) else "",
                              created_at=vote.opened_at + span * (n + 1) / (len(prevote["ballots"]) + 1)))
    db.session.flush()
