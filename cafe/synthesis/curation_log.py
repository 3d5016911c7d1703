"""The curation log: snapshots of what a curation touched, before and after, and their recording.

A snapshot holds the curated state of themes (label, marks, merges, versions), notes (theme, pinned,
confirmed point, plenary mark) and framework points added by promotions, keyed by id as strings.
"""
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from .. import validation
from ..errors import MESSAGES, ServiceError
from ..extensions import db
from ..models import Change, Curation, Event, FrameworkPoint, Note, PlenaryNote, Theme, ThemeMembership, User, utcnow
from ..notes.capture import record_change as record_note_change
from ..realtime import changes, protocol
from . import curation_words

LABEL_CHARS = 120


@dataclass
class CurationResult:
    """A stored curation, the change to broadcast to consoles and the note changes for the tables."""

    curation: Curation
    change: Change
    note_changes: list = field(default_factory=list)

    def ack(self) -> dict:
        """The ack sent to the facilitator who curated."""
        return {"ok": True, **self.change.to_message()}


# ------------------------------------------------------------------ snapshots
def _theme_state(theme: Theme | None) -> dict | None:
    """What a curation may change on a theme (None: the theme does not exist yet)."""
    if theme is None:
        return None
    return {"label": theme.label, "label_custom": theme.label_custom, "marked": theme.marked_for_plenary,
            "merged_into": theme.merged_into_id, "hidden": theme.hidden,
            "promoted_point": theme.promoted_point, "version": theme.version}


def _note_state(note_id: int) -> dict:
    """A note's theme, whether a facilitator placed it, its confirmed point and plenary mark."""
    member = db.session.get(ThemeMembership, note_id)
    note = db.session.get(Note, note_id)
    return {"theme_id": member.theme_id if member else None, "pinned": bool(member and member.pinned),
            "confirmed_point": note.confirmed_point if note else None,
            "marked": db.session.get(PlenaryNote, note_id) is not None}


def _point_row(key: str) -> FrameworkPoint | None:
    """The framework point for a "framework_id:number" key."""
    framework_id, number = (int(x) for x in key.split(":"))
    return db.session.scalar(select(FrameworkPoint).where(FrameworkPoint.framework_id == framework_id,
                                                          FrameworkPoint.number == number))


def _point_state(key: str) -> dict | None:
    """A framework point added by a promotion, or None when it does not exist."""
    point = _point_row(key)
    return None if point is None else {"label": point.label, "title": point.title,
                                       "description": point.description, "vocabulary": point.vocabulary}


def snapshot(keys: dict) -> dict:
    """The current state of the themes, notes and points named in `keys` (a snapshot's shape)."""
    db.session.flush()
    return {"themes": {k: _theme_state(db.session.get(Theme, int(k))) for k in keys.get("themes", {})},
            "notes": {k: _note_state(int(k)) for k in keys.get("notes", {})},
            "points": {k: _point_state(k) for k in keys.get("points", {})}}


# ---------------------------------------------------------------- the frame
class Edit:
    """One curation in the making: what it touches, the state before, and how it is recorded."""

    def __init__(self, event: Event, user: User, action: str):
        self.event, self.user, self.action = event, user, action
        self.keys: dict = {"themes": {}, "notes": {}, "points": {}}
        self.before: dict = {"themes": {}, "notes": {}, "points": {}}

    def touch(self, themes=(), notes=(), points=()) -> "Edit":
        """Remember the state before the change of these themes, note ids and point keys."""
        added = {"themes": [str(t.id) for t in themes], "notes": [str(n) for n in notes],
                 "points": list(points)}
        fresh = {kind: {k: None for k in ks if k not in self.keys[kind]} for kind, ks in added.items()}
        state = snapshot(fresh)
        for kind in fresh:
            self.keys[kind].update(fresh[kind])
            self.before[kind].update(state[kind])
        return self

    def created(self, theme: Theme) -> None:
        """A theme made by this curation did not exist before it."""
        db.session.flush()
        self.keys["themes"][str(theme.id)] = None
        self.before["themes"][str(theme.id)] = None

    def finish(self, words: dict, undo_of: Curation | None = None) -> CurationResult:
        """Bump the touched themes' versions, record the curation and its change, commit."""
        themes = [db.session.get(Theme, int(k)) for k in self.keys["themes"]]
        for theme in themes:
            theme.updated_at = utcnow()
        _refresh_sizes(themes)
        try:
            db.session.flush()
        except StaleDataError:
            db.session.rollback()
            raise _conflict([int(k) for k in self.keys["themes"]]) from None
        return self._record(words, themes, undo_of)

    def _record(self, words: dict, themes: list[Theme], undo_of: Curation | None) -> CurationResult:
        """Store the curation with both snapshots and record the changes."""
        after = snapshot(self.keys)
        curation = Curation(event_id=self.event.id, user_id=self.user.id, user_name=self.user.name,
                            action=self.action, summary=curation_words.swedish(words)[:400], words=words,
                            before=self.before, after=after,
                            undo_of_id=undo_of.id if undo_of else None)
        db.session.add(curation)
        note_changes = self._note_changes(after)
        db.session.flush()
        related = [undo_of] + ([db.session.get(Curation, undo_of.undo_of_id)] if undo_of.undo_of_id else []) \
            if undo_of else []
        change = changes.record(self.event.id, protocol.CURATION_APPLIED, {
            "curation": curation.to_dict(), "curations": [c.to_dict() for c in related if c],
            "themes": [t.to_dict() for t in themes],
            "memberships": [[int(k), s["theme_id"]] for k, s in after["notes"].items()],
            "marks": [[int(k), s["marked"]] for k, s in after["notes"].items()],
            "points": _framework_points(self.event) if self.keys["points"] else None})
        db.session.commit()
        return CurationResult(curation, change, note_changes)

    def _note_changes(self, after: dict) -> list[Change]:
        """A `note:updated` change for every note whose confirmed point changed."""
        out = []
        for key, state in after["notes"].items():
            if state["confirmed_point"] != self.before["notes"][key]["confirmed_point"]:
                out.append(record_note_change(db.session.get(Note, int(key)), "note:updated"))
        return out


def _refresh_sizes(themes: list[Theme]) -> None:
    """Count the live notes of each touched theme right away (the next pass describes them)."""
    db.session.flush()
    for theme in themes:
        theme.size = db.session.scalar(
            select(func.count(Note.id)).join(ThemeMembership, ThemeMembership.note_id == Note.id)
            .where(ThemeMembership.theme_id == theme.id, Note.deleted_at.is_(None))) or 0


def _framework_points(event: Event) -> list[dict]:
    """The event's framework points, sent when a promotion or its undo changed them."""
    db.session.refresh(event)
    return [p.to_dict() for p in event.framework.points] if event.framework else []


def _conflict(theme_ids) -> ServiceError:
    """The refusal of a stale curation, carrying the themes as they are now."""
    themes = db.session.scalars(select(Theme).where(Theme.id.in_(list(theme_ids)))
                                .execution_options(populate_existing=True))
    return ServiceError("conflict", status=409, message=MESSAGES["theme_conflict"],
                        themes=[t.to_dict() for t in themes])


# ------------------------------------------------------------- validation
def _theme(event: Event, value, field: str = "theme_id") -> Theme:
    """A shown theme of this event."""
    theme = db.session.get(Theme, validation.required_id(value, field))
    if theme is None or theme.event_id != event.id or not theme.visible:
        raise ServiceError("theme_not_found", status=404, field=field)
    return theme


def _note(event: Event, value, field: str = "note_id") -> Note:
    """A live note of this event."""
    note = db.session.get(Note, validation.required_id(value, field))
    if note is None or note.event_id != event.id or note.deleted_at is not None:
        raise ServiceError("note_not_found", status=404, field=field)
    return note


def _label(value) -> str:
    """A theme label: trimmed, 1 to 120 characters, no control characters."""
    if not isinstance(value, str) or not value.strip() or len(value.strip()) > LABEL_CHARS:
        raise ServiceError("invalid_label", field="label")
    label = " ".join(value.split())
    if any(ord(c) < 32 for c in label):
        raise ServiceError("invalid_label", field="label")
    return label


def _check_versions(payload: dict, themes: list[Theme]) -> None:
    """Refuse when a given base version is older than the theme's version."""
    bases = payload.get("base_versions") or {}
    if not isinstance(bases, dict):
        raise ServiceError("invalid_field", field="base_versions")
    if payload.get("base_version") is not None and themes:
        bases = {**bases, str(themes[0].id): payload["base_version"]}
    by_id = {str(t.id): t for t in themes}
    for key, base in bases.items():
        if key in by_id and validation.required_id(base, "base_version") != by_id[key].version:
            raise _conflict([t.id for t in themes])


def _id_list(value, field: str, limit: int = 5000) -> list[int]:
    """A non-empty list of distinct ids."""
    if not isinstance(value, list) or not value or len(value) > limit:
        raise ServiceError("invalid_field", field=field)
    return list(dict.fromkeys(validation.required_id(v, field) for v in value))


def _members(theme: Theme) -> list[int]:
    """Ids of the notes in a theme (live or not)."""
    return list(db.session.scalars(select(ThemeMembership.note_id).where(ThemeMembership.theme_id == theme.id)))


def _place(note_id: int, event_id: int, theme_id: int | None, pinned: bool | None) -> None:
    """Put a note into a theme (or out of every theme); pinned None keeps how it was placed."""
    member = db.session.get(ThemeMembership, note_id)
    if theme_id is None:
        if member is not None:
            db.session.delete(member)
        return
    if member is None:
        db.session.add(ThemeMembership(note_id=note_id, event_id=event_id, theme_id=theme_id,
                                       pinned=bool(pinned)))
    else:
        member.theme_id = theme_id
        member.pinned = member.pinned if pinned is None else pinned
