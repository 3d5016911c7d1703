"""The planning and pre-vote API: create and change a café, its tables and rounds, the vote's results."""
import pytest
import schemathesis

from cafe.api.openapi import document
from tests.organizer.conftest import stranger  # noqa: F401  (a fixture)


@pytest.fixture
def organizer_headers(api_token):
    """Bearer headers of the demo organizer."""
    return {"Authorization": f"Bearer {api_token('organizer')}"}


@pytest.fixture
def schema(app):
    """The API's OpenAPI document, loaded (and so checked) by schemathesis."""
    with app.test_request_context():
        return schemathesis.openapi.from_dict(document())


def conforms(schema, method: str, path: str, response) -> None:
    """Check that a response matches the documented operation."""
    schema[path][method].validate_response(response)


def test_plan_a_café_through_the_api(client, organizer_headers, schema):
    made = client.post("/api/v1/events", json={"title": "API-café", "date": "2027-05-04"}, headers=organizer_headers)
    assert made.status_code == 201
    conforms(schema, "POST", "/api/v1/events", made)
    event_id = made.get_json()["id"]
    changed = client.patch(f"/api/v1/events/{event_id}", json={"place": "Aulan", "focus_points": [2, 6]},
                           headers=organizer_headers)
    assert changed.get_json()["place"] == "Aulan" and changed.get_json()["focus_points"] == [2, 6]
    conforms(schema, "PATCH", "/api/v1/events/{event_id}", changed)
    tables = client.put(f"/api/v1/events/{event_id}/tables", json={"tables": [{"name": "Ett"}, {"host_name": "Bo"}]},
                        headers=organizer_headers)
    body = tables.get_json()
    assert [t["name"] for t in body["tables"]] == ["Ett", "Bord 2"] and len(body["tables"][0]["join_code"]) == 8
    conforms(schema, "PUT", "/api/v1/events/{event_id}/tables", tables)
    kept = client.put(f"/api/v1/events/{event_id}/tables", json={"tables": [{"id": body["tables"][1]["id"]}]},
                      headers=organizer_headers).get_json()["tables"]
    assert [t["join_code"] for t in kept] == [body["tables"][1]["join_code"]]
    rounds = client.put(f"/api/v1/events/{event_id}/rounds", headers=organizer_headers, json={"rounds": [
        {"question": "Vad kan jag göra?", "planned_minutes": 25, "level": "individ", "focus_points": [2]}]})
    assert rounds.get_json()["rounds"][0]["level"] == "individ"
    conforms(schema, "PUT", "/api/v1/events/{event_id}/rounds", rounds)
    live = client.post(f"/api/v1/events/{event_id}/status", json={"status": "live"}, headers=organizer_headers)
    assert live.get_json()["status"] == "live"


def test_template_through_the_api(client, organizer_headers, schema):
    made = client.post("/api/v1/events/from-template", headers=organizer_headers)
    assert made.status_code == 201 and len(made.get_json()["tables"]) == 8
    conforms(schema, "POST", "/api/v1/events/from-template", made)


@pytest.mark.parametrize("method, path, body, status, code", [
    ("post", "/api/v1/events", {"title": ""}, 400, "required_field"),
    ("post", "/api/v1/events", {"title": "x", "date": "idag"}, 400, "invalid_date"),
    ("post", "/api/v1/events", ["inte", "ett", "objekt"], 400, "invalid_payload"),
    ("put", "/api/v1/events/{id}/tables", {"tables": "många"}, 400, "invalid_field"),
    ("put", "/api/v1/events/{id}/rounds", {"rounds": [{"question": "?", "planned_minutes": 999}]}, 400,
     "invalid_round_minutes"),
    ("put", "/api/v1/events/{id}/rounds", {"rounds": []}, 409, "round_in_use"),
    ("post", "/api/v1/events/{id}/status", {"status": "draft"}, 200, None),
    ("post", "/api/v1/events/{id}/status", {"status": "okänd"}, 400, "invalid_event_status"),
    ("post", "/api/v1/events/{id}/status", {"status": ["live"]}, 400, "invalid_event_status"),
    ("post", "/api/v1/events/{id}/status", {"status": "live"}, 409, "invalid_status_change"),
    ("patch", "/api/v1/events/{id}", {"titel": "stavfel"}, 400, "unknown_field"),
    ("post", "/api/v1/events/{id}/vote/open", {"max_points": 0}, 400, "invalid_max_points"),
    ("post", "/api/v1/events/{id}/vote/codes", {"count": 5000}, 400, "invalid_link_count"),
])
def test_bad_planning_requests(client, demo, organizer_headers, method, path, body, status, code):
    response = getattr(client, method)(path.format(id=demo["event_id"]), json=body, headers=organizer_headers)
    assert response.status_code == status, response.get_json()
    if code:
        error = response.get_json()["error"]
        assert error["code"] == code and error["message"]


@pytest.mark.parametrize("method, path", [
    ("post", "/api/v1/events"), ("patch", "/api/v1/events/{id}"), ("put", "/api/v1/events/{id}/tables"),
    ("put", "/api/v1/events/{id}/rounds"), ("get", "/api/v1/events/{id}/vote"),
    ("post", "/api/v1/events/{id}/vote/open")])
def test_planning_api_access(client, demo, api_token, method, path):
    url = path.format(id=demo["event_id"])
    assert getattr(client, method)(url, json={}).status_code == 401
    facilitator = {"Authorization": f"Bearer {api_token('facilitator')}"}
    assert getattr(client, method)(url, json={}, headers=facilitator).status_code == 403


def test_other_administration_gets_404(app, client, demo, stranger):  # noqa: F811  (the fixture)
    token = client.post("/api/v1/auth/token", json=stranger).get_json()["token"]
    response = client.get(f"/api/v1/events/{demo['event_id']}/vote", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 404


def test_vote_through_the_api(client, organizer_headers, schema):
    event_id = client.post("/api/v1/events/from-template", headers=organizer_headers).get_json()["id"]
    assert client.get(f"/api/v1/events/{event_id}/vote", headers=organizer_headers).status_code == 404
    opened = client.post(f"/api/v1/events/{event_id}/vote/open", json={"max_points": 2}, headers=organizer_headers)
    conforms(schema, "POST", "/api/v1/events/{event_id}/vote/open", opened)
    path = opened.get_json()["url"].replace("http://testserver", "")
    codes = client.post(f"/api/v1/events/{event_id}/vote/codes", json={"count": 2}, headers=organizer_headers)
    assert codes.status_code == 201 and len(codes.get_json()["links"]) == 2
    voter = client.application.test_client()
    voter.post(path, data={"points": ["3", "13"]})
    results = client.get(f"/api/v1/events/{event_id}/vote", headers=organizer_headers)
    conforms(schema, "GET", "/api/v1/events/{event_id}/vote", results)
    counts = {p["number"]: p["votes"] for p in results.get_json()["points"]}
    assert results.get_json()["ballots"] == 1 and counts[3] == counts[13] == 1
    closed = client.post(f"/api/v1/events/{event_id}/vote/close", headers=organizer_headers)
    assert closed.get_json()["status"] == "closed"
    conforms(schema, "POST", "/api/v1/events/{event_id}/vote/close", closed)


def test_demo_prevote_results(client, demo, organizer_headers):
    result = client.get(f"/api/v1/events/{demo['event_id']}/vote", headers=organizer_headers).get_json()
    assert result["status"] == "closed" and sum(p["votes"] for p in result["points"]) == 366
