"""Planning pages: access rules, forms with Swedish messages, list editing, join cards."""
import re

import pytest

from cafe.extensions import db
from cafe.models import Event

PAGES = ["", "/edit", "/tables", "/rounds", "/cards", "/vote", "/vote/codes", "/vote/results.json",
         "/vote/results.csv", "/vote/results.xlsx", "/vote/qr.svg"]


@pytest.fixture
def organizer_client(login):
    """The demo organizer, logged in."""
    return login("organizer")


def event_of(app, event_id) -> Event:
    """Load an event in a fresh context."""
    with app.app_context():
        event = db.session.get(Event, event_id)
        event.rounds, event.tables  # noqa: B018  (load before the context ends)
        return event


def new_from_template(client) -> int:
    """Create a café from the template and return its id."""
    response = client.post("/organizer/events/template")
    assert response.status_code == 302
    return int(response.location.rsplit("/", 1)[1])


@pytest.mark.parametrize("suffix", PAGES)
def test_anonymous_is_sent_to_login(client, demo, suffix):
    response = client.get(f"/organizer/events/{demo['event_id']}{suffix}")
    assert response.status_code == 302 and "/login" in response.location


@pytest.mark.parametrize("suffix", PAGES)
def test_organizer_of_another_administration_gets_404(app, demo, stranger, suffix):
    client = app.test_client()
    client.post("/login", data=stranger)
    assert client.get(f"/organizer/events/{demo['event_id']}{suffix}").status_code == 404


@pytest.mark.parametrize("url", ["/organizer/events/{id}/status", "/organizer/events/{id}/copy",
                                 "/organizer/events/{id}/vote/open", "/organizer/events/{id}/tables"])
def test_other_administration_cannot_change_anything(app, demo, stranger, url):
    client = app.test_client()
    client.post("/login", data=stranger)
    response = client.post(url.format(id=demo["event_id"]), data={"status": "closed", "save": "1"})
    assert response.status_code == 404
    assert event_of(app, demo["event_id"]).status == "live"


@pytest.mark.parametrize("url", ["/organizer/events/new", "/organizer/units", "/organizer/staff"])
def test_facilitators_may_not_plan(login, url):
    response = login("facilitator").get(url)
    assert response.status_code == 403
    assert "behörighet" in response.get_data(as_text=True)


def test_create_event_through_the_form(app, organizer_client):
    response = organizer_client.post("/organizer/events/new", data={
        "title": "Höstcafé", "date": "2027-10-05", "place": "Aulan", "description": ""})
    assert response.status_code == 302
    event = event_of(app, int(response.location.rsplit("/", 1)[1]))
    assert (event.title, event.status, str(event.date)) == ("Höstcafé", "draft", "2027-10-05")


@pytest.mark.parametrize("data, message", [
    ({"title": ""}, "Skriv en rubrik."),
    ({"title": "x" * 201}, "Högst 200 tecken."),
    ({"title": "Café", "date": "igår"}, "datum"),
])
def test_event_form_explains_errors_in_swedish(organizer_client, data, message):
    response = organizer_client.post("/organizer/events/new", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_service_refusals_show_as_messages(organizer_client):
    response = organizer_client.post("/organizer/events/new", data={"title": "Café\x07"})
    assert response.status_code == 200 and "otillåtna styrtecken" in response.get_data(as_text=True)


def test_edit_event_and_focus_points(app, organizer_client):
    event_id = new_from_template(organizer_client)
    page = organizer_client.get(f"/organizer/events/{event_id}/edit").get_data(as_text=True)
    assert 'value="Temadag enligt handlingsplanen"' in page
    response = organizer_client.post(f"/organizer/events/{event_id}/edit", data={
        "title": "Temadag i Ekbacken", "date": "2027-03-01", "place": "Stora salen", "focus_points": ["2", "6"]})
    assert response.status_code == 302
    event = event_of(app, event_id)
    assert event.title == "Temadag i Ekbacken" and event.focus_points == [2, 6]


def table_rows(event) -> dict:
    """The form fields of the event's tables as they are posted."""
    data = {}
    for i, t in enumerate(event.tables):
        data.update({f"tables-{i}-id": str(t.id), f"tables-{i}-name": t.name,
                     f"tables-{i}-host_name": t.host_name, f"tables-{i}-unit_id": "0"})
    return data


def test_tables_add_remove_and_save(app, organizer_client):
    event_id = new_from_template(organizer_client)
    event = event_of(app, event_id)
    rows = table_rows(event)
    added = organizer_client.post(f"/organizer/events/{event_id}/tables", data={**rows, "add": "1"})
    assert added.status_code == 200 and 'name="tables-8-name"' in added.get_data(as_text=True)
    removed = organizer_client.post(f"/organizer/events/{event_id}/tables", data={**rows, "remove": "0"})
    page = removed.get_data(as_text=True)
    assert 'name="tables-7-name"' not in page and f'value="{event.tables[1].id}"' in page
    rows["tables-0-name"] = "Fönsterbordet"
    rows["tables-0-host_name"] = "Amir"
    saved = organizer_client.post(f"/organizer/events/{event_id}/tables", data={**rows, "save": "1"})
    assert saved.status_code == 302
    after = event_of(app, event_id)
    assert after.tables[0].display_name == "Fönsterbordet" and after.tables[0].join_code == event.tables[0].join_code


def test_tables_with_notes_stay_with_a_message(app, demo, organizer_client):
    event = event_of(app, demo["event_id"])
    rows = {k: v for k, v in table_rows(event).items() if not k.startswith("tables-7-")}
    response = organizer_client.post(f"/organizer/events/{demo['event_id']}/tables", data={**rows, "save": "1"})
    assert response.status_code == 400 and "har anteckningar" in response.get_data(as_text=True)
    assert len(event_of(app, demo["event_id"]).tables) == 8


def test_bad_unit_choice_is_refused(app, organizer_client):
    event_id = new_from_template(organizer_client)
    rows = table_rows(event_of(app, event_id))
    rows["tables-0-unit_id"] = "99999"
    assert organizer_client.post(f"/organizer/events/{event_id}/tables", data={**rows, "save": "1"}).status_code == 400


def test_rounds_edit_and_validation(app, organizer_client):
    event_id = new_from_template(organizer_client)
    event = event_of(app, event_id)
    rows = {}
    for i, r in enumerate(event.rounds):
        rows.update({f"rounds-{i}-id": str(r.id), f"rounds-{i}-question": r.question,
                     f"rounds-{i}-planned_minutes": str(r.planned_minutes), f"rounds-{i}-level": r.level})
    rows["rounds-1-question"] = "Vad kan vi på enheten göra först?"
    rows["rounds-1-focus_points"] = ["2", "8"]
    assert organizer_client.post(f"/organizer/events/{event_id}/rounds", data={**rows, "save": "1"}).status_code == 302
    after = event_of(app, event_id)
    assert after.rounds[1].question == "Vad kan vi på enheten göra först?" and after.rounds[1].focus_points == [2, 8]
    rows["rounds-2-planned_minutes"] = "0"
    bad = organizer_client.post(f"/organizer/events/{event_id}/rounds", data={**rows, "save": "1"})
    assert bad.status_code == 400 and "Mellan 1 och 240 minuter." in bad.get_data(as_text=True)


def test_status_copy_and_facilitators(app, demo, organizer_client):
    event_id = new_from_template(organizer_client)
    organizer_client.post(f"/organizer/events/{event_id}/status", data={"status": "live"})
    assert event_of(app, event_id).status == "live"
    refused = organizer_client.post(f"/organizer/events/{event_id}/status", data={"status": "bogus"},
                                    follow_redirects=True)
    assert "Statusen måste vara utkast" in refused.get_data(as_text=True)
    copy = organizer_client.post(f"/organizer/events/{demo['event_id']}/copy")
    copy_id = int(copy.location.rsplit("/", 1)[1])
    assert event_of(app, copy_id).status == "draft"
    page = organizer_client.get(f"/organizer/events/{event_id}").get_data(as_text=True)
    facilitator_id = re.search(r'name="facilitators"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="facilitators"', page)
    assert facilitator_id
    chosen = facilitator_id.group(1) or facilitator_id.group(2)
    organizer_client.post(f"/organizer/events/{event_id}/facilitators", data={"facilitators": [chosen]})
    with app.app_context():
        assert [u.id for u in db.session.get(Event, event_id).facilitators] == [int(chosen)]


def test_join_cards_show_codes_and_qr(app, demo, organizer_client):
    page = organizer_client.get(f"/organizer/events/{demo['event_id']}/cards").get_data(as_text=True)
    for table in demo["tables"]:
        assert table["join_code"] in page and table["name"] in page
    assert page.count('class="join-card"') == 8 and "http://testserver/t/" in page
    qr = re.search(r'src="(/organizer/events/\d+/tables/\d+/qr\.svg)"', page).group(1)
    svg = organizer_client.get(qr)
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml" and b"<svg" in svg.data
    assert organizer_client.get(f"/organizer/events/{demo['event_id']}/tables/99999/qr.svg").status_code == 404


def test_units_and_staff_pages(organizer_client):
    assert organizer_client.post("/organizer/units", data={"name": "Nya enheten"}).status_code == 302
    page = organizer_client.get("/organizer/units").get_data(as_text=True)
    unit_id = re.search(r'/organizer/units/(\d+)/rename"[^<]*\s*<input[^>]*>\s*<label[^>]*>[^<]*</label>\s*'
                        r'<input[^>]*value="Nya enheten"', page).group(1)
    organizer_client.post(f"/organizer/units/{unit_id}/rename", data={"name": "Nyare enheten"})
    assert "Nyare enheten" in organizer_client.get("/organizer/units").get_data(as_text=True)
    organizer_client.post(f"/organizer/units/{unit_id}/delete")
    assert "Nyare enheten" not in organizer_client.get("/organizer/units").get_data(as_text=True)
    assert organizer_client.post("/organizer/units", data={"name": ""}).status_code == 400
    made = organizer_client.post("/organizer/staff", data={"name": "Lena", "email": "lena@example.se",
                                                           "role": "facilitator", "password": "ett-langt-losenord"})
    assert made.status_code == 302 and "lena@example.se" in organizer_client.get("/organizer/staff").get_data(as_text=True)
    again = organizer_client.post("/organizer/staff", data={"name": "Lena", "email": "lena@example.se",
                                                            "role": "facilitator", "password": "ett-langt-losenord"})
    assert again.status_code == 400 and "används redan" in again.get_data(as_text=True)
    bad_role = organizer_client.post("/organizer/staff", data={"name": "X", "email": "x@example.se",
                                                               "role": "organizer", "password": "ett-langt-losenord"})
    assert bad_role.status_code == 400


def test_dashboard_links_to_planning(demo, organizer_client):
    page = organizer_client.get("/organizer/").get_data(as_text=True)
    assert f"/organizer/events/{demo['event_id']}" in page and "Temadag enligt handlingsplanen" in page
