"""The plenary projector follows a slide change made on the console (two pages), shows the join codes
before the café starts, steps with the arrow keys, and axe-core finds no WCAG 2.1 AA violations on the
console's synthesis panel or the projector."""
import sqlite3

from tests.browser.conftest import login


def _console(context, server):
    """The facilitator's console, logged in, with the synthesis panel filled."""
    page = context.new_page()
    creds = server.demo["facilitator"]
    login(page, server.url, creds["email"], creds["password"])
    page.goto(server.demo["facilitator_url"])
    page.wait_for_selector("#theme-list .theme-card", timeout=60000)
    page.wait_for_selector('#synthesis-state[data-state="up_to_date"]', timeout=60000)
    return page


def _projector(browser, server):
    """The projector in a browser profile of its own."""
    page = browser.new_context(locale="sv-SE", viewport={"width": 1920, "height": 1080}).new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(server.demo["projector_url"])
    page.wait_for_selector('#connection[data-state="online"]')
    return page


def test_projector_follows_the_console(live_server, browser, context, assert_accessible):
    console = _console(context, live_server)
    projector = _projector(browser, live_server)
    projector.wait_for_function("() => document.body.dataset.slide === 'themes'")
    projector.wait_for_selector("#theme-tiles .tile .tile-quote:not(:empty)")
    console.select_option("#slide-select", "points")
    console.click("#slide-show")
    projector.wait_for_function("() => document.body.dataset.slide === 'points'")
    projector.wait_for_selector("#points-chart", state="visible")
    assert not projector.is_visible("#theme-tiles")
    assert projector.locator("#points-table tbody tr").count() == 14
    console.click("#slide-next")
    projector.wait_for_function("() => document.body.dataset.slide === 'themes'")
    projector.keyboard.press("ArrowRight")
    projector.wait_for_function("() => document.body.dataset.slide === 'starred'")
    assert projector.locator("#starred-notes .quote").count() > 0
    no_scroll = "() => document.documentElement.scrollHeight <= window.innerHeight + 1"
    for slide in ("themes", "tables", "prevote", "novel"):
        console.select_option("#slide-select", slide)
        console.click("#slide-show")
        projector.wait_for_function(f"() => document.body.dataset.slide === '{slide}'")
        assert projector.evaluate(no_scroll), slide
        assert_accessible(projector)
    assert projector.errors == []


def test_a_curation_on_one_console_shows_on_the_projector(live_server, browser, context, assert_accessible):
    console = _console(context, live_server)
    projector = _projector(browser, live_server)
    projector.wait_for_selector("#theme-tiles .tile")
    first = console.locator("#theme-list .theme-card").first
    first.locator('[data-action="rename"]').click()
    console.fill("#rename-label", "Introduktion värd namnet")
    console.keyboard.press("Enter")
    console.wait_for_selector("#rename-dialog", state="hidden")
    assert console.evaluate("() => document.activeElement.dataset.action") == "rename"
    projector.wait_for_selector('#theme-tiles .tile-label:has-text("Introduktion värd namnet")')
    console.wait_for_selector('#curation-list .curation:has-text("Introduktion värd namnet")')
    first.locator("summary").click()
    first.locator(".theme-note button").first.click()
    console.wait_for_selector("#note-dialog[open]")
    assert_accessible(console)
    console.keyboard.press("Escape")
    assert_accessible(console)


def test_before_the_cafe_starts_the_projector_shows_join_codes(live_server, browser, tmp_path, assert_accessible):
    with sqlite3.connect(str(tmp_path / "live.sqlite3")) as conn:
        conn.execute("UPDATE rounds SET started_at = NULL, ended_at = NULL")
        conn.execute("UPDATE events SET status = 'draft'")
    projector = _projector(browser, live_server)
    projector.wait_for_function("() => document.body.dataset.slide === 'join'")
    cards = projector.locator(".join-card")
    assert cards.count() == len(live_server.demo["tables"])
    assert cards.first.locator("svg").count() == 1
    assert live_server.demo["tables"][0]["join_code"] in cards.first.inner_text()
    assert_accessible(projector)
