"""Planning a café and the pre-vote in Chromium: from the template to join cards, and voting once;
axe-core checks the planning pages and the vote page. Each test plans a café of its own, so both share
one server."""
import re

import requests
from playwright.sync_api import expect

from tests.browser.conftest import login

NEW_QUESTION = "Vad kan vi på enheten göra redan i morgon?"


def _organizer(page, server):
    """Log the page in as the demo organizer."""
    creds = server.demo["organizer"]
    login(page, server.url, creds["email"], creds["password"])


def test_plan_from_template_edit_a_round_and_print_cards(page, module_live_server, assert_accessible):
    live_server = module_live_server
    _organizer(page, live_server)
    page.goto(live_server.url + "/organizer/")
    page.get_by_role("button", name=re.compile("Temadag enligt handlingsplanen")).click()
    page.wait_for_url(re.compile(r"/organizer/events/\d+$"))
    assert page.locator("h1").inner_text() == "Temadag enligt handlingsplanen"
    assert page.locator("ol.plan-list > li").count() == 3
    assert_accessible(page)

    page.get_by_role("link", name="Rundor", exact=True).click()
    assert_accessible(page)
    page.fill("#rounds-1-question", NEW_QUESTION)
    page.get_by_role("group", name="Runda 2").locator("summary").click()
    page.locator("#rounds-1-focus_points-5").check()
    page.get_by_role("button", name="Spara rundorna").first.click()
    page.wait_for_url(re.compile(r"/organizer/events/\d+$"))
    assert NEW_QUESTION in page.locator("ol.plan-list").inner_text()
    assert "fokus: 6" in page.locator("ol.plan-list > li").nth(1).inner_text()

    page.get_by_role("link", name="Bord", exact=True).click()
    page.get_by_role("button", name="Lägg till ett bord").click()
    assert page.locator("#tables-8-name").count() == 1
    assert_accessible(page)
    page.get_by_role("link", name="Uppgifter", exact=True).click()
    assert_accessible(page)

    page.get_by_role("link", name="Bordskort", exact=True).click()
    cards = page.locator(".join-card")
    assert cards.count() == 8
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", cards.first.locator(".join-card-code").inner_text())
    page.wait_for_function("() => Array.from(document.querySelectorAll('.join-card-qr')).every(i => i.naturalWidth > 0)")
    assert_accessible(page)
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden()
    assert page.errors == []


def _open_vote(server) -> tuple[int, str]:
    """A new café with an open pre-vote (two points each), made through the API; its id and public link."""
    api = server.url + "/api/v1"
    token = requests.post(api + "/auth/token", json=server.demo["organizer"], timeout=10).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    event_id = requests.post(api + "/events/from-template", headers=headers, timeout=10).json()["id"]
    vote = requests.post(f"{api}/events/{event_id}/vote/open", json={"max_points": 2}, headers=headers, timeout=10)
    return event_id, vote.json()["url"]


def test_vote_once_and_see_it_live(page, context, module_live_server, assert_accessible):
    live_server = module_live_server
    event_id, link = _open_vote(live_server)
    organizer = context.browser.new_context(locale="sv-SE").new_page()
    organizer.errors = []
    organizer.on("pageerror", lambda error: organizer.errors.append(str(error)))
    _organizer(organizer, live_server)
    organizer.goto(f"{live_server.url}/organizer/events/{event_id}/vote")
    assert organizer.locator("#vote-ballots").inner_text() == "0"
    assert organizer.locator("#vote-chart").bounding_box()["height"] > 100
    assert_accessible(organizer)

    page.goto(link)
    assert_accessible(page)
    page.get_by_label(re.compile(r"^2\. Introduktionsprogram")).check()
    page.get_by_label(re.compile(r"^6\. Administrativt stöd till socialsekreterare")).check()
    page.get_by_label("Önskemål inför dagen (frivilligt)").fill("Mentorer åt alla nyanställda")
    page.get_by_role("button", name="Skicka mitt svar").click()
    assert "Tack för ditt svar" in page.locator("h1").inner_text()
    assert_accessible(page)

    page.goto(link)
    assert "redan svarat" in page.locator("#vote-message").inner_text()
    assert_accessible(page)

    expect(organizer.locator("#vote-ballots")).to_have_text("1", timeout=15000)
    assert organizer.locator("tr[data-point='6'] .votes").inner_text() == "1"
    assert "Mentorer åt alla nyanställda" in organizer.locator("#vote-wishes").inner_text()
    assert page.errors == [] and organizer.errors == []
    organizer.context.close()
