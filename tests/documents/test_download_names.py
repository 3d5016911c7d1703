"""Every download is named after what it is: the café's name and date, the unit when one is chosen, what
it holds; ASCII, lower case, safe, and sent with a Content-Disposition that has filename* too."""
import re

import pytest

CAFE = "temadag-var-arbetssituation-dialogcafe"  # the demo café's name, cut between words
SAFE = re.compile(r"^[a-z0-9-]+\.[a-z]+$")


def _saved_as(response) -> str:
    """The name a browser saves the download under, after checking the header carries it both ways."""
    assert response.status_code == 200, response.data[:300]
    header = response.headers["Content-Disposition"]
    match = re.fullmatch(r"attachment; filename=\"([^\"]+)\"; filename\*=UTF-8''(\S+)", header)
    assert match and match.group(1) == match.group(2), header
    assert SAFE.match(match.group(1)), match.group(1)
    return match.group(1)


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "docx", "json"])
def test_action_lists_name_the_cafe_its_date_and_the_unit(event, lead_client, fmt):
    day = event.date.isoformat()
    url = f"/api/v1/events/{event.id}/actions.{fmt}"
    assert _saved_as(lead_client.get(url)) == f"{CAFE}-{day}-atgarder.{fmt}"
    family = next(u for u in event.administration.units if u.name == "Familjeenheten")
    assert _saved_as(lead_client.get(url, query_string={"unit": family.id})) == \
        f"{CAFE}-{day}-familjeenheten-atgarder.{fmt}"
    assert _saved_as(lead_client.get(url, query_string={"unit": 0})) == \
        f"{CAFE}-{day}-hela-forvaltningen-atgarder.{fmt}"


def test_a_unit_name_is_folded_to_ascii(event, lead_client):
    elderly = next(u for u in event.administration.units if u.name.startswith("Äldre"))
    name = _saved_as(lead_client.get(f"/api/v1/events/{event.id}/actions.xlsx", query_string={"unit": elderly.id}))
    assert name == f"{CAFE}-{event.date.isoformat()}-aldreomsorgens-bestallarenhet-atgarder.xlsx"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_pre_vote_results_name_the_cafe(event, organizer_client, fmt):
    response = organizer_client.get(f"/organizer/events/{event.id}/vote/results.{fmt}")
    assert _saved_as(response) == f"{CAFE}-{event.date.isoformat()}-forhandsenkat.{fmt}"


def test_the_city_view_names_whose_cafes_and_the_day(event, lead_client):
    name = _saved_as(lead_client.get("/city/export.xlsx"))
    assert re.fullmatch(r"stadsovergripande-sammanstallning-ekbackens-stadsdelsforvaltning-\d{4}-\d\d-\d\d\.xlsx",
                        name)


def test_the_event_archive_names_the_cafe(event, organizer_client):
    response = organizer_client.get(f"/api/v1/events/{event.id}/export.json")
    assert _saved_as(response) == f"{CAFE}-{event.date.isoformat()}-arkiv.json"
    assert response.get_json()["event"]["id"] == event.id
