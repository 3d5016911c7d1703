"""The demo: a fictional district administration with a café held a hundred days ago and one planned.

The held café (closed) has rounds with their times, notes from eight tables, a closed pre-vote, action
lists whose history runs over the weeks after the day, and a feedback page; its notes wait in the
change log for the synthesis service, which gives it themes when it runs. The planned café (a draft
a few weeks ahead) has its tables, rounds and an open pre-vote: start its first round in the
facilitator's console and type notes at its tables. Both are described in cafe.json (the held café at
the top, the planned one under "planned"), with dates counted from the day the demo is seeded.
"""
import json
import secrets
from pathlib import Path

from sqlalchemy import select

from ..events import votes
from ..extensions import db
from ..followup.actions import feedback_token
from ..models import Administration, Event, Unit, User
from ..people import access, users
from .actions import seed_actions
from .held import create_held
from .planned import create_planned

DATA = Path(__file__).resolve().parent / "cafe.json"
ORGANIZER = "arrangor@demo.dialogcafe.se"
FACILITATOR = "processledare@demo.dialogcafe.se"
PROJECT_LEAD = "projektledare@demo.dialogcafe.se"
PEOPLE = {"organizer": (ORGANIZER, "Arrangör (demo)"), "facilitator": (FACILITATOR, "Processledare (demo)"),
          "project_lead": (PROJECT_LEAD, "Projektledare (demo)")}


def load() -> dict:
    """Read the demo's description."""
    return json.loads(DATA.read_text(encoding="utf-8"))


def seed(public_url: str, password: str | None = None) -> dict:
    """Seed the demo unless it exists, give each demo user a fresh password (or `password`), return the
    ways in."""
    data = load()
    held = _find(data["event"]["title"])
    if held is None:
        admin = _administration(data)
        held = create_held(data, admin, _units(admin, data), _people())
    planned = _find(data["planned"]["event"]["title"])
    if planned is None:
        admin = db.session.get(Administration, held.administration_id)
        planned = create_planned(data["planned"], admin, _units(admin, data), _people())
    seed_actions(held, data)
    passwords = {role: password or secrets.token_urlsafe(9) for role in PEOPLE}
    for role, (email, _) in PEOPLE.items():
        db.session.scalar(select(User).where(User.email == email)).set_password(passwords[role])
    db.session.flush()
    return info(held, planned, public_url, passwords)


def _find(title: str) -> Event | None:
    """The demo café with this title, if it was seeded before."""
    return db.session.scalar(select(Event).where(Event.title == title).order_by(Event.id).limit(1))


def _administration(data: dict) -> Administration:
    """The fictional district administration with its units and the demo users."""
    admin = Administration(name=data["administration"]["name"])
    admin.units.extend(Unit(name=u["name"]) for u in data["administration"]["units"])
    db.session.add(admin)
    db.session.flush()
    for role, (email, name) in PEOPLE.items():
        users.create(email, secrets.token_urlsafe(9), name, role, admin.id)
    db.session.flush()
    return admin


def _units(admin: Administration, data: dict) -> dict[str, Unit]:
    """The administration's units by the key cafe.json gives them."""
    by_name = {u.name: u for u in admin.units}
    return {u["key"]: by_name[u["name"]] for u in data["administration"]["units"] if u["name"] in by_name}


def _people() -> dict[str, User]:
    """The demo users by role."""
    return {role: db.session.scalar(select(User).where(User.email == email)) for role, (email, _) in PEOPLE.items()}


def _cafe(event: Event, public_url: str) -> dict:
    """A café's ways in: the facilitator's console, the projector and each table's join code and link."""
    return {
        "event_id": event.id, "title": event.title, "date": event.date.isoformat() if event.date else None,
        "status": event.status,
        "facilitator_url": f"{public_url}/facilitator/{event.id}",
        "projector_url": f"{public_url}/projector/{event.id}?token={event.projector_token}",
        "tables": [{"id": t.id, "number": t.number, "name": t.display_name, "host_name": t.host_name,
                    "join_code": access.format_join_code(t.join_code),
                    "url": f"{public_url}/t/{t.join_code}"} for t in event.tables],
    }


def info(held: Event, planned: Event, public_url: str, passwords: dict[str, str]) -> dict:
    """Every role's way in, as `flask demo` prints it. The top-level café keys (`event_id`,
    `facilitator_url`, `projector_url`, `tables`) name the planned café, the one to run yourself."""
    vote = votes.vote_of(planned)
    runnable = {**_cafe(planned, public_url), "planning_url": f"{public_url}/organizer/events/{planned.id}",
                "vote_url": votes.public_link(vote, public_url) if vote else None}
    followed = {**_cafe(held, public_url), "actions_url": f"{public_url}/actions/events/{held.id}",
                "build_url": f"{public_url}/actions/events/{held.id}/build",
                "feedback_url": f"{public_url}/feedback/{feedback_token(held)}",
                "vote_results_url": f"{public_url}/organizer/events/{held.id}/vote"}
    people = {role: {"email": email, "password": passwords[role]} for role, (email, _) in PEOPLE.items()}
    return {"login_url": f"{public_url}/login", **people,
            **{key: runnable[key] for key in ("event_id", "facilitator_url", "projector_url", "tables")},
            "planned": runnable, "held": followed}
