"""A plan changed while the café runs reaches the pages open on it: `event:updated`, live and on `sync`."""
from cafe.extensions import db
from cafe.models import Table
from tests.facilitator.conftest import received


def _tables(app, event_id: int) -> list[dict]:
    """The event's tables as the planning form sends them."""
    with app.app_context():
        rows = db.session.scalars(db.select(Table).where(Table.event_id == event_id).order_by(Table.number))
        return [{"id": t.id, "name": t.name or "", "host_name": t.host_name or ""} for t in rows]


def test_renaming_a_table_reaches_consoles_hosts_and_later_syncs(app, client, api_token, console, sockets,
                                                                  host_token, demo):
    sock = console()
    host = sockets("/table", {"token": host_token(1)})
    host.get_received("/table")
    rows = _tables(app, demo["event_id"])
    rows[0]["name"] = "Bord 1 – nytt namn"
    reply = client.put(f"/api/v1/events/{demo['event_id']}/tables", json={"tables": rows},
                       headers={"Authorization": f"Bearer {api_token('organizer')}"})
    assert reply.status_code == 200, reply.get_json()
    [change] = received(sock, "/facilitator", "event:updated")
    assert change["what"] == "tables" and change["tables"][0]["name"] == "Bord 1 – nytt namn"
    assert "join_code" not in str(change)
    assert received(host, "/table", "event:updated")[0]["seq"] == change["seq"]
    synced = sock.emit("sync", {"since": change["seq"] - 1}, namespace="/facilitator", callback=True)
    assert [c["type"] for c in synced["changes"]] == ["event:updated"]


def test_a_refused_plan_change_sends_nothing(app, login, console, demo):
    sock = console()
    organizer = login("organizer")
    reply = organizer.post(f"/organizer/events/{demo['event_id']}/status", data={"status": "nonsens"})
    assert reply.status_code == 302
    with app.app_context():
        from cafe.models import Event
        assert db.session.get(Event, demo["event_id"]).status != "nonsens"
    assert received(sock, "/facilitator", "event:updated") == []


def test_the_organizers_form_announces_new_details(app, login, console, demo):
    sock = console()
    organizer = login("organizer")
    page = organizer.get(f"/organizer/events/{demo['event_id']}/edit")
    assert page.status_code == 200
    reply = organizer.post(f"/organizer/events/{demo['event_id']}/edit", data={
        "title": "Nytt namn på caféet", "date": "2027-03-01", "place": "Stadshuset", "description": ""})
    assert reply.status_code == 302, reply.get_data(as_text=True)[-2000:]
    [change] = received(sock, "/facilitator", "event:updated")
    assert change["what"] == "details" and change["event"]["title"] == "Nytt namn på caféet"
