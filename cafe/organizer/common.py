"""What the organizer's pages share: who is asking, the event being planned, saving with messages."""
from flask import flash, render_template, request
from flask_login import current_user

from ..errors import ServiceError
from ..events import planning
from ..extensions import db
from ..models import Event
from ..people import access
from .views import bp


def principal() -> access.Principal:
    """The logged-in user as a principal."""
    return access.Principal("user", user=current_user._get_current_object())


def planned_event(event_id: int) -> Event:
    """The event if the user may plan it; 404 otherwise."""
    return planning.planned_event(principal(), event_id)


def save(action, success: str) -> bool:
    """Run a service call and commit; on refusal roll back and show the Swedish message."""
    try:
        action()
        db.session.commit()
    except ServiceError as error:
        db.session.rollback()
        planning.forget_announced()
        flash(error.message, "error")
        return False
    planning.broadcast_announced()
    flash(success, "info")
    return True


def list_action(form, field: str, blank: dict):
    """Apply an add or remove button of a list form; None when the form is being saved."""
    entries = [entry.data for entry in getattr(form, field)]
    if "add" in request.form:
        entries.append(dict(blank))
    elif "remove" in request.form:
        index = request.form.get("remove", "")
        if index.isdigit() and int(index) < len(entries):
            del entries[int(index)]
    else:
        return None
    return type(form)(formdata=None, data={field: entries})


@bp.errorhandler(ServiceError)
def refused(error: ServiceError):
    """A refused page: its Swedish message and status."""
    db.session.rollback()
    return render_template("organizer/refused.html", error=error), error.status
