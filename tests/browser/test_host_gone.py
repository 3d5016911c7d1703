"""A table removed or a café closed under a connected host: the organizer is warned and must confirm, the
host is told in plain words at once, the note form stops, and the host's unsent text stays on the phone and
can be copied out, also after a reload."""
import pytest
import requests

from tests.browser.conftest import login
from tests.browser.test_host_offline import _type_note

GONE = "#host-gone"
UNSENT = "#unsent-text"


def _api(server) -> dict:
    """The organizer's API headers."""
    token = requests.post(server.url + "/api/v1/auth/token", json=server.demo["organizer"], timeout=10).json()["token"]
    return {"Authorization": f"Bearer {token}"}


def _add_table(server, name: str) -> str:
    """The organizer adds a table (through the planning API); returns its join code."""
    url = f"{server.url}/api/v1/events/{server.demo['event_id']}/tables"
    tables = requests.get(url, headers=_api(server), timeout=10).json()["tables"]
    rows = [{"id": t["id"], "name": t["name"], "host_name": t["host_name"] or ""} for t in tables]
    reply = requests.put(url, json={"tables": rows + [{"name": name}]}, headers=_api(server), timeout=10)
    assert reply.status_code == 200, reply.text
    return next(t["join_code"] for t in reply.json()["tables"] if t["name"] == name)


@pytest.fixture
def host(browser, live_server):
    """A host's phone that may write to its clipboard."""
    context = browser.new_context(locale="sv-SE")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()


def _organizer(context, server):
    """The organizer, logged in."""
    page = context.new_page()
    page.set_default_timeout(15000)
    login(page, server.url, server.demo["organizer"]["email"], server.demo["organizer"]["password"])
    return page


def _copy_with_the_keyboard(host) -> str:
    """Reach the copy button with Tab, press Enter, and read the clipboard."""
    host.focus(UNSENT)
    host.keyboard.press("Tab")
    assert host.evaluate("document.activeElement.id") == "copy-unsent"
    host.keyboard.press("Enter")
    host.wait_for_selector("#copy-unsent-status:has-text('Kopierat')")
    return host.evaluate("navigator.clipboard.readText()")


def test_a_table_removed_under_its_host(live_server, browser, host, context, assert_accessible):
    server = live_server
    code = _add_table(server, "Extrabordet")
    host.goto(f"{server.url}/t/{code}")
    host.wait_for_selector('#connection[data-state="online"]')
    host.fill("#note-text", "Tyst rum för samtal med klienter")
    away = browser.new_context(locale="sv-SE").new_page()  # a second phone at the table, offline meanwhile
    away.goto(f"{server.url}/t/{code}")
    away.wait_for_selector('#connection[data-state="online"]')
    away.context.set_offline(True)
    away.wait_for_selector('#connection[data-state="offline"]', timeout=30000)

    organizer = _organizer(context, server)
    organizer.goto(f"{server.url}/organizer/events/{server.demo['event_id']}/tables")
    last = organizer.locator(".row-card").last
    assert "Samtalsledare ansluten" in last.inner_text()
    last.locator("button[name=remove]").click()
    organizer.click("button[name=save] >> nth=0")
    assert "Extrabordet" in organizer.inner_text(".flashes")
    assert "ansluten" in organizer.inner_text(".flashes")
    assert_accessible(organizer)
    organizer.check("#confirm_remove")
    organizer.click("button[name=save] >> nth=0")
    organizer.wait_for_selector(".flash-info:has-text('Borden är sparade')")

    host.wait_for_selector(f"{GONE}:has-text('Bordet har tagits bort')")
    assert host.is_disabled("#note-form button[type=submit]")
    assert host.get_attribute("#connection", "data-state") == "gone"
    assert host.input_value("#note-text") == "Tyst rum för samtal med klienter"
    assert "Tyst rum för samtal med klienter" in host.input_value(UNSENT)
    assert "Tyst rum för samtal med klienter" in _copy_with_the_keyboard(host)
    assert_accessible(host)

    host.reload()
    assert "Tyst rum för samtal med klienter" in host.input_value(UNSENT)
    assert "Tyst rum för samtal med klienter" in _copy_with_the_keyboard(host)
    assert_accessible(host)
    assert host.errors == []

    away.context.set_offline(False)  # its reconnect is refused: the table is gone
    away.wait_for_selector(f"{GONE}:has-text('Bordet har tagits bort')", timeout=30000)
    assert away.is_disabled("#note-form button[type=submit]")
    away.context.close()


def test_a_cafe_closed_under_its_host(live_server, host, context, assert_accessible):
    server = live_server
    host.goto(server.demo["tables"][0]["url"])
    host.wait_for_selector('#connection[data-state="online"]')
    organizer = _organizer(context, server)
    organizer.goto(f"{server.url}/organizer/events/{server.demo['event_id']}")
    assert "1 bord har en samtalsledare ansluten" in organizer.inner_text("#connected-hosts")
    assert_accessible(organizer)
    organizer.click("button:has-text('Avsluta caféet')")
    assert "bekräfta" in organizer.inner_text(".flashes").lower()
    assert organizer.inner_text(".status") == "Pågår"

    host.context.set_offline(True)  # a note waits in the outbox and another is being typed when the café closes
    host.wait_for_selector('#connection[data-state="offline"]', timeout=30000)
    _type_note(host, "Skickas när nätet kommer tillbaka")
    host.wait_for_selector('#note-list .note[data-status="pending"]')
    host.fill("#note-text", "Halvskriven när caféet stängdes")
    organizer.check("#confirm-closed")
    organizer.click("button:has-text('Avsluta caféet')")
    organizer.wait_for_selector(".status-closed")

    host.context.set_offline(False)
    host.wait_for_selector(f"{GONE}:has-text('Caféet är avslutat')", timeout=30000)
    assert host.is_disabled("#note-form button[type=submit]")
    unsent = host.input_value(UNSENT)
    assert "Skickas när nätet kommer tillbaka" in unsent and "Halvskriven när caféet stängdes" in unsent
    assert host.input_value("#note-text") == "Halvskriven när caféet stängdes"
    assert "Skickas när nätet kommer tillbaka" in _copy_with_the_keyboard(host)
    assert_accessible(host)
    host.reload()
    assert "Skickas när nätet kommer tillbaka" in host.input_value(UNSENT)
    assert host.errors == []


def test_a_cafe_closed_from_the_console_stops_the_form_live(live_server, host, context):
    server = live_server
    host.goto(server.demo["tables"][1]["url"])
    host.wait_for_selector('#connection[data-state="online"]')
    host.fill("#note-text", "Skrivs medan processledaren avslutar")
    console = context.new_page()
    login(console, server.url, server.demo["facilitator"]["email"], server.demo["facilitator"]["password"])
    console.goto(server.demo["facilitator_url"])
    console.wait_for_selector('#connection[data-state="online"]')
    console.on("dialog", lambda dialog: dialog.accept())
    console.click('[data-control="event:close"]')
    host.wait_for_selector(f"{GONE}:has-text('Caféet är avslutat')", timeout=10000)
    assert host.is_disabled("#note-form button[type=submit]")
    assert host.input_value("#note-text") == "Skrivs medan processledaren avslutar"
