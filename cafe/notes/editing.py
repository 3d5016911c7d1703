"""Changing a stored note: its wording, level and unit (kept as revisions), its star, deletion and restoring."""
from flask import current_app
from sqlalchemy import func, select

from .. import validation
from ..errors import ServiceError
from ..extensions import db
from ..models import Note, NoteRevision, Table, utcnow
from ..points import suggestions
from ..privacy import screening
from .capture import NoteResult, check_open, chosen_unit, note_payload, record_change

MAX_STARS = 3  # starred notes per table and round


def find(table: Table, payload: dict) -> Note:
    """Find one of the table's notes by `id` or `client_id`."""
    payload = validation.require_mapping(payload)
    if payload.get("id") is not None:
        note = db.session.get(Note, validation.required_id(payload.get("id"), "id"))
    else:
        cid = validation.client_id(payload.get("client_id"))
        note = db.session.scalar(select(Note).where(Note.client_id == cid))
    if note is None or note.table_id != table.id:
        raise ServiceError("note_not_found", status=404)
    return note


def _keep_revision(note: Note, action: str) -> None:
    """Keep the note's current state as a revision before it changes."""
    note.revisions.append(NoteRevision(version=note.version, text=note.text, level=note.level,
                                       unit_id=note.unit_id, action=action))
    note.version += 1
    note.updated_at = utcnow()


def edit(table: Table, payload: dict) -> NoteResult:
    """Change a note's text, level or unit, keeping the earlier wording as a revision."""
    note = find(table, payload)
    check_open(table)
    fields = {}
    screened = None
    if "text" in payload:
        screened = screening.screen(validation.note_text(payload["text"], current_app.config["NOTE_MAX_CHARS"]),
                                  table)
        fields["text"] = screened.text
    if "level" in payload:
        fields["level"] = validation.level(payload["level"])
    if "unit_id" in payload:
        fields["unit_id"] = chosen_unit(table, payload["unit_id"])
    base = payload.get("base_version")
    if base is not None and validation.required_id(base, "base_version") != note.version:
        if any(getattr(note, k) != v for k, v in fields.items()):
            raise ServiceError("conflict", status=409, note=note_payload(note))
    point = (suggestions.point(table.event.framework, payload["point"]) if "point" in payload
             else note.confirmed_point)
    reworded = any(getattr(note, k) != v for k, v in fields.items())
    if not reworded and point == note.confirmed_point:
        return NoteResult(note, None)
    if reworded:
        _reword(note, fields)
    note.confirmed_point, note.updated_at = point, utcnow()
    change = record_change(note, "note:updated")
    db.session.commit()
    return NoteResult(note, change, screened.report() if screened else None)


def _reword(note: Note, fields: dict) -> None:
    """Apply new wording, level or unit, keeping a revision and refreshing the suggested point."""
    _keep_revision(note, "edit")
    for key, value in fields.items():
        setattr(note, key, value)
    if "text" in fields:
        note.suggested_point, note.suggested_score = suggestions.for_note(note.table.event.framework, note.text)


def star(table: Table, payload: dict) -> NoteResult:
    """Mark a note for the plenary; at most three per table and round."""
    return _set_starred(table, payload, True)


def unstar(table: Table, payload: dict) -> NoteResult:
    """Take a note's star away; unstarring a note without a star changes nothing."""
    return _set_starred(table, payload, False)


def _set_starred(table: Table, payload: dict, starred: bool) -> NoteResult:
    """Star or unstar a note (not a revision of its wording), logging the change."""
    note = find(table, payload)
    check_open(table)
    if note.starred == starred:
        return NoteResult(note, None)
    if starred and note.deleted_at is not None:
        raise ServiceError("note_deleted", status=409)
    if starred and _stars_in_round(note) >= MAX_STARS:
        raise ServiceError("star_limit", status=409, limit=MAX_STARS)
    note.starred, note.updated_at = starred, utcnow()
    change = record_change(note, "note:updated")
    db.session.commit()
    return NoteResult(note, change)


def _stars_in_round(note: Note) -> int:
    """How many of the table's notes in the note's round carry a star."""
    return db.session.scalar(select(func.count()).select_from(Note).where(
        Note.table_id == note.table_id, Note.round_id.is_(note.round_id) if note.round_id is None
        else Note.round_id == note.round_id, Note.starred.is_(True), Note.deleted_at.is_(None)))


def delete(table: Table, payload: dict) -> NoteResult:
    """Soft-delete a note; deleting it again changes nothing."""
    return _set_deleted(table, payload, True)


def restore(table: Table, payload: dict) -> NoteResult:
    """Undo a delete; restoring a note that is not deleted changes nothing."""
    return _set_deleted(table, payload, False)


def _set_deleted(table: Table, payload: dict, deleted: bool) -> NoteResult:
    """Mark a note deleted or not, keeping a revision and logging the change."""
    note = find(table, payload)
    check_open(table)
    if (note.deleted_at is not None) == deleted:
        return NoteResult(note, None)
    _keep_revision(note, "delete" if deleted else "restore")
    note.deleted_at = utcnow() if deleted else None
    if deleted:
        note.starred = False  # a deleted note leaves its star free for another
    change = record_change(note, "note:deleted" if deleted else "note:updated")
    db.session.commit()
    return NoteResult(note, change)
