"""A full round seen from a host page and the console: start, countdown on the host page and the projector
(on server time, even with a wrong browser clock), a note with an accepted point suggestion reaching the
console's feed, one without a choice getting its suggestion from the synthesis pass, a message to all
tables, the end of the round and the next one; axe-core checks both pages."""
import re
import sqlite3

from tests.browser.conftest import login

NOTE = "Vi behöver administratörer som tar över bokningar av tolk och arkivering"
UNCHOSEN = "Mentor till alla nyanställda under första året"
WRONG_CLOCK = """(() => { const realNow = Date.now.bind(Date); Date.now = () => realNow() + 3600 * 1000; })();"""


def _before_first_round(database: str) -> None:
    """Put the demo café back before its first round, as it is when the day begins."""
    with sqlite3.connect(database) as conn:
        conn.execute("UPDATE rounds SET started_at = NULL, ended_at = NULL, paused_at = NULL, "
                     "paused_seconds = 0, extra_minutes = 0")
        conn.execute("UPDATE events SET status = 'draft'")


def _open_console(context, server):
    """The facilitator's console, logged in and connected."""
    console = context.new_page()
    creds = server.demo["facilitator"]
    login(console, server.url, creds["email"], creds["password"])
    console.goto(server.demo["facilitator_url"])
    console.wait_for_selector('#connection[data-state="online"]')
    return console


def test_a_full_round_from_host_page_and_console(live_server, browser, context, tmp_path, assert_accessible):
    server = live_server
    _before_first_round(str(tmp_path / "live.sqlite3"))
    console = _open_console(context, server)
    host_context = browser.new_context(locale="sv-SE")
    host_context.add_init_script(WRONG_CLOCK)
    host = host_context.new_page()
    errors = []
    for page in (host, console):
        page.on("pageerror", lambda error: errors.append(str(error)))
    host.goto(server.demo["tables"][0]["url"])
    host.wait_for_selector('#connection[data-state="online"]')
    assert host.inner_text("#countdown") == "Rundan har inte startat"

    projector = host_context.new_page()
    projector.goto(server.demo["projector_url"])
    console.click('[data-control="round:start"]')
    host.wait_for_function("() => document.querySelector('#round-label').textContent === 'Runda 1'")
    projector.wait_for_function("() => /^2[45]:\\d\\d kvar$/.test("
                                "document.querySelector('#projector-clock .countdown').textContent)")
    projector.close()
    host.wait_for_function("() => /^2[45]:\\d\\d kvar$/.test(document.querySelector('#countdown').textContent)")
    console.wait_for_function("() => /^2[45]:\\d\\d kvar$/.test(document.querySelector('#console-countdown').textContent)")

    count = console.locator(".table-card").first.locator(".per-round li").first.locator(".round-count")
    before = int(count.inner_text())
    host.type("#note-text", NOTE, delay=5)
    host.wait_for_selector(".point-chip", timeout=30000)
    first = host.locator(".point-chip").first
    assert re.match(r"6\. ", first.inner_text())
    first.click()
    assert host.eval_on_selector("#point-select", "s => s.value") == "6"
    host.press("#note-text", "Enter")
    host.wait_for_selector('#note-list .note[data-status="saved"] .note-point:has-text("(vald)")')

    host.fill("#note-text", UNCHOSEN)
    host.press("#note-text", "Enter")
    host.wait_for_selector(f'#note-list .note[data-status="saved"]:has-text("{UNCHOSEN}")')
    console.wait_for_selector(f'#feed .feed-item:has-text("{UNCHOSEN}") .feed-point:has-text("(förslag)")',
                              timeout=30000)
    item = console.wait_for_selector(f'#feed .feed-item:has-text("{NOTE}")')
    assert "(bekräftad)" in item.inner_text() and "6. " in item.inner_text()
    console.select_option("#filter-point", "6")
    console.wait_for_selector(f'#feed .feed-item:has-text("{NOTE}")')
    console.check("#filter-starred")
    console.wait_for_selector(f'#feed .feed-item:has-text("{NOTE}")', state="detached")
    console.uncheck("#filter-starred")
    console.select_option("#filter-point", "")
    assert int(count.inner_text()) == before + 2

    console.fill("#message-text", "5 minuter kvar")
    console.click("#message-form button[type=submit]")
    host.wait_for_selector('#broadcast-text:has-text("5 minuter kvar")')
    assert_accessible(host)
    assert_accessible(console)

    console.click('[data-control="round:end"]')
    host.wait_for_function("() => document.querySelector('#countdown').textContent === 'Rundan är slut'")
    console.wait_for_selector('[data-control="round:end"]:disabled')
    console.click('[data-control="round:next"]')
    host.wait_for_function("() => document.querySelector('#round-label').textContent === 'Runda 2'")
    assert host.is_checked('input[name=level][value="enhet"]')
    assert errors == []
    host_context.close()
