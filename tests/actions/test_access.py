"""Who sees what: project leads and organizers their own administration, the city level everything, participants
only the feedback page."""
import pytest

from cafe.extensions import db
from cafe.followup import actions

PAGES = ["/actions/events/{e}", "/actions/events/{e}/print", "/actions/{a}", "/actions/events/{e}/build",
         "/actions/events/{e}/import-notes", "/actions/administrations/{adm}"]
EXPORTS = [f"/api/v1/events/{{e}}/actions.{fmt}" for fmt in ("xlsx", "docx", "csv", "json")]


def _urls(paths, event, action):
    """Fill the ids into the paths."""
    return [p.format(e=event.id, a=action.id, adm=event.administration_id) for p in paths]


@pytest.mark.parametrize("role", ["project_lead", "organizer"])
def test_the_administrations_lead_and_organizer_see_everything(login, event, action, role):
    client = login(role)
    for url in _urls(PAGES + EXPORTS + ["/city/", "/city/export.xlsx"], event, action):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", ["project_lead", "organizer"])
def test_another_administration_gets_403(login_as, other_admin_user, event, action, role):
    client = login_as(other_admin_user[role])
    for url in _urls(PAGES + EXPORTS, event, action):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/actions/{action.id}", data={"title": "x", "status": "pagar"}).status_code == 403
    assert client.post(f"/actions/{action.id}/approve").status_code == 403
    assert client.post(f"/actions/events/{event.id}/upload").status_code == 403
    city = client.get("/city/data.json").get_json()
    assert event.title not in {p["title"] for p in city["progress"]}


def test_the_city_level_reads_every_administration_but_changes_nothing(login_as, other_admin_user, event, action):
    client = login_as(other_admin_user["city"])
    for url in _urls(["/actions/events/{e}", "/actions/{a}"] + EXPORTS, event, action):
        assert client.get(url).status_code == 200, url
    assert event.title in {p["title"] for p in client.get("/city/data.json").get_json()["progress"]}
    assert client.post(f"/actions/{action.id}", data={"title": "x", "status": "pagar"}).status_code == 403
    assert client.get(f"/actions/events/{event.id}/build").status_code == 403


def test_a_facilitator_has_no_action_lists(login, event, action):
    client = login("facilitator")
    assert client.get(f"/actions/events/{event.id}").status_code == 403
    assert client.get(f"/api/v1/events/{event.id}/actions.csv").status_code == 403
    assert client.get("/city/").status_code == 403


def test_a_participant_sees_only_the_feedback_page(app, event, action):
    token = actions.feedback_token(event)
    db.session.commit()
    anonymous = app.test_client()
    for url in _urls(PAGES + ["/city/"], event, action):
        response = anonymous.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url
    for url in _urls(EXPORTS, event, action):
        assert anonymous.get(url).status_code == 401, url
    assert anonymous.get(f"/feedback/{token}").status_code == 200
    assert anonymous.get(f"/feedback/{token[:-1]}x").status_code == 404


def test_editing_through_the_page_keeps_history_and_refuses_stale_forms(login, event, action):
    client = login("project_lead")
    form = {"title": action.title, "status": "genomford", "responsible": "Ny", "version": str(action.version),
            "unit_id": str(action.unit_id or ""), "point": str(action.point or ""), "level": action.level or ""}
    assert client.post(f"/actions/{action.id}", data=form).status_code == 302
    stale = client.post(f"/actions/{action.id}", data={**form, "responsible": "Annan"})
    assert stale.status_code == 200 and "ändrats av någon annan" in stale.data.decode()
    db.session.expire_all()
    assert action.responsible == "Ny" and {"status", "responsible"} <= {h.field for h in action.history}


@pytest.mark.parametrize("url", ["/actions/events/{e}/new", "/actions/administrations/{adm}/events"])
def test_an_empty_form_is_refused_with_a_message_not_a_crash(login, event, action, url):
    client = login("project_lead")
    response = client.post(_urls([url], event, action)[0], data={}, follow_redirects=True)
    assert response.status_code == 200 and "flash-error" in response.data.decode()
