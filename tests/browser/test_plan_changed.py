"""An organizer changes the plan while a host page and the console are open: both offer a reload (the
host's unsent note survives it), and the pages stay accessible with the notice shown."""
import requests

from tests.browser.test_run_round import _open_console


def _rename_first_table(server, name: str) -> None:
    """The organizer renames table 1 through the planning API."""
    token = requests.post(server.url + "/api/v1/auth/token", json=server.demo["organizer"], timeout=10).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    event = requests.get(f"{server.url}/api/v1/events/{server.demo['event_id']}/tables", headers=headers, timeout=10)
    tables = [{"id": t["id"], "name": t["name"], "host_name": t["host_name"] or ""} for t in event.json()["tables"]]
    tables[0]["name"] = name
    reply = requests.put(f"{server.url}/api/v1/events/{server.demo['event_id']}/tables", json={"tables": tables},
                         headers=headers, timeout=10)
    assert reply.status_code == 200, reply.text


def test_a_changed_plan_offers_a_reload_and_loses_nothing(live_server, context, assert_accessible):
    server = live_server
    console = _open_console(context, server)
    host = context.new_page()
    host.goto(server.demo["tables"][0]["url"])
    host.wait_for_selector('#connection[data-state="online"]')
    assert host.locator("#plan-changed").is_hidden()
    _rename_first_table(server, "Bord 1 – omdöpt")
    for page in (host, console):
        page.wait_for_selector("#plan-changed", state="visible")
        assert_accessible(page)
    host.fill("#note-text", "Skriven precis före omladdningen")
    host.context.set_offline(True)
    host.press("#note-text", "Enter")
    host.click("#plan-changed [data-reload]")
    host.wait_for_load_state()
    host.context.set_offline(False)
    host.wait_for_selector('#connection[data-state="online"]')
    host.wait_for_function("() => document.body.textContent.includes('Skriven precis före omladdningen')")
    console.click("#plan-changed [data-reload]")
    console.wait_for_selector('#connection[data-state="online"]')
    assert "Bord 1 – omdöpt" in console.inner_text("#table-grid")
