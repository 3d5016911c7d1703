"""The REST API: tokens, joining a table, reading events, tables and notes, and its errors."""
import pytest

from tests.conftest import new_note


def bearer(token: str) -> dict:
    """An Authorization header."""
    return {"Authorization": f"Bearer {token}"}


def test_token_for_organizer_and_reading_events(client, demo, api_token):
    token = api_token("organizer")
    events = client.get("/api/v1/events", headers=bearer(token)).get_json()["events"]
    assert sorted(e["id"] for e in events) == sorted([demo["held"]["event_id"], demo["planned"]["event_id"]])
    event = client.get(f"/api/v1/events/{demo['event_id']}", headers=bearer(token)).get_json()
    assert event["status"] == "live" and len(event["rounds"]) == 3


@pytest.mark.parametrize("body", [{"email": "arrangor@demo.dialogcafe.se", "password": "fel"},
                                  {"email": "ingen@example.se", "password": "demo-password"},
                                  {"email": 5, "password": None}, {}])
def test_token_with_wrong_credentials_is_refused(client, demo, body):
    reply = client.post("/api/v1/auth/token", json=body)
    assert reply.status_code == 401
    assert reply.get_json()["error"]["code"] == "invalid_credentials"


@pytest.mark.parametrize("data, content_type", [("not json", "text/plain"), ("[1,2]", "application/json"),
                                                ("{", "application/json")])
def test_malformed_bodies_get_400(client, demo, data, content_type):
    for path in ("/api/v1/auth/token", "/api/v1/tables/join"):
        reply = client.post(path, data=data, content_type=content_type)
        assert reply.status_code == 400
        assert reply.get_json()["error"]["code"] == "invalid_payload"


def test_join_returns_token_event_and_table(client, demo):
    code = demo["tables"][2]["join_code"]
    for typed in (code, code.lower(), code.replace("-", " ")):
        reply = client.post("/api/v1/tables/join", json={"code": typed})
        assert reply.status_code == 200
        body = reply.get_json()
        assert body["token"] and body["table"]["number"] == 3 and body["event"]["id"] == demo["event_id"]
        assert "join_code" not in body["table"]


@pytest.mark.parametrize("code, status", [("AAAA-AAAA", 404), ("", 404), (123, 400), ("x" * 100, 400)])
def test_join_with_bad_code(client, demo, code, status):
    reply = client.post("/api/v1/tables/join", json={"code": code})
    assert reply.status_code == status
    assert reply.get_json()["error"]["message"]


def test_host_token_reads_only_its_own_table(client, demo, host_token, sockets):
    token = host_token(1)
    sock = sockets("/table", auth={"token": token})
    sock.emit("note:add", new_note("bara mitt bord"), namespace="/table", callback=True)
    notes = client.get(f"/api/v1/events/{demo['event_id']}/notes", headers=bearer(token)).get_json()["notes"]
    assert notes and {n["table_id"] for n in notes} == {1}
    tables = client.get(f"/api/v1/events/{demo['event_id']}/tables", headers=bearer(token)).get_json()["tables"]
    assert [t["number"] for t in tables] == [1]
    assert client.get("/api/v1/tables/2", headers=bearer(token)).status_code == 403
    assert client.get("/api/v1/tables/2/notes", headers=bearer(token)).status_code == 403
    assert client.get(f"/api/v1/events/{demo['event_id']}/export.json", headers=bearer(token)).status_code == 403


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer nonsense"}, {"Authorization": "Basic abc"},
                                     {"Authorization": "Bearer "}])
def test_reading_without_valid_token(client, demo, headers):
    reply = client.get(f"/api/v1/events/{demo['event_id']}/notes", headers=headers)
    assert reply.status_code == 401
    assert reply.get_json()["error"]["code"] in ("unauthorized", "invalid_token")


def test_export_holds_notes_with_revisions(client, demo, api_token, host_token, sockets):
    sock = sockets("/table", auth={"token": host_token(1)})
    ack = sock.emit("note:add", new_note("före"), namespace="/table", callback=True)
    sock.emit("note:edit", {"id": ack["note"]["id"], "text": "efter"}, namespace="/table", callback=True)
    doc = client.get(f"/api/v1/events/{demo['event_id']}/export.json", headers=bearer(api_token())).get_json()
    exported = next(n for n in doc["notes"] if n["id"] == ack["note"]["id"])
    assert exported["text"] == "efter" and [r["text"] for r in exported["revisions"]] == ["före"]
    assert len(doc["tables"]) == 8


def test_openapi_document_lists_the_core_paths(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    for path in ("/api/v1/auth/token", "/api/v1/tables/join", "/api/v1/events", "/api/v1/events/{event_id}/notes",
                 "/api/v1/events/{event_id}/export.json", "/api/v1/notes/{note_id}"):
        assert path in doc["paths"]


def test_every_api_route_is_in_the_openapi_document(app, client):
    documented = set(client.get("/api/v1/openapi.json").get_json()["paths"])
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/") and rule.endpoint != "api.openapi_json":
            path = rule.rule.replace("<int:", "{").replace("<", "{").replace(">", "}")
            path = path.replace("{path:", "{").replace("{string:", "{")
            assert path in documented, f"{rule.rule} is not in the OpenAPI document"


def test_unknown_note_is_404_for_a_user(client, demo, api_token):
    reply = client.get("/api/v1/notes/999999", headers=bearer(api_token()))
    assert reply.status_code == 404 and reply.get_json()["error"]["code"] == "not_found"


def test_healthz(client):
    assert client.get("/healthz").get_json()["status"] == "ok"
