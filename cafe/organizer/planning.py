"""Planning pages: create, edit, copy a café; its tables, rounds, status, facilitators and join cards."""
import io

import segno
from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..errors import ServiceError
from ..events import planning
from ..extensions import db
from ..models import Table
from ..people import access, staff
from ..realtime import presence
from .common import list_action, planned_event, save
from .forms import EventForm, FacilitatorsForm, RoundsForm, TablesForm, point_choices
from .views import bp

STATUS_NAMES = {"draft": "Utkast", "live": "Pågår", "closed": "Avslutat"}


@bp.route("/events/new", methods=["GET", "POST"])
@login_required
def new_event():
    """A form for a new café, or the template theme day."""
    planning.organizer_administration(current_user)
    form = EventForm()
    created = {}
    if form.validate_on_submit() and save(
            lambda: created.setdefault("event", planning.create_event(current_user, _details(form))),
            _("Caféet är skapat.")):
        return redirect(url_for("organizer.event", event_id=created["event"].id))
    return render_template("organizer/event_form.html", form=form, event=None), 400 if form.errors else 200


@bp.route("/events/template", methods=["POST"])
@login_required
def from_template():
    """Create the theme day after the action plan with its default rounds and tables."""
    event = planning.from_template(current_user)
    _commit(_("Temadagen är skapad. Justera datum, plats, bord och rundor."))
    return redirect(url_for("organizer.event", event_id=event.id))


@bp.route("/events/<int:event_id>")
@login_required
def event(event_id):
    """The café's planning page: details, tables, rounds, status, facilitators and links."""
    event = planned_event(event_id)
    form = FacilitatorsForm(data={"facilitators": [u.id for u in event.facilitators]})
    form.facilitators.choices = [(u.id, u.name) for u in staff.staff(event.administration, "facilitator")]
    connected = presence.online_table_ids(event.id)
    return render_template("organizer/event.html", event=event, form=form, status_names=STATUS_NAMES,
                           format_code=access.format_join_code, points=_point_titles(event),
                           connected=[t for t in event.tables if t.id in connected])


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
@login_required
def edit_event(event_id):
    """Edit the café's title, date, place, description and focus points."""
    event = planned_event(event_id)
    form = EventForm(obj=event if request.method == "GET" else None, event=event)
    if form.validate_on_submit() and save(lambda: planning.update_event(event, _details(form)),
                                          _("Uppgifterna är sparade.")):
        return redirect(url_for("organizer.event", event_id=event.id))
    return render_template("organizer/event_form.html", form=form, event=event), 400 if form.errors else 200


def _commit(message: str) -> None:
    """Commit what a service created and say so."""
    db.session.commit()
    planning.broadcast_announced()
    flash(message, "info")


def _details(form: EventForm) -> dict:
    """The event fields from a validated form."""
    data = {"title": form.title.data, "date": form.date.data, "place": form.place.data,
            "description": form.description.data}
    if form.focus_points.choices:
        data["focus_points"] = form.focus_points.data or []
    return data


def _point_titles(event) -> dict:
    """Point number to title for the event's framework."""
    return dict(point_choices(event))


@bp.route("/events/<int:event_id>/tables", methods=["GET", "POST"])
@login_required
def tables(event_id):
    """Edit the café's tables: names, hosts and units; add and remove rows."""
    event = planned_event(event_id)
    form = TablesForm(data=None if request.method == "POST" else {"tables": [
        {"id": t.id, "name": t.name, "host_name": t.host_name, "unit_id": t.unit_id or 0} for t in event.tables]})
    form = list_action(form, "tables", {"unit_id": 0}) or form
    units = [(0, _("Ingen enhet"))] + [(u.id, u.name) for u in event.administration.units]
    for entry in form.tables:
        entry.form.unit_id.choices = units
    connected = presence.online_table_ids(event.id)
    kept = {_int(entry.form.id.data) for entry in form.tables}
    return _list_page(event, form, "organizer/tables.html", _("Borden är sparade."), lambda: planning.set_tables(
        event, [{**row, "id": _int(row["id"]), "unit_id": row["unit_id"] or None} for row in form.tables.data],
        confirmed=form.confirm_remove.data), connected=connected,
        removing_connected=[t.display_name for t in event.tables if t.id in connected and t.id not in kept])


@bp.route("/events/<int:event_id>/rounds", methods=["GET", "POST"])
@login_required
def rounds(event_id):
    """Edit the café's rounds: question, minutes, level and focus points; add and remove rows."""
    event = planned_event(event_id)
    form = RoundsForm(data=None if request.method == "POST" else {"rounds": [
        {"id": r.id, "question": r.question, "planned_minutes": r.planned_minutes, "level": r.level or "",
         "focus_points": list(r.focus_points or [])} for r in event.rounds]})
    form = list_action(form, "rounds", {"planned_minutes": 25, "level": "", "focus_points": []}) or form
    for entry in form.rounds:
        entry.form.focus_points.choices = point_choices(event)
    return _list_page(event, form, "organizer/rounds.html", _("Rundorna är sparade."), lambda: planning.set_rounds(
        event, [{**row, "id": _int(row["id"])} for row in form.rounds.data]))


def _list_page(event, form, template: str, message: str, action, **context):
    """Save a list form when its save button was pressed, else show it (400 when refused)."""
    if "save" in request.form:
        if form.validate_on_submit() and save(action, message):
            return redirect(url_for("organizer.event", event_id=event.id))
        return render_template(template, event=event, form=form, **context), 400
    return render_template(template, event=event, form=form, **context)


def _int(value) -> int | None:
    """A hidden id field as an int, or None for a new row."""
    return int(value) if isinstance(value, (str, int)) and str(value).isdigit() else None


@bp.route("/events/<int:event_id>/status", methods=["POST"])
@login_required
def set_status(event_id):
    """Move the café to draft, live or closed."""
    event = planned_event(event_id)
    save(lambda: planning.set_status(event, request.form.get("status"), confirmed=request.form.get("confirm") == "1"),
         _("Caféets status är ändrad."))
    return redirect(url_for("organizer.event", event_id=event.id))


@bp.route("/events/<int:event_id>/copy", methods=["POST"])
@login_required
def copy(event_id):
    """Start a new café from this one: same rounds and tables, new codes, no notes."""
    source = planned_event(event_id)
    event = planning.copy_event(source, current_user)
    _commit(_("En kopia är skapad med nya koder."))
    return redirect(url_for("organizer.event", event_id=event.id))


@bp.route("/events/<int:event_id>/facilitators", methods=["POST"])
@login_required
def facilitators(event_id):
    """Assign the administration's facilitators to this café."""
    event = planned_event(event_id)
    chosen = [int(v) for v in request.form.getlist("facilitators") if v.isdigit()]
    save(lambda: staff.set_facilitators(event, chosen), _("Processledarna är sparade."))
    return redirect(url_for("organizer.event", event_id=event.id))


@bp.route("/events/<int:event_id>/cards")
@login_required
def cards(event_id):
    """Printable join cards, one per table, with the code and a QR code."""
    event = planned_event(event_id)
    return render_template("organizer/cards.html", event=event, format_code=access.format_join_code,
                           table_url=table_url)


def table_url(table: Table) -> str:
    """The public link behind a table's QR code."""
    return f"{current_app.config['PUBLIC_URL']}/t/{table.join_code}"


def qr_svg(link: str, title: str) -> Response:
    """A QR code for a link as an SVG image."""
    out = io.BytesIO()
    segno.make(link, error="m").save(out, kind="svg", scale=6, border=2, xmldecl=False, title=title)
    response = Response(out.getvalue(), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


@bp.route("/events/<int:event_id>/tables/<int:table_id>/qr.svg")
@login_required
def table_qr(event_id, table_id):
    """The QR code of one table's link."""
    event = planned_event(event_id)
    table = next((t for t in event.tables if t.id == table_id), None)
    if table is None:
        raise ServiceError("not_found", status=404)
    return qr_svg(table_url(table), table.display_name)
