"""REST API for themes and the "vad vi hörde" summary."""
import pytest

from cafe.synthesis import passes


@pytest.fixture
def passed(app, demo):
    """The demo café after one synthesis pass."""
    with app.app_context():
        passes.run_pass(demo["event_id"])
    return demo["event_id"]


def get(client, url, token=None):
    """GET with an optional bearer token."""
    return client.get(url, headers={"Authorization": f"Bearer {token}"} if token else {})


def test_themes_list_and_one_theme(client, api_token, passed):
    token = api_token("facilitator")
    reply = get(client, f"/api/v1/events/{passed}/themes", token)
    assert reply.status_code == 200
    themes = reply.get_json()["themes"]
    assert themes and themes[0]["count"] >= themes[-1]["count"] and themes[0]["keywords"]
    one = get(client, f"/api/v1/events/{passed}/themes/{themes[0]['id']}", token).get_json()
    assert len(one["notes"]) == themes[0]["count"]
    assert get(client, f"/api/v1/events/{passed}/themes/999999", token).status_code == 404


def test_summary_per_point_and_per_theme(client, api_token, passed):
    body = get(client, f"/api/v1/events/{passed}/summary", api_token("project_lead")).get_json()
    assert [p["point"] for p in body["points"]][:13] == list(range(1, 14))
    assert body["points"][-1]["point"] is None
    assert body["themes"][0]["representative_notes"]


@pytest.mark.parametrize("who,status", [(None, 401), ("host", 403)])
def test_themes_need_staff(client, host_token, passed, who, status):
    token = host_token(1) if who == "host" else None
    assert get(client, f"/api/v1/events/{passed}/themes", token).status_code == status


def test_openapi_documents_the_synthesis_paths(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert {"/api/v1/events/{event_id}/themes", "/api/v1/events/{event_id}/themes/{theme_id}",
            "/api/v1/events/{event_id}/summary"} <= set(paths)
