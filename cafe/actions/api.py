"""Action list exports under /api/v1: XLSX, DOCX, CSV and JSON, per event and optionally per unit."""
from flask import Response, jsonify, request

from ..api import bp as api_bp
from ..api.auth import principal, require
from ..errors import ServiceError
from ..extensions import db
from ..models import Event
from ..services import action_exports, actions


@api_bp.get("/events/<int:event_id>/actions.<fmt>")
def export_actions(event_id, fmt):
    """The event's action lists in a file format; `unit` narrows them to one unit (0: administration-wide)."""
    who = principal()
    require(who.kind != "anonymous", who)
    event = db.session.get(Event, event_id)
    if event is None:
        raise ServiceError("not_found", status=404)
    require(actions.can_read(who, event), who)
    unit_id = action_exports.parse_unit_param(event, request.args.get("unit"))
    if fmt == "json":
        return jsonify(action_exports.to_json(event, unit_id))
    body, mimetype = action_exports.export(event, fmt, unit_id)
    name = action_exports.filename(event, unit_id, fmt)
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff"})


EXPORT_TYPES = {"xlsx": action_exports.FORMATS["xlsx"][1], "docx": action_exports.FORMATS["docx"][1],
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
