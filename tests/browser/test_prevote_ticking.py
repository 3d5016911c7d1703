"""The pre-vote in Chromium: the ballot says while ticking how many points are chosen of the most allowed, the
boxes left once that many are ticked say why they cannot be ticked (a polite live region announces a refused
tick), and the server still refuses a ballot with too many points."""
import re

import requests


def ballot(page, url: str):
    """Open the ballot; return its checkboxes and the live count."""
    page.goto(url)
    return page.locator(".point-choices input[type=checkbox]"), page.locator("#ballot-count")


def test_the_ballot_counts_while_ticking_and_says_why_no_more_can_be_ticked(module_live_server, context,
                                                                             assert_accessible):
    server = module_live_server
    page = context.new_page()
    boxes, count = ballot(page, server.demo["planned"]["vote_url"])
    assert page.locator("#point-choices").get_attribute("data-max") == "3"
    assert count.inner_text() == "0 av 3 valda"
    live = page.locator("#ballot-live")
    assert live.get_attribute("aria-live") == "polite"

    boxes.nth(0).check()
    assert count.inner_text() == "1 av 3 vald"
    boxes.nth(4).check()
    assert count.inner_text() == "2 av 3 valda"
    assert page.locator("#ballot-full").is_hidden()
    boxes.nth(7).check()
    assert count.inner_text() == "3 av 3 valda"
    reason = page.locator("#ballot-full")
    assert reason.is_visible() and "så många som går" in reason.inner_text()

    fourth = boxes.nth(2)
    assert fourth.get_attribute("aria-disabled") == "true"
    assert "ballot-full" in fourth.get_attribute("aria-describedby").split()
    assert boxes.nth(0).get_attribute("aria-disabled") is None  # a ticked box can still be unticked
    assert_accessible(page)

    fourth.focus()
    page.keyboard.press("Space")
    assert not fourth.is_checked()
    page.wait_for_function("() => document.getElementById('ballot-live').textContent.includes('så många som går')")
    assert count.inner_text() == "3 av 3 valda"

    boxes.nth(4).uncheck()
    assert count.inner_text() == "2 av 3 valda" and reason.is_hidden()
    assert fourth.get_attribute("aria-disabled") is None
    fourth.check()
    assert count.inner_text() == "3 av 3 valda"
    page.get_by_role("button", name="Skicka mitt svar").click()
    page.wait_for_load_state("load")
    assert "Tack" in page.locator("main").inner_text()


def test_the_server_still_refuses_too_many_points(module_live_server, context):
    server = module_live_server
    page = context.new_page()
    boxes, count = ballot(page, server.demo["planned"]["vote_url"])
    page.evaluate("() => document.querySelectorAll('.point-choices input').forEach((b, i) => { b.checked = i < 4; })")
    with page.expect_response(re.compile(r"/v/")) as answer:
        page.get_by_role("button", name="Skicka mitt svar").click()
    assert answer.value.status == 400
    assert page.locator("#ballot-error").inner_text() == "Du har valt för många punkter."
    assert count.inner_text() == "4 valda, men högst 3 går"
    assert requests.get(server.url + "/healthz", timeout=5).status_code == 200
