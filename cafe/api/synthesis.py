"""API endpoints for the live synthesis: the themes and the "vad vi hörde" summary."""
from flask import jsonify
from sqlalchemy import select

import nlp

from ..errors import ServiceError
from ..extensions import db
from ..models import Note, Theme
from ..synthesis import passes
from .auth import require
from .blueprint import bp
from .routes import _event


def _staff_event(event_id: int):
    """An event the caller may read as staff or projector (a host sees only their own table)."""
    event, who = _event(event_id)
    require(who.kind != "host", who)
    return event


@bp.get("/events/<int:event_id>/themes")
def list_themes(event_id):
    """The event's themes as the synthesis and the facilitators left them, largest first."""
    event = _staff_event(event_id)
    return jsonify({"themes": [t.to_dict() for t in passes.visible_themes(event.id)],
                    "synthesis": passes.status(event.id)})


@bp.get("/events/<int:event_id>/themes/<int:theme_id>")
def get_theme(event_id, theme_id):
    """One theme with its notes."""
    event = _staff_event(event_id)
    theme = db.session.get(Theme, theme_id)
    if theme is None or theme.event_id != event.id:
        raise ServiceError("theme_not_found", status=404)
    return jsonify({**theme.to_dict(), "notes": [n.to_dict() for n in passes.theme_notes(theme)]})


@bp.get("/events/<int:event_id>/summary")
def summary(event_id):
    """What we heard ("vad vi hörde"), per framework point and per theme, from the nlp summaries."""
    event = _staff_event(event_id)
    if event.framework is None or not event.framework.points:
        return jsonify({"points": [], "themes": []})
    rows = db.session.scalars(select(Note).where(Note.event_id == event.id, Note.deleted_at.is_(None)))
    names = {t.id: t.display_name for t in event.tables}
    notes = [{"id": n.id, "text": n.text, "table": names.get(n.table_id), "level": n.level} for n in rows]
    mapper = passes.synthesis_for(event).mapper
    themes = [nlp.Theme(t.id, t.label, list(t.keywords or []), [n.id for n in passes.theme_notes(t)],
                        list(t.quotes or []), t.point, t.confidence, t.novel)
              for t in passes.visible_themes(event.id)]
    return jsonify({"points": nlp.summarize_points(notes, mapper), "themes": nlp.summarize_themes(themes, notes)})
