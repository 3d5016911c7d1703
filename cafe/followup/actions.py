"""Action items: creating, changing with full history, drafts from themes or notes, and who may do what."""
import secrets
import unicodedata
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import validation
from ..errors import ServiceError
from ..extensions import db
from ..models import Event, Note, Theme, ThemeMembership, Unit, User, utcnow
from ..models.action import (
    ACTION_STATUSES,
    FORUMS,
    TRACKED_FIELDS,
    ActionComment,
    ActionHistory,
    ActionItem,
    ActionNote,
    ActionTheme,
    FeedbackLink,
)
from ..people import access

STATUS_LABELS = {
    "forslag": _l("förslag"), "beslutad": _l("beslutad"), "pagar": _l("pågår"),
    "genomford": _l("genomförd"), "ej_aktuell": _l("ej aktuell"),
    "utanfor_ansvar": _l("utanför förvaltningens ansvar"),
}
# The Swedish words as typed in a spreadsheet, whatever the interface language.
STATUS_WORDS = {"förslag": "forslag", "beslutad": "beslutad", "pågår": "pagar", "genomförd": "genomford",
                "ej aktuell": "ej_aktuell", "utanför förvaltningens ansvar": "utanfor_ansvar",
                "utanför ansvar": "utanfor_ansvar"}
STATUS_SWEDISH = {key: word for word, key in STATUS_WORDS.items() if word != "utanför ansvar"}
FORUM_LABELS = {"apt": _l("APT"), "ledningsgrupp": _l("ledningsgrupp"), "lokal_styrgrupp": _l("lokal styrgrupp")}
FORUM_WORDS = {"apt": "apt", "ledningsgrupp": "ledningsgrupp", "lokal styrgrupp": "lokal_styrgrupp"}
FIELD_LABELS = {
    "created": _l("skapad"), "title": _l("rubrik"), "description": _l("beskrivning"), "point": _l("punkt"),
    "level": _l("nivå"), "unit_id": _l("enhet"), "responsible": _l("ansvarig"), "status": _l("status"),
    "forum": _l("forum"), "subgoal_indicator": _l("delmål: indikator"), "subgoal_target": _l("delmål: mål"),
    "subgoal_current": _l("delmål: nuläge"), "due_date": _l("klart senast"), "is_draft": _l("utkast"),
    "comment": _l("kommentar"),
}
TEXT_LIMITS = {"title": 300, "description": 5000, "responsible": 200, "subgoal_indicator": 1000,
               "subgoal_target": 200, "subgoal_current": 200}
# What an action without a point shows where the point would be: a question the plan does not cover
# (pay, threats and violence, ...), which the steering group most needs to hear about.
OUTSIDE_PLAN = _l("Utanför handlingsplanen")
OUTSIDE_PLAN_SWEDISH = "Utanför handlingsplanen"  # in the Swedish file formats, whatever the interface language
OTHER = 0  # a note's point when its host or the synthesis said it fits none of the plan's points
# Statuses that count as "got somewhere" in the follow-up views.
DONE = ("genomford",)
MOVING = ("beslutad", "pagar", "genomford")


# --- who may do what -------------------------------------------------------------------------------

def manages_administration(user: User, administration_id: int | None) -> bool:
    """Project leads and organizers of an administration (organizers without one: all) manage its actions."""
    if user.role == "organizer" and user.administration_id is None:
        return True
    return user.role in ("project_lead", "organizer") and user.administration_id == administration_id


def can_manage(principal: access.Principal, event: Event) -> bool:
    """Whoever manages the event's administration manages its actions."""
    return principal.is_user and manages_administration(principal.user, event.administration_id)


def can_read(principal: access.Principal, event: Event) -> bool:
    """Whoever manages the actions reads them, and so does the city level."""
    return can_manage(principal, event) or (principal.is_user and principal.user.role == "city")


def administration_ids(user: User) -> list[int] | None:
    """The administrations a user's follow-up views cover; None means all of them."""
    if user.role == "city" or (user.role == "organizer" and user.administration_id is None):
        return None
    if user.role in ("project_lead", "organizer") and user.administration_id:
        return [user.administration_id]
    return []


# --- validation ------------------------------------------------------------------------------------

def _text(data: dict, field: str, required: bool = False) -> str:
    """A clean one- or multi-line text within its limit."""
    value = data.get(field, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ServiceError("invalid_field", field=field)
    value = unicodedata.normalize("NFC", value.replace("\r\n", "\n")).strip()
    if any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in value):
        raise ServiceError("control_chars", field=field)
    if len(value) > TEXT_LIMITS.get(field, 5000):
        raise ServiceError("invalid_field", field=field)
    if required and not value:
        raise ServiceError("empty_title", field=field)
    return value


def parse_status(value) -> str:
    """A status key from a key or its Swedish word (any case)."""
    if isinstance(value, str):
        word = unicodedata.normalize("NFC", value).strip().lower()
        if word in ACTION_STATUSES:
            return word
        if word in STATUS_WORDS:
            return STATUS_WORDS[word]
    raise ServiceError("invalid_status", field="status")


def parse_forum(value) -> str | None:
    """A forum key from a key or its Swedish word, or None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        word = unicodedata.normalize("NFC", value).strip().lower()
        if word in FORUMS:
            return word
        if word in FORUM_WORDS:
            return FORUM_WORDS[word]
    raise ServiceError("invalid_forum", field="forum")


def parse_point(event: Event, value) -> int | None:
    """A framework point number of the event's framework, or None."""
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    numbers = {p.number for p in event.framework.points} if event.framework else set(range(1, 14))
    if isinstance(value, bool) or not isinstance(value, int) or value not in numbers:
        raise ServiceError("invalid_point", field="point")
    return value


def parse_date(value) -> date | None:
    """A date from ISO text, or None."""
    if value is None or value == "" or isinstance(value, date):
        return value or None
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise ServiceError("invalid_date", field="due_date") from None


def parse_unit(event: Event, value) -> int | None:
    """A unit id of the event's administration, or None."""
    if isinstance(value, str):
        if value.strip() and not value.strip().isdigit():
            raise ServiceError("invalid_unit", field="unit_id")
        value = int(value.strip()) if value.strip() else None
    unit_id = validation.optional_id(value, "unit_id")
    if unit_id is None:
        return None
    unit = db.session.get(Unit, unit_id)
    if unit is None or unit.administration_id != event.administration_id:
        raise ServiceError("invalid_unit", field="unit_id")
    return unit_id


PARSERS = {
    "title": lambda e, d: _text(d, "title", required=True),
    "description": lambda e, d: _text(d, "description"),
    "responsible": lambda e, d: _text(d, "responsible"),
    "subgoal_indicator": lambda e, d: _text(d, "subgoal_indicator"),
    "subgoal_target": lambda e, d: _text(d, "subgoal_target"),
    "subgoal_current": lambda e, d: _text(d, "subgoal_current"),
    "status": lambda e, d: parse_status(d["status"]),
    "forum": lambda e, d: parse_forum(d["forum"]),
    "point": lambda e, d: parse_point(e, d["point"]),
    "level": lambda e, d: validation.level(d["level"]),
    "unit_id": lambda e, d: parse_unit(e, d["unit_id"]),
    "due_date": lambda e, d: parse_date(d["due_date"]),
}


def clean(event: Event, data: dict) -> dict:
    """Validate the fields present in `data` and return them as stored values."""
    validation.require_mapping(data)
    return {field: parse(event, data) for field, parse in PARSERS.items() if field in data}


# --- changing actions ------------------------------------------------------------------------------

def _author(user: User | None, source: str) -> str:
    """The name kept in the history."""
    if user is not None:
        return user.name
    return {"import": "Import", "demo": "Demo"}.get(source, "")


def _shown(value) -> str | None:
    """A value as the history keeps it."""
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _log(action: ActionItem, field: str, before, after, user: User | None, source: str) -> None:
    """Append one entry to the action's history."""
    action.history.append(ActionHistory(field=field, before=_shown(before), after=_shown(after),
                                        user_id=user.id if user else None, author=_author(user, source),
                                        source=source, changed_at=utcnow()))


def create(event: Event, data: dict, user: User | None = None, *, draft: bool = False,
           source: str = "tool") -> ActionItem:
    """Create an action from validated fields and record its creation."""
    values = clean(event, {"title": data.get("title"), **data})
    action = ActionItem(event_id=event.id, created_by_id=user.id if user else None, is_draft=draft,
                        **{"status": "forslag", **values})
    db.session.add(action)
    _log(action, "created", None, action.title, user, source)
    db.session.flush()
    return action


def update(action: ActionItem, data: dict, user: User | None = None, *, expected_version: int | None = None,
           source: str = "tool") -> list[str]:
    """Apply changed fields, keep each change in the history, bump the version; return the fields."""
    if expected_version is not None and expected_version != action.version:
        raise ServiceError("action_conflict", status=409, version=action.version)
    values = clean(action.event, data)
    changed = [f for f in TRACKED_FIELDS if f in values and values[f] != getattr(action, f)]
    for field in changed:
        _log(action, field, getattr(action, field), values[field], user, source)
        setattr(action, field, values[field])
    if changed:
        _touch(action, status_changed="status" in changed)
    db.session.flush()
    return changed


def _touch(action: ActionItem, status_changed: bool = False) -> None:
    """Mark the action changed now: a new version and timestamp."""
    action.version += 1
    action.updated_at = utcnow()
    if status_changed:
        action.status_changed_at = action.updated_at


def add_comment(action: ActionItem, text, user: User | None = None, source: str = "tool") -> ActionComment:
    """Add a comment; it counts as a change of the action."""
    clean_text = validation.note_text(text, max_chars=5000)
    comment = ActionComment(text=clean_text, user_id=user.id if user else None, author=_author(user, source),
                            created_at=utcnow())
    action.comments.append(comment)
    _log(action, "comment", None, clean_text, user, source)
    _touch(action)
    db.session.flush()
    return comment


def approve(action: ActionItem, user: User | None = None) -> None:
    """Accept a reviewed draft so that it counts on the lists, the exports and the feedback page."""
    if action.is_draft:
        _log(action, "is_draft", True, False, user, "tool")
        action.is_draft = False
        _touch(action, status_changed=True)
        db.session.flush()


def discard(action: ActionItem) -> int:
    """Throw away a draft that was not worth keeping; return its event's id."""
    if not action.is_draft:
        raise ServiceError("invalid_field", field="draft")
    event_id = action.event_id
    db.session.delete(action)
    db.session.flush()
    return event_id


# --- drafts from themes and notes --------------------------------------------------------------------

def _notes_of(event: Event, note_ids) -> list[Note]:
    """The event's live notes with these ids, refusing any that are not."""
    if not isinstance(note_ids, (list, tuple)) or not note_ids:
        raise ServiceError("no_notes", field="note_ids")
    ids = {validation.required_id(i, "note_ids") for i in note_ids}
    notes = list(db.session.scalars(select(Note).where(Note.id.in_(ids), Note.event_id == event.id,
                                                       Note.deleted_at.is_(None)).order_by(Note.id)))
    if len(notes) != len(ids):
        raise ServiceError("note_not_found", status=404, field="note_ids")
    return notes


def _unit_of(note: Note) -> int | None:
    """The unit a note speaks for: its own, else its table's."""
    return note.unit_id or (note.table.unit_id if note.table else None)


def _common_point(notes: list[Note]) -> int | None:
    """The point most of the notes share; None when they have none or most fit no point ("annat")."""
    points = [n.point for n in notes if n.point is not None]
    if not points:
        return None
    common = max(sorted(set(points)), key=points.count)
    return None if common == OTHER else common


def drafts_from_notes(event: Event, label, note_ids, user: User | None = None,
                      theme_id: int | None = None) -> list[ActionItem]:
    """One draft per unit whose tables raised these notes; notes without a unit give an administration draft."""
    label = _text({"title": label}, "title", required=True)[:200]
    by_unit: dict[int | None, list[Note]] = {}
    for note in _notes_of(event, note_ids):
        by_unit.setdefault(_unit_of(note), []).append(note)
    drafts = []
    for unit_id, notes in sorted(by_unit.items(), key=lambda item: (item[0] is None, item[0] or 0)):
        drafts.append(_draft(event, label, unit_id, notes, user, theme_id))
    return drafts


def _draft(event: Event, label: str, unit_id: int | None, notes: list[Note], user, theme_id) -> ActionItem:
    """A draft for one unit, linked to its notes and the theme."""
    description = "\n".join(f"– {n.text}" for n in notes)[:5000]
    action = create(event, {"title": label, "description": description, "unit_id": unit_id,
                            "point": _common_point(notes), "level": "enhet" if unit_id else "förvaltning"},
                    user, draft=True)
    action.note_links.extend(ActionNote(note_id=n.id) for n in notes)
    action.theme_links.append(ActionTheme(theme_id=theme_id, label=label))
    db.session.flush()
    return action


def theme_label(theme: Theme) -> str:
    """A theme's label as people read it."""
    return theme.label.strip() or f"Tema {theme.id}"


def theme_note_ids(theme: Theme) -> list[int]:
    """The ids of a theme's notes, in the order they were written."""
    return list(db.session.scalars(select(ThemeMembership.note_id).where(ThemeMembership.theme_id == theme.id)
                                   .order_by(ThemeMembership.note_id)))


def event_themes(event: Event) -> list[Theme]:
    """The event's visible synthesis themes (not hidden, not merged away)."""
    return list(db.session.scalars(select(Theme).where(
        Theme.event_id == event.id, Theme.hidden.is_(False), Theme.merged_into_id.is_(None)).order_by(Theme.id)))


def drafts_from_theme(event: Event, theme_id, user: User | None = None) -> list[ActionItem]:
    """One click: draft actions for the units whose tables raised a synthesis theme."""
    theme = db.session.get(Theme, validation.required_id(theme_id, "theme_id"))
    if theme is None or theme.event_id != event.id:
        raise ServiceError("theme_not_found", status=404)
    live = [n.id for n in _live_notes(theme_note_ids(theme))]
    return drafts_from_notes(event, theme_label(theme), live, user, theme_id=theme.id)


def _live_notes(ids: list[int]) -> list[Note]:
    """The notes with these ids that are not deleted."""
    if not ids:
        return []
    return list(db.session.scalars(select(Note).where(Note.id.in_(ids), Note.deleted_at.is_(None))))


# --- listing -------------------------------------------------------------------------------------------

SORTS = {"unit": lambda a: ((a.unit.name if a.unit else "\uffff"), a.id),
         "status": lambda a: (ACTION_STATUSES.index(a.status), a.id),
         "point": lambda a: (a.point or 99, a.id), "due": lambda a: (a.due_date or date.max, a.id),
         "changed": lambda a: (-a.updated_at.timestamp(), a.id), "title": lambda a: (a.title.lower(), a.id)}


def listing(event_ids: list[int], filters: dict | None = None, sort: str = "unit",
            drafts: bool = False) -> list[ActionItem]:
    """Actions of these events, filtered by unit/status/point/level and sorted by a known key."""
    query = select(ActionItem).where(ActionItem.event_id.in_(event_ids), ActionItem.is_draft.is_(drafts))
    filters = filters or {}
    for field in ("status", "point", "level"):
        if filters.get(field) not in (None, "", OTHER):
            query = query.where(getattr(ActionItem, field) == filters[field])
    if filters.get("point") == OTHER:  # the actions outside the plan
        query = query.where(ActionItem.point.is_(None))
    if filters.get("unit_id") == 0:
        query = query.where(ActionItem.unit_id.is_(None))
    elif filters.get("unit_id"):
        query = query.where(ActionItem.unit_id == filters["unit_id"])
    return sorted(db.session.scalars(query), key=SORTS.get(sort, SORTS["unit"]))


def feedback_token(event: Event) -> str:
    """The event's feedback link secret, made on first use."""
    link = db.session.get(FeedbackLink, event.id)
    if link is None:
        link = FeedbackLink(event_id=event.id, token=secrets.token_urlsafe(24))
        db.session.add(link)
        db.session.flush()
    return link.token


def event_for_feedback(token) -> Event:
    """The event whose feedback link this is, or 404."""
    if not isinstance(token, str) or not 10 <= len(token) <= 64:
        raise ServiceError("not_found", status=404)
    link = db.session.scalar(select(FeedbackLink).where(FeedbackLink.token == token))
    if link is None:
        raise ServiceError("not_found", status=404)
    return db.session.get(Event, link.event_id)
