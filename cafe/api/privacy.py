"""API endpoints for the data lifecycle: deleting an event after confirmation."""
from flask import jsonify, request

from ..models import Event
from ..people import access
from ..privacy import screening
from .auth import load_for
from .blueprint import bp


@bp.delete("/events/<int:event_id>")
def delete_event(event_id):
    """Delete an event with everything stored about it; `confirm` must repeat the event's title."""
    event, who = load_for(Event, event_id, access.can_facilitate)
    body = request.get_json(silent=True)
    confirmation = body.get("confirm") if isinstance(body, dict) else request.args.get("confirm")
    counts = screening.delete_event(who, event, confirmation)
    return jsonify({"deleted": True, "event_id": event_id, "rows": counts})
