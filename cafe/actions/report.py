"""The "Rapport" page: choose cafés or a year, see the report to the committee, download it."""
from flask import abort, render_template, request
from flask_babel import get_locale
from flask_login import login_required

from .. import jobs
from ..errors import ServiceError
from ..report import formats, printable, scope
from .views import _principal, bp


def _chosen(event_id: int | None) -> scope.Scope | None:
    """The scope the page's form asks for: a café from the path, chosen cafés, or a year; None when nothing yet."""
    who = _principal()
    if event_id is not None:
        return scope.of_events(who, [event_id])
    year = scope.parse_year(request.args.get("year"))
    if year is not None:
        admin = request.args.get("administration", "").strip()
        if admin and not admin.isdigit():
            raise ServiceError("invalid_field", field="administration")
        return scope.of_year(who, year, int(admin) if admin else None)
    ids = scope.parse_ids(request.args.getlist("events"))
    return scope.of_events(who, ids) if ids else None


def _written(event_ids, year, administration_id, language) -> formats.Written:
    """The report laid out for the preview, in a job thread."""
    return formats.write(formats.reload(event_ids, year, administration_id), language)


def _downloads(chosen: scope.Scope) -> dict[str, dict]:
    """The endpoint and arguments of the API download that gives this scope's files."""
    if chosen.year is not None and chosen.administration is not None:
        return {"endpoint": "api.administration_report",
                "args": {"administration_id": chosen.administration.id, "year": chosen.year}}
    if chosen.year is not None:
        return {"endpoint": "api.city_report", "args": {"year": chosen.year}}
    if len(chosen.events) == 1:
        return {"endpoint": "api.event_report", "args": {"event_id": chosen.events[0].id}}
    return {"endpoint": "api.city_report", "args": {"events": ",".join(str(i) for i in chosen.ids)}}


@bp.route("/events/<int:event_id>/report")
@login_required
def report(event_id):
    """One café's report: the preview, its downloads, and the choice of other cafés or a year."""
    return _page(event_id)


@bp.route("/report")
@login_required
def reports():
    """The choice of cafés or a year, and once chosen the preview of the report and its downloads."""
    return _page(None)


def _page(event_id: int | None):
    """The report page for a café from the path, or for what the form chose."""
    who = _principal()
    error, written, chosen = None, None, None
    try:
        chosen = _chosen(event_id)
        if chosen is not None:
            written = jobs.run(_written, chosen.ids, chosen.year,
                               chosen.administration.id if chosen.administration else None, str(get_locale() or "sv"))
    except ServiceError as refused:
        if refused.status in (401, 403, 404):
            abort(refused.status)
        error = refused.message
    events = scope.readable_events(who)
    years = sorted({scope.event_year(e) for e in events}, reverse=True)
    return render_template("actions/report.html", events=events, years=years, error=error,
                           administrations=scope.administrations(who), written=written, chosen=chosen,
                           whole_city=who.user.role == "city" or (who.user.role == "organizer"
                                                                  and who.user.administration_id is None),
                           download=_downloads(chosen) if chosen else None,
                           selected=set(chosen.ids) if chosen and chosen.year is None else set(),
                           year=chosen.year if chosen else None, data_uri=printable.data_uri), 400 if error else 200
