"""Pages for table hosts: enter a join code, then the note-taking page."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..errors import ServiceError
from ..events import broadcasts
from ..extensions import db
from ..models import Unit
from ..people import access

bp = Blueprint("host", __name__)


@bp.route("/join", methods=["GET", "POST"])
def join():
    """Ask for the table's join code and send the host to their table."""
    if request.method == "POST":
        code = request.form.get("code", "")
        try:
            table, _token = access.join(code)
        except ServiceError as error:
            flash(error.message, "error")
            return render_template("host/join.html", code=code), error.status
        return redirect(url_for("host.table", code=table.join_code))
    return render_template("host/join.html", code="")


@bp.route("/t/<code>")
def table(code):
    """The host page for the table with this join code (the link behind the QR code)."""
    try:
        table, token = access.join(code)
    except ServiceError as error:
        flash(error.message, "error")
        return render_template("host/join.html", code=code), error.status
    units = db.session.scalars(db.select(Unit).where(
        Unit.administration_id == table.event.administration_id).order_by(Unit.name)).all()
    current = table.event.current_round()
    return render_template("host/table.html", table=table, event=table.event, token=token,
                           units=units, current_round=current, title=_("Anteckningar"),
                           live_message=broadcasts.live_message(table.event_id))


@bp.app_template_global()
def point_labels(event) -> dict:
    """The short label of every point of the event's framework, by number, for the pages' scripts."""
    return {p.number: p.label for p in event.framework.points} if event.framework else {}
