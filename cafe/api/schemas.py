"""The OpenAPI schemas and operation builders every part of the API document shares."""

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
    "origin": {"type": "string", "enum": ["synthesis", "split", "point"]}, "marked": {"type": "boolean"},
    "merged_into": {"type": ["integer", "null"]}, "hidden": {"type": "boolean"},
    "promoted_point": {"type": ["integer", "null"]}, "version": {"type": "integer"},
    "notes": {"type": "array", "items": {"$ref": "#/components/schemas/Note"}}}}
SUMMARY = {"type": "object", "required": ["points", "themes"], "properties": {
    "points": {"type": "array", "items": {"type": "object"}}, "themes": {"type": "array", "items": {"type": "object"}}}}

def ref(name: str) -> dict:
    """A JSON reference to a component schema."""
    return {"$ref": f"#/components/schemas/{name}"}


def json_response(schema: dict, description: str) -> dict:
    """A JSON response object."""
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def error_responses(*codes: int) -> dict:
    """Error responses with the shared error schema."""
    return {str(c): json_response(ref("Error"), "Fel") for c in codes}


def get_operation(summary: str, schema: dict, params: list | None = None) -> dict:
    """A GET operation that needs a bearer token."""
    return {"get": {"summary": summary, "parameters": params or [], "security": [{"bearer": []}],
                    "responses": {"200": json_response(schema, "OK"), **error_responses(401, 403, 404)}}}


def id_param(name: str) -> dict:
    """An integer path parameter."""
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1,
                                                                    "maximum": 2**31 - 1}}


def list_of(key: str, item: str) -> dict:
    """An object holding a list of components."""
    return {"type": "object", "required": [key], "properties": {key: {"type": "array", "items": ref(item)}}}


def post_operation(summary: str, body: dict, response: dict, errors: tuple) -> dict:
    """A POST operation with a JSON body."""
    return {"post": {"summary": summary, "requestBody": {"required": True, "content": {
        "application/json": {"schema": body}}},
        "responses": {"200": json_response(response, "OK"), **error_responses(*errors)}}}
