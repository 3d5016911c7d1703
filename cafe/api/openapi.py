"""The OpenAPI 3 document of the API, served at /api/v1/openapi.json."""
from flask import jsonify

from . import bp

ERROR = {"type": "object", "required": ["error"], "properties": {"error": {
    "type": "object", "required": ["code", "message"],
    "properties": {"code": {"type": "string"}, "message": {"type": "string"},
                   "details": {"type": "object"}}}}}

NOTE = {"type": "object", "required": ["id", "client_id", "text", "table_id", "seq"], "properties": {
    "id": {"type": "integer"}, "client_id": {"type": "string", "format": "uuid"},
    "event_id": {"type": "integer"}, "table_id": {"type": "integer"},
    "round_id": {"type": ["integer", "null"]}, "text": {"type": "string"},
    "level": {"type": ["string", "null"], "enum": ["individ", "enhet", "förvaltning", None]},
    "unit_id": {"type": ["integer", "null"]}, "suggested_point": {"type": ["integer", "null"]},
    "confirmed_point": {"type": ["integer", "null"]}, "starred": {"type": "boolean"},
    "version": {"type": "integer"}, "seq": {"type": "integer"}, "deleted": {"type": "boolean"},
    "created_at": {"type": "string"}, "updated_at": {"type": "string"}}}

ROUND = {"type": "object", "properties": {
    "id": {"type": "integer"}, "number": {"type": "integer"}, "question": {"type": "string"},
    "level": {"type": ["string", "null"]}, "focus_points": {"type": "array", "items": {"type": "integer"}},
    "planned_minutes": {"type": "integer"}, "started_at": {"type": ["string", "null"]},
    "ended_at": {"type": ["string", "null"]}}}

EVENT = {"type": "object", "required": ["id", "title", "status"], "properties": {
    "id": {"type": "integer"}, "title": {"type": "string"}, "date": {"type": ["string", "null"]},
    "place": {"type": "string"}, "description": {"type": "string"},
    "status": {"type": "string", "enum": ["draft", "live", "closed"]},
    "administration_id": {"type": ["integer", "null"]}, "framework_id": {"type": ["integer", "null"]},
    "rounds": {"type": "array", "items": {"$ref": "#/components/schemas/Round"}}}}

TABLE = {"type": "object", "required": ["id", "number", "name"], "properties": {
    "id": {"type": "integer"}, "event_id": {"type": "integer"}, "number": {"type": "integer"},
    "name": {"type": "string"}, "host_name": {"type": "string"}, "unit_id": {"type": ["integer", "null"]},
    "last_seen_at": {"type": ["string", "null"]}}}


THEME = {"type": "object", "required": ["id", "label", "count", "version"], "properties": {
    "id": {"type": "integer"}, "label": {"type": "string"}, "label_custom": {"type": "boolean"},
    "keywords": {"type": "array", "items": {"type": "string"}},
    "quotes": {"type": "array", "items": {"type": "string"}}, "point": {"type": ["integer", "null"]},
    "confidence": {"type": "number"}, "novel": {"type": "boolean"}, "count": {"type": "integer"},
    "origin": {"type": "string", "enum": ["synthesis", "split"]}, "marked": {"type": "boolean"},
    "merged_into": {"type": ["integer", "null"]}, "hidden": {"type": "boolean"},
    "promoted_point": {"type": ["integer", "null"]}, "version": {"type": "integer"},
    "notes": {"type": "array", "items": {"$ref": "#/components/schemas/Note"}}}}
SUMMARY = {"type": "object", "required": ["points", "themes"], "properties": {
    "points": {"type": "array", "items": {"type": "object"}}, "themes": {"type": "array", "items": {"type": "object"}}}}

def _ref(name: str) -> dict:
    """A JSON reference to a component schema."""
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str) -> dict:
    """A JSON response object."""
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict:
    """Error responses with the shared error schema."""
    return {str(c): _json(_ref("Error"), "Fel") for c in codes}


def _get(summary: str, schema: dict, params: list | None = None) -> dict:
    """A GET operation that needs a bearer token."""
    return {"get": {"summary": summary, "parameters": params or [], "security": [{"bearer": []}],
                    "responses": {"200": _json(schema, "OK"), **_errors(401, 403, 404)}}}


def _id_param(name: str) -> dict:
    """An integer path parameter."""
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1,
                                                                    "maximum": 2**31 - 1}}


def _list(key: str, item: str) -> dict:
    """An object holding a list of components."""
    return {"type": "object", "required": [key], "properties": {key: {"type": "array", "items": _ref(item)}}}


def _post(summary: str, body: dict, response: dict, errors: tuple) -> dict:
    """A POST operation with a JSON body."""
    return {"post": {"summary": summary, "requestBody": {"required": True, "content": {
        "application/json": {"schema": body}}}, "responses": {"200": _json(response, "OK"), **_errors(*errors)}}}


def _delete_event(event_id: dict) -> dict:
    """DELETE of an event and everything about it, confirmed by repeating its title."""
    body = {"type": "object", "required": ["confirm"], "properties": {"confirm": {"type": "string"}}}
    reply = {"type": "object", "required": ["deleted", "event_id"], "properties": {
        "deleted": {"type": "boolean"}, "event_id": {"type": "integer"}, "rows": {"type": "object"}}}
    return {"delete": {"summary": "Radera ett evenemang med alla anteckningar (bekräfta med titeln)",
                       "parameters": [event_id], "security": [{"bearer": []}],
                       "requestBody": {"required": True, "content": {"application/json": {"schema": body}}},
                       "responses": {"200": _json(reply, "Raderat"), **_errors(400, 401, 403, 404)}}}


def _action_paths(event_param: dict) -> dict:
    """The action list exports, described next to their routes."""
    from ..actions.api import openapi_paths
    return openapi_paths(event_param)


def document() -> dict:
    """Build the OpenAPI document."""
    from . import planning_spec
    event_id, table_id = _id_param("event_id"), _id_param("table_id")
    token_body = {"type": "object", "required": ["email", "password"], "properties": {
        "email": {"type": "string"}, "password": {"type": "string"}}}
    join_body = {"type": "object", "required": ["code"], "properties": {"code": {"type": "string"}}}
    join_reply = {"type": "object", "required": ["token", "event", "table"], "properties": {
        "token": {"type": "string"}, "event": _ref("Event"), "table": _ref("Table")}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Dialogcafé API", "version": "1.0.0",
                 "description": "Evenemang, bord och anteckningar i ett dialogcafé."},
        "servers": [{"url": "/"}],
        "paths": planning_spec.extend({
            "/api/v1/auth/token": _post("API-nyckel för arrangör eller processledare", token_body, {
                "type": "object", "required": ["token"], "properties": {"token": {"type": "string"},
                                                                        "user": {"type": "object"}}},
                (400, 401, 429)),
            "/api/v1/tables/join": _post("Gå med i ett bord med dess kod", join_body, join_reply,
                                         (400, 404, 409, 429)),
            "/api/v1/events": _get("Evenemang som du får läsa", _list("events", "Event")),
            "/api/v1/events/{event_id}": {**_get("Ett evenemang", _ref("Event"), [event_id]),
                                           **_delete_event(event_id)},
            "/api/v1/events/{event_id}/tables": _get("Evenemangets bord", _list("tables", "Table"), [event_id]),
            "/api/v1/events/{event_id}/notes": _get("Evenemangets anteckningar", _list("notes", "Note"),
                                                    [event_id]),
            "/api/v1/events/{event_id}/export.json": _get("Allt om ett evenemang (arkiv)", {"type": "object"},
                                                          [event_id]),
            "/api/v1/tables/{table_id}": _get("Ett bord", _ref("Table"), [table_id]),
            "/api/v1/tables/{table_id}/notes": _get("Bordets anteckningar", _list("notes", "Note"), [table_id]),
            "/api/v1/notes/{note_id}": _get("En anteckning med versioner", _ref("Note"), [_id_param("note_id")]),
            **_action_paths(event_id),
            "/api/v1/events/{event_id}/themes": _get("Temana från den levande syntesen", {
                **_list("themes", "Theme"), "properties": {**_list("themes", "Theme")["properties"],
                                                          "synthesis": {"type": "object"}}}, [event_id]),
            "/api/v1/events/{event_id}/themes/{theme_id}": _get("Ett tema med dess anteckningar", _ref("Theme"),
                                                                [event_id, _id_param("theme_id")]),
            "/api/v1/events/{event_id}/summary": _get("Vad vi hörde, per punkt och per tema", SUMMARY, [event_id]),
        }),
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {"Error": ERROR, "Note": NOTE, "Event": EVENT, "Round": ROUND, "Table": TABLE,
                        "Theme": THEME},
        },
    }


@bp.get("/openapi.json")
def openapi_json():
    """Serve the OpenAPI document."""
    return jsonify(document())
