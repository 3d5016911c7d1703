"""The start page after signing in ("Mina caféer"): each café's card leads on to what the user may do with it."""
import re

import pytest

from cafe.followup import actions


def _card(page: str, title: str) -> str:
    """The HTML of the card whose heading is the café's title."""
    return page.split(f"<h2>{title}</h2>")[1].split("</article>")[0]


def test_a_project_leads_cards_lead_to_the_action_lists_drafts_feedback_and_report(app, demo, login):
    page = login("project_lead").get("/organizer/").get_data(as_text=True)
    for cafe in (demo["held"], demo["planned"]):
        card = _card(page, cafe["title"])
        event_id = cafe["event_id"]
        assert f'href="/actions/events/{event_id}"' in card
        assert f'href="/actions/events/{event_id}/build"' in card
        token = re.search(r'href="/feedback/([\w-]+)"', card).group(1)
        with app.app_context():
            assert actions.event_for_feedback(token).id == event_id
        assert f'href="/actions/events/{event_id}/report"' in card
    assert f"<span class=\"visually-hidden\"> – {demo['held']['title']}</span>" in _card(page, demo["held"]["title"])


def test_every_follow_up_link_answers(demo, login):
    client = login("project_lead")
    page = client.get("/organizer/").get_data(as_text=True)
    links = re.findall(r'href="(/(?:actions|feedback)/[^"]+)"', _card(page, demo["held"]["title"]))
    assert len(links) == 4
    assert all(client.get(link).status_code == 200 for link in links)


@pytest.mark.parametrize("role", ["organizer", "facilitator"])
def test_other_roles_see_the_follow_up_only_when_they_may(demo, login, role):
    card = _card(login(role).get("/organizer/").get_data(as_text=True), demo["held"]["title"])
    assert (f'/actions/events/{demo["held"]["event_id"]}"' in card) == (role == "organizer")
