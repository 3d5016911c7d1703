"""The public vote page and the organizer's vote pages: once per browser, closed votes, exports."""
import csv
import io
import re

import pytest
from openpyxl import load_workbook

from tests.vote.conftest import point_rows


@pytest.fixture
def organizer_client(login):
    """The demo organizer, logged in."""
    return login("organizer")


@pytest.fixture
def open_vote(organizer_client):
    """Open a pre-vote (2 points) on a new template café; return (event id, public path)."""
    event_id = int(organizer_client.post("/organizer/events/template").location.rsplit("/", 1)[1])
    assert organizer_client.post(f"/organizer/events/{event_id}/vote/open",
                                 data={"max_points": "2"}).status_code == 302
    page = organizer_client.get(f"/organizer/events/{event_id}/vote").get_data(as_text=True)
    path = re.search(r'id="vote-url">http://testserver(/v/[^<]+)<', page).group(1)
    return event_id, path


def results(client, event_id) -> dict:
    """The live results as the page polls them."""
    return client.get(f"/organizer/events/{event_id}/vote/results.json").get_json()["vote"]


def test_vote_once_then_a_clear_message(app, organizer_client, open_vote):
    event_id, path = open_vote
    voter = app.test_client()
    page = voter.get(path)
    assert page.status_code == 200 and "Välj högst 2 punkter" in page.get_data(as_text=True)
    assert "dialogcafe_voter" in page.headers.get("Set-Cookie", "")
    thanks = voter.post(path, data={"points": ["2", "6"], "wish": "Mentorer åt alla nya"})
    assert thanks.status_code == 200 and "Tack för ditt svar" in thanks.get_data(as_text=True)
    again = voter.get(path)
    assert again.status_code == 409 and "redan svarat" in again.get_data(as_text=True)
    assert voter.post(path, data={"points": ["1"]}).status_code == 409
    result = results(organizer_client, event_id)
    assert result["ballots"] == 1 and result["wishes"] == ["Mentorer åt alla nya"]


def test_a_forged_cookie_gets_a_new_voter(app, open_vote):
    _, path = open_vote
    voter = app.test_client()
    voter.set_cookie("dialogcafe_voter", "forged-value", path="/v/")
    assert voter.post(path, data={"points": ["1"]}).status_code == 200


@pytest.mark.parametrize("data, message", [
    ({"points": ["1", "2", "3"]}, "för många punkter"),
    ({}, "Välj minst en punkt"),
    ({"points": ["99"]}, "finns inte"),
    ({"points": ["x"]}, ""),
    ({"points": ["1"], "wish": "x" * 1001}, "för långt"),
])
def test_bad_ballots_are_refused_with_the_form_kept(app, organizer_client, open_vote, data, message):
    event_id, path = open_vote
    response = app.test_client().post(path, data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert results(organizer_client, event_id)["ballots"] == 0


def test_closed_vote_says_so(app, organizer_client, open_vote):
    event_id, path = open_vote
    organizer_client.post(f"/organizer/events/{event_id}/vote/close")
    response = app.test_client().post(path, data={"points": ["1"]})
    assert response.status_code == 409 and "stängd" in response.get_data(as_text=True)


def test_unknown_vote_is_404(client):
    assert client.get("/v/finns-inte-alls-123").status_code == 404


def test_personal_links_are_single_use_across_browsers(app, organizer_client, open_vote):
    event_id, path = open_vote
    organizer_client.post(f"/organizer/events/{event_id}/vote/codes", data={"count": "3"})
    page = organizer_client.get(f"/organizer/events/{event_id}/vote/codes").get_data(as_text=True)
    links = re.findall(r"http://testserver(/v/[^<]+/[A-Z0-9]{10})<", page)
    assert len(links) == 3
    assert app.test_client().post(links[0], data={"points": ["4"]}).status_code == 200
    second = app.test_client().post(links[0], data={"points": ["4"]})
    assert second.status_code == 409 and "redan använd" in second.get_data(as_text=True)
    assert app.test_client().get(path + "/OKANDKOD12").status_code == 404
    assert results(organizer_client, event_id)["link_codes"] == {"total": 3, "used": 1}


@pytest.mark.parametrize("data", [{"max_points": "0"}, {"max_points": "x"}, {}])
def test_bad_open_form_is_explained(organizer_client, open_vote, data):
    event_id, _ = open_vote
    page = organizer_client.post(f"/organizer/events/{event_id}/vote/open", data=data,
                                 follow_redirects=True).get_data(as_text=True)
    assert "flash-error" in page


def test_exports_and_focus_from_results(app, organizer_client, open_vote):
    event_id, path = open_vote
    for chosen in (["6", "2"], ["6"], ["3", "6"]):
        app.test_client().post(path, data={"points": chosen})
    body = organizer_client.get(f"/organizer/events/{event_id}/vote/results.csv")
    assert body.headers["Content-Disposition"].startswith("attachment") and body.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[6][3] == "3"
    book = load_workbook(io.BytesIO(organizer_client.get(f"/organizer/events/{event_id}/vote/results.xlsx").data))
    assert point_rows(book["Resultat"])[6][3] == 3
    page = organizer_client.get(f"/organizer/events/{event_id}/vote").get_data(as_text=True)
    assert re.search(r'value="6"[^>]*checked|checked[^>]*value="6"', page)
    organizer_client.post(f"/organizer/events/{event_id}/vote/focus", data={"points": ["6", "2"], "apply_to_rounds": "y"})
    event = organizer_client.get(f"/api/v1/events/{event_id}").get_json()
    assert event["focus_points"] == [6, 2] and all(r["focus_points"] == [6, 2] for r in event["rounds"])


def test_demo_café_has_closed_prevote_with_counts(organizer_client, demo):
    result = results(organizer_client, demo["event_id"])
    counts = {p["number"]: p["votes"] for p in result["points"]}
    assert result["status"] == "closed"
    assert counts[6] == 62 and counts[2] == 58 and counts[11] == 8
