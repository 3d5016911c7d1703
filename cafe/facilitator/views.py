"""The facilitator's console page."""
from pathlib import Path

from flask import Blueprint, abort, current_app, render_template
from flask_login import current_user, login_required

from ..events import broadcasts, rounds
from ..extensions import db
from ..models import Event
from ..people import access
from ..synthesis import curation_words

bp = Blueprint("facilitator", __name__, url_prefix="/facilitator")


def event_for_facilitator(event_id: int) -> Event:
    """Load an event the logged-in user may run, or answer 404/403."""
    event = db.session.get(Event, event_id) or abort(404)
    if not access.can_facilitate(access.Principal("user", user=current_user), event):
        abort(403)
    return event


@bp.route("/<int:event_id>")
@login_required
def console(event_id):
    """All tables' notes arriving live, a count per table and each host's connection state."""
    event = event_for_facilitator(event_id)
    units = event.administration.units if event.administration else []
    synthesis_js = Path(current_app.static_folder, "js", "synthesis.js").exists()
    return render_template("facilitator/console.html", event=event, units=units,
                           round_state=rounds.state(event), synthesis_js=synthesis_js,
                           live_message=broadcasts.live_message(event.id),
                           curation_words=curation_words.templates())
