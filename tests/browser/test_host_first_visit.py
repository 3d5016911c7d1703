"""A host opens the table link once and then loses the wifi: the first visit installed what the page needs,
so a reload on dead wifi opens the page, a typed note waits in the outbox and is sent when back online."""
from tests.browser.test_host_offline import SAVED, _type_note


def _offline(host, server) -> None:
    """Dead wifi: the browser is offline, and the server is stopped too, so no request can reach it
    whatever the offline switch covers (Playwright's has not covered service workers in every version)."""
    host.context.set_offline(True)
    server.kill()


def _online(host, server) -> None:
    """The wifi is back."""
    server.start()
    host.context.set_offline(False)


def test_a_reload_on_dead_wifi_right_after_the_first_visit_opens_the_page(live_server, context):
    server = live_server
    table = server.demo["tables"][2]
    host = context.new_page()
    host.goto(table["url"])
    host.wait_for_selector('#connection[data-state="online"]')
    host.wait_for_selector('body[data-offline-ready="true"]', timeout=15000)

    _offline(host, server)
    host.reload()
    assert host.inner_text("h1") == table["name"]
    _type_note(host, "Skriven offline direkt efter första besöket")
    host.wait_for_selector('#note-list .note[data-status="pending"]:has-text("Skriven offline direkt")')
    assert "Skriven offline direkt" in host.evaluate(
        "localStorage.getItem(Object.keys(localStorage).find(k => k.endsWith(':outbox')))")

    _online(host, server)
    host.wait_for_selector(f'{SAVED}:has-text("Skriven offline direkt")', timeout=30000)
