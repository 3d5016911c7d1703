"""Action list exports under /api/v1: XLSX, DOCX, CSV and JSON, per event and optionally per unit."""
from flask import Response, current_app, jsonify, request
from flask_babel import get_locale

from .. import jobs, validation
from ..documents import downloads
from ..errors import ServiceError
from ..extensions import db
from ..followup import action_document, action_exports, actions
from ..models import Event
from .auth import principal, require
from .blueprint import bp


@bp.get("/events/<int:event_id>/actions.<fmt>")
def export_actions(event_id, fmt):
    """The event's action lists in a file format; `unit` narrows them to one unit (0: administration-wide)."""
    who = principal()
    require(who.kind != "anonymous", who)
    event = db.session.get(Event, event_id)
    if event is None:
        raise ServiceError("not_found", status=404)
    require(actions.can_read(who, event), who)
    if fmt not in EXPORT_TYPES:
        raise ServiceError("not_found", status=404)
    validation.known_fields(request.args, ("unit",))
    unit_id = action_exports.parse_unit_param(event, request.args.get("unit"))
    if fmt == "json":
        response = jsonify(jobs.run(_to_json, event_id, unit_id))
    else:
        author = who.user.name if who.is_user else current_app.config["INSTALLATION_NAME"]
        body, mimetype = jobs.run(_built, event_id, fmt, unit_id, author, str(get_locale() or "sv"))
        response = Response(body, mimetype=mimetype)
    response.headers.update({
        "Content-Disposition": downloads.attachment(action_exports.filename(event, unit_id, fmt)),
        "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"})
    return response


def _to_json(event_id: int, unit_id: int | None) -> dict:
    """The lists as JSON data, read in a job thread (with a session of its own)."""
    return action_exports.to_json(db.session.get(Event, event_id), unit_id)


def _built(event_id: int, fmt: str, unit_id: int | None, author: str, language: str) -> tuple[bytes, str]:
    """The file and its MIME type, built in a job thread: a workbook of a big café takes long enough
    to hold up every socket of the process if it were built in the request."""
    event = db.session.get(Event, event_id)
    if fmt == "docx":
        return action_document.to_docx(event, unit_id, author, language), action_document.MIMETYPE
    return action_exports.export(event, fmt, unit_id)


EXPORT_TYPES = {"xlsx": action_exports.FORMATS["xlsx"][1], "docx": action_document.MIMETYPE,
                "csv": "text/csv", "json": "application/json"}


def openapi_paths(event_param: dict) -> dict:
    """The export endpoints as OpenAPI path items (merged into the API's document)."""
    unit = {"name": "unit", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 0},
            "description": "En enhets id; 0 betyder åtgärder för hela förvaltningen."}
    error = {"description": "Fel", "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/Error"}}}}
    fmt = {"name": "fmt", "in": "path", "required": True, "schema": {"type": "string", "enum": list(EXPORT_TYPES)},
           "description": "xlsx (ett blad per enhet och en sammanställning), docx (ett avsnitt per enhet), "
                          "csv (UTF-8 med BOM och semikolon) eller json."}
    content = {mimetype: {"schema": {"type": "object"} if name == "json" else {"type": "string", "format": "binary"}}
               for name, mimetype in EXPORT_TYPES.items()}
    return {"/api/v1/events/{event_id}/actions.{fmt}": {"get": {
        "summary": "Åtgärdslistor per enhet som XLSX, DOCX, CSV eller JSON", "parameters": [event_param, fmt, unit],
        "security": [{"bearer": []}],
        "responses": {"200": {"description": "OK", "content": content},
                      **{str(code): error for code in (400, 401, 403, 404)}}}}}
