"""API endpoints for tokens, joining, events, tables and notes."""
from flask import jsonify, request
from sqlalchemy import select

from ..documents import downloads
from ..errors import ServiceError
from ..extensions import db
from ..models import Event, Note, Table
from ..people import access, users
from ..privacy import archive
from .auth import principal, require
from .blueprint import bp


def _json_body() -> dict:
    """The request's JSON object, or a clear 400."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ServiceError("invalid_payload", status=400)
    return data


def _event(event_id: int) -> tuple[Event, access.Principal]:
    """Load an event the caller may read."""
    who = principal()
    event = db.session.get(Event, event_id)
    if event is None:
        require(who.kind != "anonymous", who)
        raise ServiceError("not_found", status=404)
    require(access.can_read_event(who, event) or
            (who.kind == "host" and who.event.id == event.id), who)
    return event, who


@bp.post("/auth/token")
def token():
    """Exchange an organizer's or facilitator's e-mail and password for an API token."""
    data = _json_body()
    user = users.authenticate(data.get("email"), data.get("password"))
    return jsonify({"token": access.user_token(user), "user": user.to_dict()})


@bp.post("/tables/join")
def join():
    """Exchange a table's join code for a host token bound to that table."""
    table, host_token = access.join(_json_body().get("code"))
    return jsonify({"token": host_token, "event": table.event.to_dict(), "table": table.to_dict()})


@bp.get("/events")
def list_events():
    """The events the caller may read."""
    who = principal()
    require(who.kind != "anonymous", who)
    return jsonify({"events": [e.to_dict() for e in access.visible_events(who)]})


@bp.get("/events/<int:event_id>")
def get_event(event_id):
    """One event with its rounds."""
    event, _ = _event(event_id)
    return jsonify(event.to_dict())


@bp.get("/events/<int:event_id>/tables")
def list_tables(event_id):
    """The event's tables (a host sees only their own)."""
    event, who = _event(event_id)
    tables = [t for t in event.tables if access.can_read_table(who, t)]
    return jsonify({"tables": [t.to_dict() for t in tables]})


@bp.get("/events/<int:event_id>/notes")
def list_notes(event_id):
    """The event's notes that are not deleted (a host sees only their table's)."""
    event, who = _event(event_id)
    query = select(Note).where(Note.event_id == event.id, Note.deleted_at.is_(None))
    if who.kind == "host":
        query = query.where(Note.table_id == who.table.id)
    return jsonify({"notes": [n.to_dict() for n in db.session.scalars(query.order_by(Note.id))]})


@bp.get("/events/<int:event_id>/export.json")
def export_event(event_id):
    """Everything about an event as one JSON document, for archiving."""
    event, who = _event(event_id)
    require(access.can_facilitate(who, event), who)
    response = jsonify(archive.event_document(event))
    name = downloads.for_event(event.title, event.date, archive.WHAT, "json")
    response.headers.update({"Content-Disposition": downloads.attachment(name), "Cache-Control": "no-store"})
    return response


@bp.get("/tables/<int:table_id>")
def get_table(table_id):
    """One table."""
    table = _table(table_id)
    return jsonify(table.to_dict())


@bp.get("/tables/<int:table_id>/notes")
def table_notes(table_id):
    """One table's notes that are not deleted."""
    table = _table(table_id)
    notes = db.session.scalars(select(Note).where(Note.table_id == table.id, Note.deleted_at.is_(None))
                               .order_by(Note.id))
    return jsonify({"notes": [n.to_dict() for n in notes]})


@bp.get("/notes/<int:note_id>")
def get_note(note_id):
    """One note with its revisions."""
    who = principal()
    require(who.kind != "anonymous", who)
    note = db.session.get(Note, note_id)
    if note is None:
        raise ServiceError("not_found", status=404)
    require(access.can_read_table(who, note.table), who)
    return jsonify({**note.to_dict(), "revisions": [r.to_dict() for r in note.revisions]})


def _table(table_id: int) -> Table:
    """Load a table the caller may read."""
    who = principal()
    require(who.kind != "anonymous", who)
    table = db.session.get(Table, table_id)
    if table is None:
        raise ServiceError("not_found", status=404)
    require(access.can_read_table(who, table), who)
    return table
