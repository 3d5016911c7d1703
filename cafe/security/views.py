"""The organizer's pages for the audit log, the personal-data scan and deleting an event."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..errors import ServiceError
from ..extensions import db
from ..models import Event
from ..people import access, audit
from ..privacy import screening
from . import audit_words

bp = Blueprint("security", __name__, url_prefix="/security")


def _principal() -> access.Principal:
    """The logged-in user as a principal."""
    return access.Principal("user", user=current_user._get_current_object())


def _require_organizer() -> None:
    """Only organizers read the audit log and scan for personal data."""
    if current_user.role != "organizer":
        abort(403)


def _event_to_run(event_id: int) -> Event:
    """An event the user may facilitate, else 404 or 403."""
    event = db.session.get(Event, event_id) or abort(404)
    if not access.can_facilitate(_principal(), event):
        abort(403)
    return event


@bp.route("/audit")
@login_required
def audit_log():
    """The latest logins, lock-outs and administrative actions of the organizer's administration.

    An organizer bound to no administration runs the whole installation and sees every entry.
    """
    _require_organizer()
    before = request.args.get("before", type=int)
    action = request.args.get("action") or None
    entries = audit.recent(200, before_id=before, action=action,
                           administration_id=current_user.administration_id)
    return render_template("security/audit.html", entries=entries, action=action,
                           sentences=audit_words.sentences(entries), kinds=audit_words.KINDS)


@bp.route("/privacy", methods=["GET", "POST"])
@login_required
def privacy_scan():
    """Find personal data in stored notes of the user's cafés, and mask it on request."""
    _require_organizer()
    events = access.visible_events(_principal())
    if request.method == "POST":
        for event in events:
            screening.mask_all(current_user._get_current_object(), event.id)
        flash(_("Personuppgifterna är maskerade."), "info")
        return redirect(url_for("security.privacy_scan"))
    hits = [hit for event in events for hit in screening.scan(event.id)]
    titles = {e.id: e.title for e in events}
    return render_template("security/privacy.html", hits=hits, titles=titles)


@bp.route("/events/<int:event_id>/delete", methods=["GET", "POST"])
@login_required
def delete_event(event_id):
    """Ask to type the café's title, then delete it with all its notes."""
    event = _event_to_run(event_id)
    if request.method == "POST":
        try:
            screening.delete_event(current_user._get_current_object(), event, request.form.get("confirm"))
        except ServiceError as error:
            db.session.rollback()
            flash(error.message, "error")
            return render_template("security/delete_event.html", event=event), error.status
        flash(_("Caféet och alla dess anteckningar är raderade."), "info")
        return redirect(url_for("organizer.dashboard"))
    return render_template("security/delete_event.html", event=event)
