"""The held café's action lists: every status, several units, sub-goals, actions outside the plan, and a
history of changes over the weeks after the day."""
from datetime import timedelta

from sqlalchemy import func, select

from ..extensions import db
from ..followup import actions
from ..models import Event, Note, Unit, utcnow
from ..models.action import ActionItem, ActionNote, ActionTheme
from .held import at

# The way a status usually travels; the demo replays it up to each action's status.
PATH = ("forslag", "beslutad", "pagar", "genomford")
FIRST_DRAFTED = 3  # days after the café the project lead wrote the first action
DAYS_BETWEEN_CHANGES = 9


def _status(value: str) -> str:
    """The status key of the demo file's spelling (a word or a key, with _ for a space)."""
    try:
        return actions.parse_status(value)
    except Exception:  # the demo spells "utanför_ansvar" with an underscore
        return actions.parse_status(value.replace("_", " "))


def seed_actions(event: Event, data: dict) -> None:
    """Seed the held café's actions once, with a history in the weeks after the café."""
    if db.session.scalar(select(func.count(ActionItem.id)).where(ActionItem.event_id == event.id)):
        return
    units = {u["key"]: db.session.scalar(select(Unit).where(Unit.name == u["name"],
                                                           Unit.administration_id == event.administration_id))
             for u in data["administration"]["units"]}
    start = at(event.date + timedelta(days=FIRST_DRAFTED), "09:00")
    for n, item in enumerate(data.get("actions", [])):
        _seed_one(event, item, units, data["notes"], start + timedelta(days=n, hours=n % 6))


def _seed_one(event: Event, item: dict, units: dict, notes: list[dict], created) -> None:
    """Create one action, walk its status forward, add its comment, link its notes and theme."""
    unit = units.get(item.get("unit_key"))
    goal = item.get("subgoal") or {}
    due = item.get("due_days_after")
    action = actions.create(event, {
        "title": item["title"], "description": item.get("description", ""), "point": item.get("point") or None,
        "level": item.get("level"), "unit_id": unit.id if unit else None,
        "responsible": item.get("responsible", ""), "forum": item.get("forum"),
        "due_date": event.date + timedelta(days=due) if due is not None else None,
        "subgoal_indicator": goal.get("indicator", ""), "subgoal_target": goal.get("target", ""),
    }, source="demo")
    target = _status(item["status"])
    steps = PATH[1:PATH.index(target) + 1] if target in PATH else ("beslutad", target)
    for step in steps:
        actions.update(action, {"status": step}, source="demo")
    if goal.get("current"):
        actions.update(action, {"subgoal_current": goal["current"]}, source="demo")
    if item.get("comment"):
        actions.add_comment(action, item["comment"], source="demo")
    _backdate(action, created)
    _link(event, action, item, notes)


def _backdate(action: ActionItem, created) -> None:
    """Spread the history over the weeks after the café, as if it happened then (never later than now)."""
    latest = utcnow() - timedelta(hours=1)
    for n, entry in enumerate(action.history):
        entry.changed_at = min(created + timedelta(days=DAYS_BETWEEN_CHANGES * n), latest)
    action.created_at = action.history[0].changed_at
    action.updated_at = action.history[-1].changed_at
    status_entries = [h for h in action.history if h.field == "status"]
    action.status_changed_at = status_entries[-1].changed_at if status_entries else action.created_at
    for comment in action.comments:
        comment.created_at = action.updated_at


def _link(event: Event, action: ActionItem, item: dict, notes: list[dict]) -> None:
    """Link the notes on the same point (and unit) and name the theme after the point."""
    texts = [n["text"] for n in notes if item.get("point") and n.get("point") == item.get("point")
             and (item.get("unit_key") is None or n.get("unit_key") == item.get("unit_key"))][:6]
    if texts:
        ids = db.session.scalars(select(Note.id).where(Note.event_id == event.id, Note.text.in_(texts)))
        action.note_links.extend(ActionNote(note_id=i) for i in ids)
    point = next((p for p in event.framework.points if p.number == item.get("point")), None) \
        if event.framework else None
    # Actions outside the 13 points (point 0 in the file) stand for a theme of their own.
    action.theme_links.append(ActionTheme(label=point.label if point is not None else item["title"][:200]))
    db.session.flush()
