"""The organizer's side of the pre-vote: open, close, personal links, live results, exports, focus."""
from flask import Response, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from ..documents import downloads
from ..errors import ServiceError
from ..events import planning, vote_exports, votes
from ..extensions import db
from .common import planned_event, save
from .forms import FocusForm, LinkCodesForm, VoteOpenForm, point_choices
from .planning import qr_svg
from .views import bp


def vote_url(vote, code: str | None = None) -> str:
    """The public link to the vote, or to one personal link code."""
    return votes.public_link(vote, current_app.config["PUBLIC_URL"], code)


def _event_vote(event_id: int):
    """The event (plannable by the user) and its vote, created as a draft when missing."""
    event = planned_event(event_id)
    vote = votes.ensure_vote(event)
    db.session.commit()
    return event, vote


@bp.route("/events/<int:event_id>/vote")
@login_required
def vote(event_id):
    """The pre-vote page: status, link and QR code, personal links, live results and focus points."""
    event, vote = _event_vote(event_id)
    result = votes.results(vote)
    focus = FocusForm(data={"points": list(event.focus_points or []) or votes.top_points(result, 3)})
    focus.points.choices = point_choices(event)
    return render_template("organizer/vote.html", event=event, vote=vote, result=result,
                           open_form=VoteOpenForm(data={"max_points": vote.max_points,
                                                        "personal_only": vote.personal_only}),
                           codes_form=LinkCodesForm(), focus_form=focus, vote_url=vote_url(vote))


@bp.route("/events/<int:event_id>/vote/open", methods=["POST"])
@login_required
def open_vote(event_id):
    """Open the pre-vote with N points per participant."""
    event, _vote = _event_vote(event_id)
    form = VoteOpenForm()
    if form.validate_on_submit():
        save(lambda: votes.open_vote(event, form.max_points.data, bool(form.personal_only.data)),
             _("Enkäten är öppen."))
    else:
        _flash_errors(form)
    return redirect(url_for("organizer.vote", event_id=event.id))


@bp.route("/events/<int:event_id>/vote/close", methods=["POST"])
@login_required
def close_vote(event_id):
    """Close the pre-vote."""
    event, vote = _event_vote(event_id)
    save(lambda: votes.close_vote(vote), _("Enkäten är stängd."))
    return redirect(url_for("organizer.vote", event_id=event.id))


@bp.route("/events/<int:event_id>/vote/codes", methods=["GET", "POST"])
@login_required
def link_codes(event_id):
    """Make single-use personal links (POST) and list them for printing or mailing (GET)."""
    event, vote = _event_vote(event_id)
    if request.method == "POST":
        form = LinkCodesForm()
        if form.validate_on_submit():
            save(lambda: votes.make_link_codes(vote, form.count.data), _("De personliga länkarna är skapade."))
        else:
            _flash_errors(form)
        return redirect(url_for("organizer.link_codes", event_id=event.id))
    return render_template("organizer/vote_codes.html", event=event, vote=vote,
                           links=[(c, vote_url(vote, c.code)) for c in vote.link_codes])


@bp.route("/events/<int:event_id>/vote/focus", methods=["POST"])
@login_required
def focus(event_id):
    """Set the café's focus points (and optionally every round's) from the results."""
    event, _vote = _event_vote(event_id)
    chosen = [int(v) for v in request.form.getlist("points") if v.isdigit()]
    save(lambda: planning.set_focus_points(event, chosen, rounds=bool(request.form.get("apply_to_rounds"))),
         _("Fokuspunkterna är sparade."))
    return redirect(url_for("organizer.vote", event_id=event.id))


@bp.route("/events/<int:event_id>/vote/results.json")
@login_required
def results_json(event_id):
    """The live results, polled by the results page every few seconds."""
    event, vote = _event_vote(event_id)
    return jsonify(vote_exports.to_json(votes.results(vote), event))


@bp.route("/events/<int:event_id>/vote/results.csv")
@login_required
def results_csv(event_id):
    """The results as CSV for Excel (UTF-8 with BOM, semicolons)."""
    event, vote = _event_vote(event_id)
    return _download(vote_exports.to_csv(votes.results(vote)), "text/csv; charset=utf-8", event, "csv")


@bp.route("/events/<int:event_id>/vote/results.xlsx")
@login_required
def results_xlsx(event_id):
    """The results as an Excel workbook."""
    event, vote = _event_vote(event_id)
    return _download(vote_exports.to_xlsx(votes.results(vote), event),
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", event, "xlsx")


@bp.route("/events/<int:event_id>/vote/qr.svg")
@login_required
def vote_qr(event_id):
    """The QR code of the public vote link."""
    _event, vote = _event_vote(event_id)
    return qr_svg(vote_url(vote), _("Förhandsenkät"))


def _download(body: bytes, mimetype: str, event, ext: str) -> Response:
    """A file download named after the café, its date and what it holds."""
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = downloads.attachment(vote_exports.filename(event, ext))
    response.headers["Cache-Control"] = "no-store"
    return response


def _flash_errors(form) -> None:
    """Show a form's first error as a flash message."""
    errors = [e for field_errors in form.errors.values() for e in field_errors]
    flash(errors[0] if errors else ServiceError("bad_request").message, "error")
