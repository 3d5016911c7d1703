"""A table host types three notes, one while the server is down: after the restart all three are
saved once and visible on the facilitator's page."""
from collections import Counter

import requests

from tests.browser.conftest import login

SAVED = '#note-list .note[data-status="saved"]'


def _type_note(page, text: str) -> None:
    """Type a note and press Enter."""
    page.fill("#note-text", text)
    page.press("#note-text", "Enter")


def test_note_typed_while_server_is_down_is_saved_after_restart(live_server, context, assert_accessible):
    server = live_server
    host = context.new_page()
    host.goto(server.demo["tables"][0]["url"])
    host.wait_for_selector('#connection[data-state="online"]')
    assert_accessible(host)

    _type_note(host, "Introduktionsprogram med mentor första månaden")
    host.wait_for_selector(f'{SAVED}:has-text("Introduktionsprogram med mentor")')

    server.kill()
    host.wait_for_selector('#connection[data-state="offline"]', timeout=20000)
    _type_note(host, "Skrivet när nätet var nere: admin tar bokningar")
    host.wait_for_selector('#note-list .note[data-status="pending"]')
    assert "Skrivet när nätet var nere" in host.evaluate("localStorage.getItem(Object.keys(localStorage)"
                                                           ".find(k => k.endsWith(':outbox')))")

    server.start()
    host.wait_for_selector('#connection[data-state="online"]', timeout=30000)
    _type_note(host, "Tredje anteckningen efter omstarten")
    for text in ("Introduktionsprogram med mentor", "Skrivet när nätet var nere", "Tredje anteckningen"):
        host.wait_for_selector(f'{SAVED}:has-text("{text}")', timeout=30000)

    console = context.new_page()
    creds = server.demo["facilitator"]
    login(console, server.url, creds["email"], creds["password"])
    console.goto(server.demo["facilitator_url"])
    for text in ("Introduktionsprogram med mentor", "Skrivet när nätet var nere", "Tredje anteckningen"):
        console.wait_for_selector(f'#feed .feed-item:has-text("{text}")', timeout=15000)
    assert_accessible(console)

    token = requests.post(server.url + "/api/v1/auth/token", json=creds, timeout=10).json()["token"]
    notes = requests.get(f"{server.url}/api/v1/events/{server.demo['event_id']}/notes",
                         headers={"Authorization": f"Bearer {token}"}, timeout=10).json()["notes"]
    counts = Counter(n["text"] for n in notes)
    for text in ("Introduktionsprogram med mentor första månaden",
                 "Skrivet när nätet var nere: admin tar bokningar", "Tredje anteckningen efter omstarten"):
        assert counts[text] == 1


def test_pending_note_survives_a_reload_while_the_server_is_down(live_server, context):
    server = live_server
    host = context.new_page()
    host.goto(server.demo["tables"][1]["url"])
    host.wait_for_selector('#connection[data-state="online"]')
    assert host.evaluate("navigator.serviceWorker.ready.then(() => true)")
    host.reload()  # the service worker now controls the page and has cached it
    host.wait_for_selector('#connection[data-state="online"]')
    server.kill()
    host.wait_for_selector('#connection[data-state="offline"]', timeout=20000)
    _type_note(host, "Sparas i telefonen under omladdningen")
    host.wait_for_selector('#note-list .note[data-status="pending"]')
    host.reload()  # served from the service worker's cache while the server is down
    host.wait_for_selector('#note-list .note[data-status="pending"]:has-text("Sparas i telefonen")')
    server.start()
    host.wait_for_selector('#note-list .note[data-status="saved"]:has-text("Sparas i telefonen")', timeout=30000)
