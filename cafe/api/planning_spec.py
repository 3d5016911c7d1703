"""The OpenAPI operations of the planning and pre-vote endpoints, merged into the API's document."""
from .schemas import error_responses, id_param, json_response, ref

TEXT = {"type": "string"}
INT_LIST = {"type": "array", "items": {"type": "integer", "minimum": 1}, "maxItems": 50}
LINE = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]*$"  # no control characters


def _text(max_length: int, required: bool = False) -> dict:
    """A text field as the services accept it: no control characters, not blank when required."""
    schema = {"type": "string", "maxLength": max_length, "pattern": LINE}
    if required:
        schema = {**schema, "minLength": 1, "allOf": [{"pattern": "\\S"}]}
    return schema


EVENT_FIELDS = {
    "title": _text(200, required=True), "date": {"type": ["string", "null"], "format": "date", "pattern": "^[12]"},
    "place": _text(200), "description": _text(4000),
    "focus_points": {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 13}, "maxItems": 13}}
EVENT_BODY = {"type": "object", "additionalProperties": False, "properties": EVENT_FIELDS}
NEW_EVENT_BODY = {**EVENT_BODY, "required": ["title"]}
TABLE_ROW = {"type": "object", "properties": {
    "id": {"type": ["integer", "null"]}, "name": {"type": "string", "maxLength": 200},
    "host_name": {"type": "string", "maxLength": 200}, "unit_id": {"type": ["integer", "null"]}}}
ROUND_ROW = {"type": "object", "required": ["question"], "properties": {
    "id": {"type": ["integer", "null"]}, "question": {"type": "string", "minLength": 1, "maxLength": 1000},
    "planned_minutes": {"type": "integer", "minimum": 1, "maximum": 240},
    "level": {"type": ["string", "null"], "enum": ["individ", "enhet", "förvaltning", None]},
    "focus_points": INT_LIST}}
PLAN = {"allOf": [ref("Event"), {"type": "object", "properties": {
    "focus_points": INT_LIST,
    "tables": {"type": "array", "items": {"allOf": [ref("Table"), {
        "type": "object", "properties": {"join_code": TEXT}}]}}}}]}
VOTE = {"type": "object", "required": ["id", "status", "max_points"], "properties": {
    "id": {"type": "integer"}, "event_id": {"type": "integer"},
    "status": {"type": "string", "enum": ["draft", "open", "closed"]}, "max_points": {"type": "integer"},
    "personal_only": {"type": "boolean"}, "opened_at": {"type": ["string", "null"]},
    "closed_at": {"type": ["string", "null"]}, "url": TEXT}}
RESULTS = {"allOf": [VOTE, {"type": "object", "required": ["ballots", "points"], "properties": {
    "ballots": {"type": "integer"}, "wishes": {"type": "array", "items": TEXT},
    "link_codes": {"type": "object", "properties": {"total": {"type": "integer"}, "used": {"type": "integer"}}},
    "points": {"type": "array", "items": {"type": "object", "properties": {
        "number": {"type": "integer"}, "label": TEXT, "title": TEXT, "votes": {"type": "integer"}}}}}}]}


def _op(summary: str, response: dict, body: dict | None = None, params: list | None = None,
        status: int = 200, errors: tuple = (400, 401, 403, 404, 409)) -> dict:
    """One operation with an optional JSON body, for organizers with a bearer token."""
    operation = {"summary": summary, "parameters": params or [], "security": [{"bearer": []}],
                 "responses": {str(status): json_response(response, "OK"), **error_responses(*errors)}}
    if body is not None:
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    return operation


def _paths() -> dict:
    """Path items of planning and the pre-vote."""
    event_id = [id_param("event_id")]

    confirm = {"type": "boolean", "description": "true to go ahead although table hosts are connected"}

    def rows(key, row, limit, **extra):
        return {"type": "object", "required": [key], "properties": {
            key: {"type": "array", "items": row, "maxItems": limit}, **extra}}
    status = {"type": "object", "required": ["status"], "properties": {
        "status": {"type": "string", "enum": ["draft", "live", "closed"]}, "confirm": confirm}}
    open_body = {"type": "object", "required": ["max_points"], "properties": {
        "max_points": {"type": "integer", "minimum": 1, "maximum": 13}, "personal_only": {"type": "boolean"}}}
    count = {"type": "object", "required": ["count"], "properties": {
        "count": {"type": "integer", "minimum": 1, "maximum": 1000}}}
    links = {"type": "object", "required": ["links"], "properties": {"links": {"type": "array", "items": TEXT}}}
    return {
        "/api/v1/events": {"post": _op("Skapa ett café (utkast) i din förvaltning", PLAN, NEW_EVENT_BODY,
                                          status=201)},
        "/api/v1/events/from-template": {"post": _op("Skapa ett café från mallen Temadag enligt handlingsplanen",
                                                     PLAN, status=201, errors=(401, 403))},
        "/api/v1/events/{event_id}": {"patch": _op("Ändra caféets uppgifter", PLAN, EVENT_BODY, event_id)},
        "/api/v1/events/{event_id}/status": {"post": _op("Byt status: utkast, pågår, avslutat", PLAN, status,
                                                         event_id)},
        "/api/v1/events/{event_id}/tables": {"put": _op("Ersätt caféets bord (bord med id behåller sin kod)", PLAN,
                                                        rows("tables", TABLE_ROW, 100, confirm=confirm), event_id)},
        "/api/v1/events/{event_id}/rounds": {"put": _op("Ersätt caféets rundor", PLAN,
                                                        rows("rounds", ROUND_ROW, 20), event_id)},
        "/api/v1/events/{event_id}/vote": {"get": _op("Förhandsenkätens resultat", RESULTS, params=event_id,
                                                      errors=(401, 403, 404))},
        "/api/v1/events/{event_id}/vote/open": {"post": _op("Öppna förhandsenkäten", VOTE, open_body, event_id)},
        "/api/v1/events/{event_id}/vote/close": {"post": _op("Stäng förhandsenkäten", VOTE, params=event_id)},
        "/api/v1/events/{event_id}/vote/codes": {"post": _op("Skapa personliga engångslänkar", links, count,
                                                             event_id, status=201)},
    }


def extend(paths: dict) -> dict:
    """Add the planning and pre-vote operations to the document's paths and return them."""
    for path, operations in _paths().items():
        paths.setdefault(path, {}).update(operations)
    return paths
