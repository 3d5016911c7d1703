"""Pages of the action lists: per event and per administration, one action, drafts, uploads and imports."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select

from ..errors import ServiceError
from ..extensions import db
from ..followup import action_exports, action_import, actions, note_import
from ..models import Administration, Event, Note
from ..models.action import ACTION_STATUSES, ActionItem
from ..people import access
from . import history_words
from .forms import ActionForm, CommentForm, DraftForm, PastEventForm, UploadForm

bp = Blueprint("actions", __name__, url_prefix="/actions")


def _principal() -> access.Principal:
    """The logged-in user as a principal."""
    return access.Principal("user", user=current_user._get_current_object())


def _event(event_id: int, manage: bool = True) -> Event:
    """An event whose actions the user may manage (or read), else 404/403."""
    event = db.session.get(Event, event_id) or abort(404)
    allowed = actions.can_manage if manage else actions.can_read
    if not allowed(_principal(), event):
        abort(403)
    return event


def _action(action_id: int, manage: bool = True) -> ActionItem:
    """An action the user may manage (or read)."""
    action = db.session.get(ActionItem, action_id) or abort(404)
    _event(action.event_id, manage)
    return action


def _events_in_scope() -> list[Event]:
    """The events whose actions this user sees."""
    return [e for e in db.session.scalars(select(Event).order_by(Event.date.desc(), Event.id.desc()))
            if actions.can_read(_principal(), e)]


def _filters() -> dict:
    """Filter values from the query string, ignoring what does not parse."""
    args = request.args
    unit = args.get("unit", "")
    point = args.get("point", "")
    return {"unit_id": int(unit) if unit.isdigit() else None,
            "status": args.get("status") if args.get("status") in ACTION_STATUSES else None,
            "point": int(point) if point.isdigit() else None,
            "level": args.get("level") or None}


def _commit_or_flash(fn, *args, **kwargs):
    """Run a service call and commit; on a refusal roll back, flash its message and return None."""
    try:
        result = fn(*args, **kwargs)
        db.session.commit()
        return result
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
        return None


@bp.route("/")
@login_required
def index():
    """The cafés whose action lists this user follows, and the administrations' lists."""
    events = _events_in_scope()
    counts = {e.id: len(actions.listing([e.id])) for e in events}
    drafts = {e.id: len(actions.listing([e.id], drafts=True)) for e in events}
    admin_ids = actions.administration_ids(current_user)
    admins = db.session.scalars(select(Administration).where(
        Administration.id.in_(admin_ids)) if admin_ids is not None else select(Administration)).all()
    manageable = [a for a in admins if actions.manages_administration(current_user, a.id)]
    return render_template("actions/index.html", events=events, counts=counts, drafts=drafts, admins=admins,
                           manageable=manageable, form=PastEventForm())


def _list_page(template: str, events: list[Event], title: str, **extra):
    """The list of actions of some events, filtered and sorted as asked."""
    sort = request.args.get("sort", "unit")
    items = actions.listing([e.id for e in events], _filters(), sort)
    return render_template(template, items=items, title=title, events=events, filters=_filters(), sort=sort,
                           statuses=actions.STATUS_LABELS, forums=actions.FORUM_LABELS, **extra)


@bp.route("/events/<int:event_id>")
@login_required
def event_list(event_id):
    """One café's actions: filters, drafts to review, exports, round trip and the feedback link."""
    event = _event(event_id, manage=False)
    manage = actions.can_manage(_principal(), event)
    token = actions.feedback_token(event) if manage else None
    db.session.commit()
    return _list_page("actions/list.html", [event], event.title, event=event, manage=manage,
                      drafts=actions.listing([event.id], drafts=True), feedback_token=token,
                      form=ActionForm().fill_choices(event), upload=UploadForm())


@bp.route("/events/<int:event_id>/print")
@login_required
def print_view(event_id):
    """A printable list, one unit after another."""
    event = _event(event_id, manage=False)
    unit = request.args.get("unit")
    try:
        groups = action_exports.unit_lists(event, action_exports.parse_unit_param(event, unit))
    except ServiceError:
        abort(400)
    return render_template("actions/print.html", event=event, groups=groups, statuses=actions.STATUS_LABELS,
                           forums=actions.FORUM_LABELS)


@bp.route("/administrations/<int:admin_id>")
@login_required
def admin_list(admin_id):
    """Every café's actions of one administration."""
    admin = db.session.get(Administration, admin_id) or abort(404)
    scope = actions.administration_ids(current_user)
    if scope is not None and admin.id not in scope:
        abort(403)
    events = list(db.session.scalars(select(Event).where(Event.administration_id == admin.id)
                                     .order_by(Event.date, Event.id)))
    return _list_page("actions/admin.html", events, admin.name, admin=admin)


@bp.route("/events/<int:event_id>/new", methods=["POST"])
@login_required
def create(event_id):
    """Add an action by hand."""
    event = _event(event_id)
    form = ActionForm().fill_choices(event)
    if not form.validate():
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "error")
        return redirect(url_for(".event_list", event_id=event.id))
    action = _commit_or_flash(actions.create, event, form.values(), current_user)
    if action is not None:
        flash(_("Åtgärden är sparad."), "info")
    return redirect(url_for(".event_list", event_id=event.id) + "#actions")


@bp.route("/<int:action_id>", methods=["GET", "POST"])
@login_required
def edit(action_id):
    """One action: its fields, comments and full history of changes."""
    action = _action(action_id, manage=False)
    manage = actions.can_manage(_principal(), action.event)
    form = ActionForm(obj=None if request.method == "POST" else _form_data(action)).fill_choices(action.event)
    if request.method == "POST":
        if not manage:
            abort(403)
        if form.validate():
            version = int(form.version.data) if (form.version.data or "").isdigit() else None
            if _commit_or_flash(actions.update, action, form.values(), current_user,
                                expected_version=version) is not None:
                flash(_("Ändringarna är sparade."), "info")
                return redirect(url_for(".edit", action_id=action.id))
    history = [(h, history_words.sentence(h)) for h in action.history]
    return render_template("actions/edit.html", action=action, form=form, manage=manage,
                           comment_form=CommentForm(), statuses=actions.STATUS_LABELS,
                           history=history), (400 if form.errors else 200)


def _form_data(action: ActionItem):
    """The action's values shaped for the form."""
    class Data:
        pass
    data = Data()
    for name in ("title", "description", "level", "responsible", "status", "subgoal_indicator",
                 "subgoal_target", "subgoal_current", "due_date", "version"):
        setattr(data, name, getattr(action, name))
    data.unit_id = str(action.unit_id or "")
    data.point = str(action.point or "")
    data.forum = action.forum or ""
    data.level = action.level or ""
    return data


@bp.route("/<int:action_id>/comment", methods=["POST"])
@login_required
def comment(action_id):
    """Add a comment."""
    action = _action(action_id)
    form = CommentForm()
    if form.validate():
        _commit_or_flash(actions.add_comment, action, form.text.data, current_user)
    else:
        flash(_("Skriv en kommentar."), "error")
    return redirect(url_for(".edit", action_id=action.id) + "#comments")


@bp.route("/<int:action_id>/approve", methods=["POST"])
@login_required
def approve(action_id):
    """Accept a reviewed draft."""
    action = _action(action_id)
    _commit_or_flash(actions.approve, action, current_user)
    flash(_("Utkastet är godkänt och räknas nu på listan."), "info")
    return redirect(url_for(".event_list", event_id=action.event_id) + "#drafts")


@bp.route("/<int:action_id>/discard", methods=["POST"])
@login_required
def discard(action_id):
    """Throw away a draft."""
    action = _action(action_id)
    event_id = action.event_id
    if _commit_or_flash(actions.discard, action) is not None:
        flash(_("Utkastet är borttaget."), "info")
    return redirect(url_for(".event_list", event_id=event_id) + "#drafts")


@bp.route("/events/<int:event_id>/build", methods=["GET", "POST"])
@login_required
def build(event_id):
    """Turn a synthesis theme, or notes picked by hand, into draft actions per unit."""
    event = _event(event_id)
    form = DraftForm()
    if request.method == "POST" and form.validate():
        ids = [int(i) for i in request.form.getlist("note_ids") if i.isdigit()]
        drafts = _commit_or_flash(actions.drafts_from_notes, event, form.label.data, ids, current_user)
        if drafts:
            flash(ngettext("%(num)s utkast skapat. Granska det innan det räknas.",
                           "%(num)s utkast skapade. Granska dem innan de räknas.", len(drafts)), "info")
            return redirect(url_for(".event_list", event_id=event.id) + "#drafts")
    notes = db.session.scalars(select(Note).where(Note.event_id == event.id, Note.deleted_at.is_(None))
                               .order_by(Note.table_id, Note.id)).all()
    return render_template("actions/build.html", event=event, form=form, notes=notes,
                           themes=actions.event_themes(event), theme_label=actions.theme_label,
                           theme_note_ids=actions.theme_note_ids), (400 if form.errors else 200)


@bp.route("/events/<int:event_id>/themes/<int:theme_id>/drafts", methods=["POST"])
@login_required
def theme_drafts(event_id, theme_id):
    """One click: drafts for the units whose tables raised the theme."""
    event = _event(event_id)
    drafts = _commit_or_flash(actions.drafts_from_theme, event, theme_id, current_user)
    if drafts is not None:
        flash(ngettext("%(num)s utkast skapat. Granska det innan det räknas.",
                           "%(num)s utkast skapade. Granska dem innan de räknas.", len(drafts)), "info")
    return redirect(url_for(".event_list", event_id=event.id) + "#drafts")


def _uploaded() -> tuple[str, bytes] | None:
    """The uploaded file's name and bytes, or None after flashing why not."""
    form = UploadForm()
    if not form.validate():
        flash(_("Välj en fil."), "error")
        return None
    upload = form.file.data
    return upload.filename or "", upload.read(action_import.spreadsheet.MAX_BYTES + 1)


def _upload_errors(error: ServiceError) -> list[str]:
    """Every message of a refused upload."""
    return error.details.get("errors") or [error.message]


@bp.route("/events/<int:event_id>/upload", methods=["POST"])
@login_required
def upload(event_id):
    """Read an edited list and show what would change; nothing is applied yet."""
    event = _event(event_id)
    received = _uploaded()
    if received is None:
        return redirect(url_for(".event_list", event_id=event.id) + "#roundtrip")
    try:
        planned = action_import.plan(event, *received)
        token = action_import.store(event, current_user, received[0], planned)
        db.session.commit()
    except ServiceError as error:
        db.session.rollback()
        return render_template("actions/upload_errors.html", event=event, errors=_upload_errors(error),
                               back=url_for(".event_list", event_id=event.id) + "#roundtrip"), 400
    return render_template("actions/preview.html", event=event, planned=planned, token=token,
                           fields=actions.FIELD_LABELS, shown=history_words.value)


@bp.route("/events/<int:event_id>/upload/<token>", methods=["POST"])
@login_required
def apply_upload(event_id, token):
    """Apply a previewed list in one transaction; conflicts only where the user ticked them."""
    event = _event(event_id)
    overwrite = {int(i) for i in request.form.getlist("overwrite") if i.isdigit()}
    result = _commit_or_flash(action_import.apply, event, current_user, token, overwrite)
    if result is not None:
        flash(" ".join((ngettext("%(num)s åtgärd uppdaterad.", "%(num)s åtgärder uppdaterade.",
                                 len(result["applied"])),
                        ngettext("%(num)s hoppades över.", "%(num)s hoppades över.", len(result["skipped"])))),
              "info")
    return redirect(url_for(".event_list", event_id=event.id))


@bp.route("/events/<int:event_id>/import-notes", methods=["GET", "POST"])
@login_required
def import_notes(event_id):
    """Upload notes typed up from paper, then preview them."""
    event = _event(event_id)
    if request.method == "GET":
        return render_template("actions/import_notes.html", event=event, upload=UploadForm())
    received = _uploaded()
    if received is None:
        return redirect(url_for(".import_notes", event_id=event.id))
    try:
        planned = note_import.plan(event, *received)
        token = note_import.store(event, current_user, received[0], planned)
        db.session.commit()
    except ServiceError as error:
        db.session.rollback()
        return render_template("actions/upload_errors.html", event=event, errors=_upload_errors(error),
                               back=url_for(".import_notes", event_id=event.id)), 400
    return render_template("actions/import_preview.html", event=event, planned=planned, token=token)


@bp.route("/events/<int:event_id>/import-notes/<token>", methods=["POST"])
@login_required
def apply_notes(event_id, token):
    """Create every previewed note, or none."""
    event = _event(event_id)
    count = _commit_or_flash(note_import.apply, event, current_user, token)
    if count is not None:
        flash(ngettext("%(num)s anteckning importerad.", "%(num)s anteckningar importerade.", count), "info")
    return redirect(url_for(".build", event_id=event.id))


@bp.route("/administrations/<int:admin_id>/events", methods=["POST"])
@login_required
def past_event(admin_id):
    """Register an earlier café so its notes can be imported and followed up."""
    admin = db.session.get(Administration, admin_id) or abort(404)
    if not actions.manages_administration(current_user, admin.id):
        abort(403)
    form = PastEventForm()
    if not form.validate():
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "error")
        return redirect(url_for(".index"))
    event = _commit_or_flash(note_import.create_past_event, admin.id, form.title.data, form.date.data,
                             form.place.data)
    if event is None:
        return redirect(url_for(".index"))
    return redirect(url_for(".import_notes", event_id=event.id))
