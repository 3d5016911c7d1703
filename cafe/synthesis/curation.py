"""Curation of the live synthesis: rename, merge, split, move, correct points, mark, promote, undo.

Every curation stores the state of what it touched before and after (`curation_log`). Undo restores
the "before" state only when everything still is as the curation left it, so a later curation of the
same theme or note is never silently lost (the undo is refused instead). An undo is itself a
curation, so undoing an undo redoes the original. Each touched theme's `version` grows; a request
carrying an older `base_version` is refused with `conflict`.
"""
from flask_babel import gettext as _
from sqlalchemy import func, select

from .. import validation
from ..errors import ServiceError
from ..extensions import db
from ..models import Curation, Event, Framework, FrameworkPoint, Note, PlenaryNote, Theme, User, utcnow
from ..points import suggestions
from .curation_log import (
    CurationResult,
    Edit,
    _check_versions,
    _id_list,
    _label,
    _members,
    _note,
    _place,
    _point_row,
    _theme,
    snapshot,
)

RECENT = 50


def rename(event: Event, user: User, payload: dict) -> CurationResult:
    """Give a theme a label of the facilitator's own."""
    payload = validation.require_mapping(payload)
    theme = _theme(event, payload.get("theme_id"))
    label = _label(payload.get("label"))
    _check_versions(payload, [theme])
    edit = Edit(event, user, "rename").touch(themes=[theme])
    old = theme.label
    theme.label, theme.label_custom = label, True
    return edit.finish({"key": "rename", "old": old, "new": label})


def merge(event: Event, user: User, payload: dict) -> CurationResult:
    """Move every note of the source themes into the theme; notes of the sources' kind follow."""
    payload = validation.require_mapping(payload)
    target = _theme(event, payload.get("theme_id"))
    sources = [_theme(event, i, "source_ids") for i in _id_list(payload.get("source_ids"), "source_ids", 50)]
    if any(s.id == target.id for s in sources):
        raise ServiceError("same_theme", field="source_ids")
    _check_versions(payload, [target, *sources])
    notes = [n for s in sources for n in _members(s)]
    edit = Edit(event, user, "merge").touch(themes=[target, *sources], notes=notes)
    for note_id in notes:
        _place(note_id, event.id, target.id, None)
    for source in sources:
        source.merged_into_id = target.id
    names = ", ".join(f'"{s.label}"' for s in sources)
    return edit.finish({"key": "merge", "sources": names, "target": target.label})


def split(event: Event, user: User, payload: dict) -> CurationResult:
    """Move the chosen notes of a theme into a new theme of their own."""
    payload = validation.require_mapping(payload)
    theme = _theme(event, payload.get("theme_id"))
    chosen = _id_list(payload.get("note_ids"), "note_ids")
    members = set(_members(theme))
    if not set(chosen) <= members:
        raise ServiceError("note_not_in_theme", field="note_ids")
    if set(chosen) == members:
        raise ServiceError("split_all", field="note_ids")
    label = _label(payload["label"]) if payload.get("label") else None
    _check_versions(payload, [theme])
    edit = Edit(event, user, "split").touch(themes=[theme], notes=chosen)
    new = Theme(event_id=event.id, origin="split", label=label or _("%(label)s (del)", label=theme.label)[:120],
                label_custom=label is not None, keywords=[], quotes=[])
    db.session.add(new)
    edit.created(new)
    for note_id in chosen:
        _place(note_id, event.id, new.id, True)
    return edit.finish({"key": "split", "theme": theme.label, "num": len(chosen), "new": new.label})


def move(event: Event, user: User, payload: dict) -> CurationResult:
    """Move one note into another theme; the synthesis leaves it there."""
    payload = validation.require_mapping(payload)
    note = _note(event, payload.get("note_id"))
    target = _theme(event, payload.get("theme_id"))
    member = snapshot({"notes": {str(note.id): None}})["notes"][str(note.id)]
    source = db.session.get(Theme, member["theme_id"]) if member["theme_id"] else None
    if source is not None and source.id == target.id:
        raise ServiceError("same_theme", field="theme_id")
    themes = [target] + ([source] if source is not None else [])
    _check_versions(payload, themes)
    edit = Edit(event, user, "move").touch(themes=themes, notes=[note.id])
    _place(note.id, event.id, target.id, True)
    if source is None:
        return edit.finish({"key": "move_unthemed", "target": target.label})
    return edit.finish({"key": "move", "source": source.label, "target": target.label})


def set_point(event: Event, user: User, payload: dict) -> CurationResult:
    """Confirm or correct a note's point (0 = annat, null = no confirmed point); the mapper learns it."""
    payload = validation.require_mapping(payload)
    note = _note(event, payload.get("note_id"))
    if "point" not in payload:
        raise ServiceError("invalid_point", field="point")
    point = suggestions.point(event.framework, payload.get("point"))
    base = payload.get("base_point", note.confirmed_point)
    if base != note.confirmed_point:
        raise ServiceError("note_point_changed", status=409, note=note.to_dict())
    if point == note.confirmed_point:
        raise ServiceError("no_change", field="point")
    edit = Edit(event, user, "point").touch(notes=[note.id])
    note.confirmed_point, note.updated_at = point, utcnow()
    return edit.finish(_point_summary(point))


def _point_summary(point: int | None) -> dict:
    """The undo list's words for a point curation."""
    if point is None:
        return {"key": "point_removed"}
    if point == suggestions.OTHER:
        return {"key": "point_other"}
    return {"key": "point_set", "point": point}


def mark(event: Event, user: User, payload: dict) -> CurationResult:
    """Mark a theme (`theme_id`) or a note (`note_id`) for the plenary, or take the mark away."""
    payload = validation.require_mapping(payload)
    marked = payload.get("marked", True)
    if not isinstance(marked, bool):
        raise ServiceError("invalid_field", field="marked")
    if payload.get("theme_id") is not None:
        return _mark_theme(event, user, payload, marked)
    note = _note(event, payload.get("note_id"))
    edit = Edit(event, user, "mark").touch(notes=[note.id])
    present = db.session.get(PlenaryNote, note.id)
    if marked == (present is not None):
        raise ServiceError("no_change", field="marked")
    _set_mark(note.id, event.id, marked)
    return edit.finish({"key": "note_marked" if marked else "note_unmarked"})


def _mark_theme(event: Event, user: User, payload: dict, marked: bool) -> CurationResult:
    """Mark or unmark one theme for the plenary."""
    theme = _theme(event, payload.get("theme_id"))
    _check_versions(payload, [theme])
    if theme.marked_for_plenary == marked:
        raise ServiceError("no_change", field="marked")
    edit = Edit(event, user, "mark").touch(themes=[theme])
    theme.marked_for_plenary = marked
    return edit.finish({"key": "theme_marked" if marked else "theme_unmarked", "label": theme.label})


def _set_mark(note_id: int, event_id: int, marked: bool) -> None:
    """Add or remove a note's plenary mark."""
    present = db.session.get(PlenaryNote, note_id)
    if marked and present is None:
        db.session.add(PlenaryNote(note_id=note_id, event_id=event_id))
    elif not marked and present is not None:
        db.session.delete(present)


def promote(event: Event, user: User, payload: dict) -> CurationResult:
    """Make a theme outside the framework a new point of the event's framework (the next number)."""
    payload = validation.require_mapping(payload)
    theme = _theme(event, payload.get("theme_id"))
    label = _label(payload["label"]) if payload.get("label") else theme.label[:120]
    if not theme.novel or theme.promoted_point is not None:
        raise ServiceError("not_novel", field="theme_id")
    _check_versions(payload, [theme])
    framework = _own_framework(event)
    number = (db.session.scalar(select(func.max(FrameworkPoint.number))
                                .where(FrameworkPoint.framework_id == framework.id)) or 0) + 1
    key = f"{framework.id}:{number}"
    edit = Edit(event, user, "promote").touch(themes=[theme], points=[key])
    # Appended to the framework's list, not only added to the session: a framework just copied from a
    # shared one has its list loaded already, and the ack must show the new point.
    framework.points.append(FrameworkPoint(number=number, label=label[:120], title=label, description="",
                                           vocabulary=", ".join(theme.keywords or [])))
    theme.promoted_point, theme.point, theme.novel = number, number, False
    return edit.finish({"key": "promote", "label": label, "number": number})


def _own_framework(event: Event) -> Framework:
    """The event's framework, copied first when other events share it (they keep their points)."""
    framework = event.framework
    if framework is None:
        raise ServiceError("invalid_point", field="theme_id")
    shared = db.session.scalar(select(func.count(Event.id)).where(
        Event.framework_id == framework.id, Event.id != event.id))
    if not shared:
        return framework
    copy = Framework(key=f"{framework.key}-event-{event.id}"[:60], name=framework.name)
    for p in framework.points:
        copy.points.append(FrameworkPoint(number=p.number, label=p.label, title=p.title,
                                          description=p.description, vocabulary=p.vocabulary))
    db.session.add(copy)
    db.session.flush()
    event.framework_id = copy.id
    db.session.flush()
    db.session.refresh(event)
    return copy


# ------------------------------------------------------------------------- undo
def undo(event: Event, user: User, payload: dict) -> CurationResult:
    """Undo a curation (or redo one by undoing its undo) when nothing touched has changed since."""
    payload = validation.require_mapping(payload)
    done = db.session.get(Curation, validation.required_id(payload.get("curation_id"), "curation_id"))
    if done is None or done.event_id != event.id:
        raise ServiceError("curation_not_found", status=404, field="curation_id")
    if done.undone_at is not None:
        raise ServiceError("already_undone", status=409)
    now = snapshot(done.after)
    if not _unchanged(now, done.after):
        raise ServiceError("undo_conflict", status=409)
    edit = Edit(event, user, "undo")
    edit.keys, edit.before = {k: dict.fromkeys(v) for k, v in done.after.items()}, now
    _restore(event, done.before)
    done.undone_at = utcnow()
    if done.undo_of_id:
        db.session.get(Curation, done.undo_of_id).undone_at = None
    return edit.finish({"key": "undo", "of": done.words or {"text": done.summary}}, undo_of=done)


def _unchanged(now: dict, expected: dict) -> bool:
    """True when themes have the versions, and notes and points the state, a curation left."""
    for key, state in expected["themes"].items():
        current = now["themes"][key]
        if (current is None) != (state is None) or (state and current["version"] != state["version"]):
            return False
    return now["notes"] == expected["notes"] and now["points"] == expected["points"]


def _restore(event: Event, state: dict) -> None:
    """Put themes, notes and points back into a snapshot's state."""
    for key, point in state["points"].items():
        _restore_point(key, point)
    for key, theme_state in state["themes"].items():
        _restore_theme(db.session.get(Theme, int(key)), theme_state)
    for key, note_state in state["notes"].items():
        note = db.session.get(Note, int(key))
        _place(note.id, event.id, note_state["theme_id"], note_state["pinned"])
        if note.confirmed_point != note_state["confirmed_point"]:
            note.confirmed_point, note.updated_at = note_state["confirmed_point"], utcnow()
        _set_mark(note.id, event.id, note_state["marked"])


def _restore_theme(theme: Theme | None, state: dict | None) -> None:
    """Restore a theme's curated fields; a theme that did not exist is hidden."""
    if theme is None:
        return
    if state is None:
        theme.hidden = True
        return
    theme.label, theme.label_custom = state["label"], state["label_custom"]
    theme.marked_for_plenary, theme.merged_into_id = state["marked"], state["merged_into"]
    theme.hidden, theme.promoted_point = state["hidden"], state["promoted_point"]


def _restore_point(key: str, state: dict | None) -> None:
    """Remove a promoted point (refused while notes are confirmed to it) or bring it back."""
    point = _point_row(key)
    framework_id, number = (int(x) for x in key.split(":"))
    if state is None and point is not None:
        used = db.session.scalar(select(func.count(Note.id)).join(Event, Event.id == Note.event_id).where(
            Event.framework_id == framework_id, Note.confirmed_point == number))
        if used:
            raise ServiceError("point_in_use", status=409)
        db.session.delete(point)
    elif state is not None and point is None:
        db.session.add(FrameworkPoint(framework_id=framework_id, number=number, **state))


def recent(event: Event, limit: int = RECENT) -> list[dict]:
    """The event's latest curations, newest first, for the undo list."""
    rows = db.session.scalars(select(Curation).where(Curation.event_id == event.id)
                              .order_by(Curation.id.desc()).limit(limit))
    return [c.to_dict() for c in rows]


ACTIONS = {"rename": rename, "merge": merge, "split": split, "move": move, "point": set_point,
           "mark": mark, "promote": promote, "undo": undo}
