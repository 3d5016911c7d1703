"""The facilitator's messages belong to their round: "Fem minuter kvar" sent in round 1 shows on the host
pages and the console during round 1, goes away when round 2 starts, and hosts who join later or a console
that reloads see only the current round's message."""
from tests.browser.test_run_round import _before_first_round, _open_console

SHOWN = "#broadcast-text"


def _host(browser, server, number: int):
    """A host's phone on its table's page, connected and caught up."""
    page = browser.new_context(locale="sv-SE").new_page()
    page.set_default_timeout(15000)
    page.goto(server.demo["tables"][number - 1]["url"])
    page.wait_for_selector('#connection[data-state="online"]')
    page.wait_for_function("() => window.DialogcafeHost && window.DialogcafeHost.synced()")
    return page


def _send(console, text: str) -> None:
    """The facilitator sends a message to every table."""
    console.fill("#message-text", text)
    console.click("#message-form button[type=submit]")
    console.wait_for_selector(f"#message-live:has-text('{text}')")


def test_a_message_goes_away_with_its_round(live_server, browser, context, tmp_path, assert_accessible):
    server = live_server
    _before_first_round(str(tmp_path / "live.sqlite3"))
    console = _open_console(context, server)
    console.set_default_timeout(15000)
    host = _host(browser, server, 1)
    console.click('[data-control="round:start"]')
    host.wait_for_function("() => document.querySelector('#round-label').textContent === 'Runda 1'")
    _send(console, "Fem minuter kvar")
    host.wait_for_selector(f"{SHOWN}:has-text('Fem minuter kvar')")
    joined = _host(browser, server, 2)
    assert joined.inner_text(SHOWN) == "Fem minuter kvar"  # the round's message is still live

    console.click('[data-control="round:next"]')
    for page in (host, joined):
        page.wait_for_function("() => document.querySelector('#round-label').textContent === 'Runda 2'")
        page.wait_for_function("() => document.querySelector('#broadcast-text').textContent === ''")
        assert page.get_attribute("#broadcast", "data-shown") != "true"
    console.wait_for_function("() => document.querySelector('#message-live').textContent === ''")
    late = _host(browser, server, 3)
    assert late.inner_text(SHOWN) == ""
    console.reload()
    console.wait_for_selector('#connection[data-state="online"]')
    console.wait_for_timeout(500)
    assert console.inner_text("#message-live") == ""

    _send(console, "Runda 2 har börjat")
    late.wait_for_selector(f"{SHOWN}:has-text('Runda 2 har börjat')")
    later = _host(browser, server, 4)
    assert later.inner_text(SHOWN) == "Runda 2 har börjat"
    later.reload()
    later.wait_for_selector('#connection[data-state="online"]')
    assert later.inner_text(SHOWN) == "Runda 2 har börjat"
    assert_accessible(later)
    console.reload()
    console.wait_for_selector("#message-live:has-text('Runda 2 har börjat')")
    assert_accessible(console)
    for page in (host, joined, late, later):
        page.context.close()
