"""The project lead's start page in Chromium: each café card's follow-up links have names that say which café
they belong to, are reached with the keyboard, show where focus is, and lead to their pages; axe-core checks it."""
import re

from tests.browser.conftest import login


def test_a_project_lead_reaches_each_cafes_follow_up_by_keyboard(live_server, context, assert_accessible):
    server = live_server
    held = server.demo["held"]
    page = context.new_page()
    creds = server.demo["project_lead"]
    login(page, server.url, creds["email"], creds["password"])
    page.goto(server.url + "/organizer/")
    assert_accessible(page)

    lists = page.get_by_role("link", name=f"Åtgärdslistor – {held['title']}")
    build = page.get_by_role("link", name=f"Skapa åtgärder från teman och anteckningar – {held['title']}")
    feedback = page.get_by_role("link", name=f"Återkopplingssidan för deltagarna – {held['title']}")
    for link in (lists, build, feedback):
        assert link.count() == 1 and link.is_visible()

    for _ in range(60):  # Tab through the page until the card's first follow-up link has focus
        page.keyboard.press("Tab")
        if lists.evaluate("element => element === document.activeElement"):
            break
    else:
        raise AssertionError("the action lists link is not reached with Tab")
    outline = lists.evaluate("element => getComputedStyle(element).outlineStyle")
    assert outline != "none", "focus is not visible on the link"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/actions/events/{held['event_id']}$"))
    assert page.locator("h1").inner_text().startswith("Åtgärder från")

    page.go_back()
    page.get_by_role("link", name=f"Skapa åtgärder från teman och anteckningar – {held['title']}").press("Enter")
    page.wait_for_url(re.compile(rf"/actions/events/{held['event_id']}/build$"))
    page.go_back()
    page.get_by_role("link", name=f"Återkopplingssidan för deltagarna – {held['title']}").press("Enter")
    page.wait_for_url(re.compile(r"/feedback/[\w-]+$"))
    assert page.locator("h1").inner_text() == "Vad har hänt med era idéer?"
