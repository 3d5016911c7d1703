"""What a screen reader hears: new notes on the console and the projector as one polite summary, not one
announcement per note, and on the host page what became of the host's own note, not the whole list again; the round timer's last minutes once each, never every second; and reduced motion
honoured. The pages' clocks are Playwright's fake clock, so the waits cost nothing."""
import pytest

from tests.browser.conftest import login

ANNOUNCED = "document.getElementById('notes-announce').textContent"
LIVE_ANCESTOR = "s => !!document.querySelector(s).closest('[aria-live]:not([aria-live=off]), [role=status], [role=log]')"


def _host(browser, server, table: int):
    """A table host's page, connected."""
    page = browser.new_context(locale="sv-SE").new_page()
    page.goto(server.demo["tables"][table]["url"])
    page.wait_for_selector('#connection[data-state="online"]')
    return page


def test_new_notes_are_announced_as_one_summary(module_server, browser):
    server = module_server
    console_context = browser.new_context(locale="sv-SE")
    console = console_context.new_page()
    creds = server.demo["facilitator"]
    login(console, server.url, creds["email"], creds["password"])
    console.clock.install()
    console.goto(server.demo["facilitator_url"])
    projector = browser.new_context(locale="sv-SE").new_page()
    projector.clock.install()
    projector.goto(server.demo["projector_url"])
    for page in (console, projector):
        page.wait_for_selector('#connection[data-state="online"]')
        assert page.get_attribute("#notes-announce", "aria-live") == "polite"
    assert not console.evaluate(LIVE_ANCESTOR, "#feed")  # the feed itself is not read out note by note
    assert not console.evaluate(LIVE_ANCESTOR, "#feed-shown")
    assert not projector.evaluate(LIVE_ANCESTOR, "#note-count")

    host = _host(browser, server, 4)
    assert not host.evaluate(LIVE_ANCESTOR, "#note-list")  # redrawn as a whole, so not read out again
    texts = ["Tid för ärendehandledning varje vecka", "Mentor för nyanställda", "Tysta rum för samtal"]
    for text in texts:
        host.fill("#note-text", text)
        host.press("#note-text", "Enter")
        console.wait_for_selector(f'#feed .feed-item:has-text("{text}")')
    host.wait_for_selector('#note-saved-live:text-is("Sparad")')
    projector.wait_for_function("() => document.body.dataset.slide && "
                                "Number(document.getElementById('note-count').textContent) > 0")
    for page in (console, projector):
        assert page.evaluate(f"() => {ANNOUNCED}") == ""  # nothing yet: the summary waits for a quiet spell
        page.clock.fast_forward(9000)
        page.wait_for_function(f"() => {ANNOUNCED} === '3 nya anteckningar'")
    host.fill("#note-text", "En fjärde anteckning")
    host.press("#note-text", "Enter")
    console.wait_for_selector('#feed .feed-item:has-text("En fjärde anteckning")')
    console.clock.fast_forward(9000)
    console.wait_for_function(f"() => {ANNOUNCED} === '1 ny anteckning'")
    for page in (console, projector, host):
        page.context.close()


def test_the_timer_announces_the_last_minutes_once_each(module_server, browser):
    page = browser.new_context(locale="sv-SE").new_page()
    page.clock.install()
    page.goto(module_server.demo["tables"][5]["url"])
    page.wait_for_selector('#connection[data-state="online"]')
    assert page.get_attribute("#countdown", "aria-live") == "off"
    page.evaluate("""() => {
        window.heard = [];
        const region = document.querySelector('#round-box .clock-announce');
        new MutationObserver(() => window.heard.push(region.textContent))
          .observe(region, {childList: true, characterData: true, subtree: true});
    }""")
    left_ms = page.evaluate("""() => {
        const round = JSON.parse(document.getElementById('round-box').dataset.round);
        return Date.parse(round.ends_at) - window.Dialogcafe.serverNow();
    }""")
    assert left_ms > 5 * 60 * 1000, "the demo café's round should have more than five minutes left"
    heard = []
    for mark in (300, 120, 60, 0):
        now_left = page.evaluate("""() => {
            const round = JSON.parse(document.getElementById('round-box').dataset.round);
            return Date.parse(round.ends_at) - window.Dialogcafe.serverNow();
        }""")
        page.clock.fast_forward(int(now_left - mark * 1000 + 500))
        for _ in range(5):  # five more seconds tick by: the countdown changes, the announcement does not
            page.clock.run_for(1000)
        heard = page.evaluate("() => window.heard")
    assert heard == ["5 minuter kvar", "2 minuter kvar", "1 minut kvar", "Tiden är ute"]
    page.context.close()


@pytest.mark.parametrize("motion, still", [("reduce", True), ("no-preference", False)])
def test_reduced_motion_switches_off_transitions_and_animations(module_server, browser, motion, still):
    page = browser.new_context(locale="sv-SE", reduced_motion=motion).new_page()
    page.goto(module_server.url + "/")
    durations = page.evaluate("""() => {
        const el = document.createElement('div');
        el.style.transition = 'opacity 2s'; el.style.animation = 'spin 3s infinite';
        document.querySelector('main').append(el);
        const style = getComputedStyle(el);
        return [parseFloat(style.transitionDuration), parseFloat(style.animationDuration),
                window.Dialogcafe.reducedMotion()];
    }""")
    if still:
        assert durations[0] < 0.01 and durations[1] < 0.01 and durations[2] is True
    else:
        assert durations == [2, 3, False]
    page.context.close()
