"""What the participants see: counted actions per point and per unit, and an Atom feed of status changes."""
from xml.etree import ElementTree as ET

from flask_babel import gettext
from sqlalchemy import select

from ..extensions import db
from ..models import Event, iso
from ..models.action import ActionHistory, ActionItem
from . import actions

ATOM = "http://www.w3.org/2005/Atom"
FEED_ENTRIES = 100
def unitless() -> str:
    """The heading for actions that belong to no single unit, in the reader's language."""
    return gettext("Hela förvaltningen")


def _view(action: ActionItem, points: dict) -> dict:
    """One action as the public page shows it: no names, no note texts."""
    return {"id": action.id, "title": action.title, "status": action.status,
            "unit": action.unit.name if action.unit else unitless(), "point": action.point,
            "point_label": points.get(action.point, ""), "themes": action.theme_labels,
            "subgoal": {"indicator": action.subgoal_indicator, "target": action.subgoal_target,
                        "current": action.subgoal_current} if action.subgoal_indicator else None,
            "changed": action.updated_at.date().isoformat()}


def page(event: Event) -> dict:
    """The counted actions of an event grouped per point and per unit."""
    points = {p.number: p.label for p in event.framework.points} if event.framework else {}
    views = [_view(a, points) for a in actions.listing([event.id], sort="point")]
    by_point, by_unit = {}, {}
    for view in views:
        by_point.setdefault(view["point"], []).append(view)
        by_unit.setdefault(view["unit"], []).append(view)
    return {"total": len(views),
            "points": [{"number": n, "label": points.get(n, ""), "actions": by_point[n]}
                       for n in sorted(by_point, key=lambda n: (n is None, n or 0))],
            "units": [{"name": name, "actions": by_unit[name]}
                      for name in sorted(by_unit, key=lambda n: (n == unitless(), n.lower()))],
            "done": sum(1 for v in views if v["status"] in actions.DONE),
            "moving": sum(1 for v in views if v["status"] in actions.MOVING)}


def status_changes(event: Event) -> list[ActionHistory]:
    """Status changes and newly counted actions of the event, newest first."""
    query = (select(ActionHistory).join(ActionItem)
             .where(ActionItem.event_id == event.id, ActionItem.is_draft.is_(False),
                    ActionHistory.field.in_(("status", "is_draft", "created")))
             .order_by(ActionHistory.changed_at.desc(), ActionHistory.id.desc()).limit(FEED_ENTRIES * 2))
    entries = []
    for entry in db.session.scalars(query):
        was_draft = any(h.field == "is_draft" for h in entry.action.history)
        if entry.field == "created" and was_draft:
            continue  # a draft's creation is not news; its approval is
        entries.append(entry)
    return entries[:FEED_ENTRIES]


def _status_word(key: str | None) -> str:
    """A status in Swedish words."""
    return str(actions.STATUS_LABELS.get(key or "", key or ""))


def _entry_text(entry: ActionHistory) -> tuple[str, str]:
    """Title and summary of one feed entry."""
    action = entry.action
    if entry.field == "status":
        change = f"{_status_word(entry.before)} → {_status_word(entry.after)}"
    else:
        change = f"ny åtgärd ({_status_word(action.status)})"
    unit = action.unit.name if action.unit else unitless()
    return f"{action.title}: {change}", f"{unit}. {action.title}: {change}."


def _sub(parent, tag: str, text: str | None = None, **attrs) -> ET.Element:
    """Add an Atom child element; ElementTree escapes the text and attributes."""
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        element.text = text
    return element


def atom(event: Event, page_url: str, feed_url: str) -> bytes:
    """The Atom 1.0 document of the event's status changes."""
    ET.register_namespace("", ATOM)
    entries = status_changes(event)
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "sv"})
    _sub(feed, "title", f"Vad har hänt med era idéer? – {event.title}")
    _sub(feed, "id", page_url)
    _sub(feed, "updated", iso(entries[0].changed_at if entries else event.created_at))
    _sub(feed, "link", href=page_url, rel="alternate", type="text/html")
    _sub(feed, "link", href=feed_url, rel="self", type="application/atom+xml")
    _sub(_sub(feed, "author"), "name", event.administration.name if event.administration else "Dialogcafé")
    for entry in entries:
        title, summary = _entry_text(entry)
        item = _sub(feed, "entry")
        _sub(item, "title", title)
        _sub(item, "id", f"{page_url}#andring-{entry.id}")
        _sub(item, "updated", iso(entry.changed_at))
        _sub(item, "link", href=f"{page_url}#atgard-{entry.action_id}", rel="alternate", type="text/html")
        _sub(item, "summary", summary)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
