"""The OpenAPI 3 document of the API, served at /api/v1/openapi.json."""
from flask import jsonify

from . import actions, planning_spec, report
from .blueprint import bp
from .schemas import (
    ERROR,
    EVENT,
    NOTE,
    ROUND,
    SUMMARY,
    TABLE,
    THEME,
    error_responses,
    get_operation,
    id_param,
    json_response,
    list_of,
    post_operation,
    ref,
)


def _delete_event(event_id: dict) -> dict:
    """DELETE of an event and everything about it, confirmed by repeating its title."""
    body = {"type": "object", "required": ["confirm"], "properties": {"confirm": {"type": "string"}}}
    reply = {"type": "object", "required": ["deleted", "event_id"], "properties": {
        "deleted": {"type": "boolean"}, "event_id": {"type": "integer"}, "rows": {"type": "object"}}}
    return {"delete": {"summary": "Radera ett evenemang med alla anteckningar (bekräfta med titeln)",
                       "parameters": [event_id], "security": [{"bearer": []}],
                       "requestBody": {"required": True, "content": {"application/json": {"schema": body}}},
                       "responses": {"200": json_response(reply, "Raderat"), **error_responses(400, 401, 403, 404)}}}


def document() -> dict:
    """Build the OpenAPI document."""
    event_id, table_id = id_param("event_id"), id_param("table_id")
    token_body = {"type": "object", "required": ["email", "password"], "properties": {
        "email": {"type": "string"}, "password": {"type": "string"}}}
    join_body = {"type": "object", "required": ["code"], "properties": {"code": {"type": "string"}}}
    join_reply = {"type": "object", "required": ["token", "event", "table"], "properties": {
        "token": {"type": "string"}, "event": ref("Event"), "table": ref("Table")}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Dialogcafé API", "version": "1.0.0",
                 "description": "Evenemang, bord och anteckningar i ett dialogcafé."},
        "servers": [{"url": "/"}],
        "paths": planning_spec.extend({
            "/api/v1/auth/token": post_operation("API-nyckel för arrangör eller processledare", token_body, {
                "type": "object", "required": ["token"], "properties": {"token": {"type": "string"},
                                                                        "user": {"type": "object"}}},
                (400, 401, 429)),
            "/api/v1/tables/join": post_operation("Gå med i ett bord med dess kod", join_body, join_reply,
                                         (400, 404, 409, 429)),
            "/api/v1/events": get_operation("Evenemang som du får läsa", list_of("events", "Event")),
            "/api/v1/events/{event_id}": {**get_operation("Ett evenemang", ref("Event"), [event_id]),
                                           **_delete_event(event_id)},
            "/api/v1/events/{event_id}/tables": get_operation("Evenemangets bord", list_of("tables", "Table"),
                                                              [event_id]),
            "/api/v1/events/{event_id}/notes": get_operation("Evenemangets anteckningar", list_of("notes", "Note"),
                                                    [event_id]),
            "/api/v1/events/{event_id}/export.json": get_operation("Allt om ett evenemang (arkiv)", {"type": "object"},
                                                          [event_id]),
            "/api/v1/tables/{table_id}": get_operation("Ett bord", ref("Table"), [table_id]),
            "/api/v1/tables/{table_id}/notes": get_operation("Bordets anteckningar", list_of("notes", "Note"),
                                                              [table_id]),
            "/api/v1/notes/{note_id}": get_operation("En anteckning med versioner", ref("Note"), [id_param("note_id")]),
            **actions.openapi_paths(event_id),
            **report.openapi_paths(event_id),
            "/api/v1/events/{event_id}/themes": get_operation("Temana från den levande syntesen", {
                **list_of("themes", "Theme"), "properties": {**list_of("themes", "Theme")["properties"],
                                                          "synthesis": {"type": "object"}}}, [event_id]),
            "/api/v1/events/{event_id}/themes/{theme_id}": get_operation("Ett tema med dess anteckningar", ref("Theme"),
                                                                [event_id, id_param("theme_id")]),
            "/api/v1/events/{event_id}/summary": get_operation("Vad vi hörde, per punkt och per tema", SUMMARY,
                                                               [event_id]),
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
