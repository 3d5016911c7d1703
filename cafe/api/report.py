"""The report to the committee under /api/v1: one café's, an administration's year, the city's year or
chosen cafés, as DOCX, PDF or HTML."""
from flask import Response, request
from flask_babel import get_locale

from .. import jobs
from ..documents import cells, downloads
from ..errors import ServiceError
from ..models import utcnow
from ..report import formats, scope
from .auth import principal
from .blueprint import bp
from .schemas import error_responses, id_param


def _fmt(fmt: str) -> str:
    """The file format from the path, or a 404 for one the report is not written in."""
    if fmt not in formats.FORMATS:
        raise ServiceError("not_found", status=404)
    return fmt


def _file(chosen: scope.Scope, fmt: str) -> Response:
    """The scope's report as a download (HTML shown in the browser), built in a job thread."""
    who = principal()
    body = jobs.run(formats.build, chosen.ids, chosen.year,
                    chosen.administration.id if chosen.administration else None, fmt, str(get_locale() or "sv"),
                    who.user.name if who.is_user else None)
    response = Response(body, mimetype=formats.FORMATS[fmt])
    disposition = downloads.attachment(chosen.filename(fmt))
    response.headers.update({"Content-Disposition": disposition.replace("attachment", "inline", 1)
                             if fmt == "html" else disposition,
                             "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"})
    return response


@bp.get("/events/<int:event_id>/report.<fmt>")
def event_report(event_id, fmt):
    """One café's report to the committee, for whoever reads its action lists."""
    return _file(scope.of_events(principal(), [event_id]), _fmt(fmt))


def _year() -> int:
    """The `year` asked for, this year by default."""
    return scope.parse_year(request.args.get("year")) or cells.local(utcnow()).year


@bp.get("/administrations/<int:administration_id>/report.<fmt>")
def administration_report(administration_id, fmt):
    """An administration's year of cafés (`year`, this year by default), for its project leads and
    organizers and the city level."""
    return _file(scope.of_year(principal(), _year(), administration_id), _fmt(fmt))


@bp.get("/city/report.<fmt>")
def city_report(fmt):
    """Chosen cafés (`events`, ids separated by commas), else a year (`year`, this year by default) of the
    whole city for the city level or of the caller's own administration."""
    fmt, who = _fmt(fmt), principal()
    if request.args.get("events"):
        return _file(scope.of_events(who, scope.parse_ids(request.args["events"])), fmt)
    return _file(scope.of_year(who, _year()), fmt)


def openapi_paths(event_param: dict) -> dict:
    """The report endpoints as OpenAPI path items (merged into the API's document)."""
    fmt = {"name": "fmt", "in": "path", "required": True, "schema": {"type": "string", "enum": list(formats.FORMATS)},
           "description": "docx (Word, redigerbar), pdf (A4) eller html (utskriftsvänlig sida)."}
    year = {"name": "year", "in": "query", "schema": {"type": "integer", "minimum": 2000, "maximum": 2100},
            "description": "Året vars caféer rapporten gäller; i år om det utelämnas."}
    events = {"name": "events", "in": "query", "schema": {"type": "string", "pattern": "^[0-9]+(,[0-9]+)*$"},
              "description": "Valda caféers id, åtskilda med komma (i stället för year)."}
    content = {mimetype: {"schema": {"type": "string", "format": "binary"}}
               for mimetype in formats.FORMATS.values()}

    def operation(summary: str, params: list) -> dict:
        return {"get": {"summary": summary, "parameters": params, "security": [{"bearer": []}],
                        "responses": {"200": {"description": "OK", "content": content},
                                      **error_responses(400, 401, 403, 404)}}}
    return {
        "/api/v1/events/{event_id}/report.{fmt}": operation("Rapport till nämnden för ett café", [event_param, fmt]),
        "/api/v1/administrations/{administration_id}/report.{fmt}": operation(
            "Rapport till nämnden för en förvaltnings caféer under ett år",
            [id_param("administration_id"), fmt, year]),
        "/api/v1/city/report.{fmt}": operation(
            "Rapport till nämnden för valda caféer, eller för ett år i hela staden (eller den egna förvaltningen)",
            [fmt, year, events]),
    }
