"""Removing a table or closing a café under a connected host: refused until the organizer confirms, in the
service, the planning pages and the API, and the pages say which tables have a host connected now."""
import pytest

from cafe.errors import ServiceError
from cafe.events import planning
from cafe.extensions import db
from cafe.models import Event
from tests.organizer.test_views import event_of, new_from_template, table_rows


@pytest.fixture
def organizer_client(login):
    """The demo organizer, logged in."""
    return login("organizer")


@pytest.fixture
def seated(app, sockets):
    """Connect a host page to a table of an event (by the table's index); returns the socket."""
    def connect(event_id: int, index: int = 0):
        table = event_of(app, event_id).tables[index]
        token = app.test_client().post("/api/v1/tables/join", json={"code": table.join_code}).get_json()["token"]
        sock = sockets("/table", auth={"token": token})
        assert sock.is_connected("/table")
        return sock
    return connect


def _rows_without_first(event) -> list[dict]:
    """The event's tables as service rows, the first one left out."""
    return [{"id": t.id, "name": t.name} for t in event.tables[1:]]


def test_the_service_refuses_to_remove_a_table_with_a_connected_host(app, organizer_client, seated):
    event_id = new_from_template(organizer_client)
    seated(event_id, 0)
    with app.app_context():
        event = db.session.get(Event, event_id)
        name = event.tables[0].display_name
        with pytest.raises(ServiceError) as refused:
            planning.set_tables(event, _rows_without_first(event))
        assert refused.value.code == "table_has_host" and refused.value.status == 409
        assert name in refused.value.message
        db.session.rollback()
        planning.forget_announced()
        event = db.session.get(Event, event_id)
        planning.set_tables(event, _rows_without_first(event), confirmed=True)
        db.session.commit()
    assert len(event_of(app, event_id).tables) == 7


def test_a_table_whose_host_left_is_removed_without_asking(app, organizer_client, seated):
    event_id = new_from_template(organizer_client)
    seated(event_id, 0).disconnect(namespace="/table")
    with app.app_context():
        event = db.session.get(Event, event_id)
        planning.set_tables(event, _rows_without_first(event))
        db.session.commit()
    assert len(event_of(app, event_id).tables) == 7


def test_the_tables_page_shows_connected_hosts_and_asks_before_removing(app, organizer_client, seated):
    event_id = new_from_template(organizer_client)
    seated(event_id, 0)
    event = event_of(app, event_id)
    page = organizer_client.get(f"/organizer/events/{event_id}/tables").get_data(as_text=True)
    assert page.count("Samtalsledare ansluten just nu") == 1
    asked = organizer_client.post(f"/organizer/events/{event_id}/tables", data={**table_rows(event), "remove": "0"})
    assert "Du tar bort ett bord där en samtalsledare är ansluten just nu: Bord 1." in asked.get_data(as_text=True)
    rows = {k: v for k, v in table_rows(event).items() if not k.startswith("tables-0-")}
    refused = organizer_client.post(f"/organizer/events/{event_id}/tables", data={**rows, "save": "1"})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "Bord 1 har en samtalsledare ansluten just nu" in text and 'id="confirm_remove"' in text
    assert len(event_of(app, event_id).tables) == 8
    saved = organizer_client.post(f"/organizer/events/{event_id}/tables",
                                  data={**rows, "save": "1", "confirm_remove": "y"})
    assert saved.status_code == 302 and len(event_of(app, event_id).tables) == 7


def test_closing_under_connected_hosts_needs_a_confirmation(app, organizer_client, seated):
    event_id = new_from_template(organizer_client)
    organizer_client.post(f"/organizer/events/{event_id}/status", data={"status": "live"})
    seated(event_id, 2)
    page = organizer_client.get(f"/organizer/events/{event_id}").get_data(as_text=True)
    assert "1 bord har en samtalsledare ansluten just nu: Bord 3." in page and 'id="confirm-closed"' in page
    refused = organizer_client.post(f"/organizer/events/{event_id}/status", data={"status": "closed"},
                                    follow_redirects=True)
    assert "Bekräfta att caféet ska avslutas" in refused.get_data(as_text=True)
    assert event_of(app, event_id).status == "live"
    organizer_client.post(f"/organizer/events/{event_id}/status", data={"status": "closed", "confirm": "1"})
    assert event_of(app, event_id).status == "closed"


def test_the_api_asks_for_confirm_too(app, client, demo, organizer_client, seated):
    event_id = new_from_template(organizer_client)
    token = client.post("/api/v1/auth/token", json={"email": demo["organizer"]["email"],
                                                    "password": "demo-password"}).get_json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    client.post(f"/api/v1/events/{event_id}/status", json={"status": "live"}, headers=auth)
    seated(event_id, 0)
    rows = _rows_without_first(event_of(app, event_id))
    refused = client.put(f"/api/v1/events/{event_id}/tables", json={"tables": rows}, headers=auth)
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "table_has_host"
    closing = client.post(f"/api/v1/events/{event_id}/status", json={"status": "closed"}, headers=auth)
    assert closing.status_code == 409 and closing.get_json()["error"]["code"] == "hosts_connected"
    assert client.put(f"/api/v1/events/{event_id}/tables", json={"tables": rows, "confirm": True},
                      headers=auth).status_code == 200
    assert client.post(f"/api/v1/events/{event_id}/status", json={"status": "closed", "confirm": True},
                       headers=auth).status_code == 200
