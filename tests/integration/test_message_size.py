"""A socket message over the size limit is refused at the transport and stores nothing; the server
keeps serving everybody else."""
import time
import uuid

import requests
import socketio

from tests.integration.clients import host_token
from tests.support import socket_client


def _connect(server, token: str) -> socketio.Client:
    """A host client without automatic reconnection, so a dropped connection stays dropped."""
    sio = socket_client(reconnection=False)
    sio.connect(server.url, namespaces=["/table"], auth={"token": token}, transports=["websocket"],
                wait_timeout=10)
    return sio


def test_oversize_message_drops_only_that_connection(live_server):
    server = live_server
    token = host_token(server.url, server.demo["tables"][0]["join_code"])
    attacker, neighbour = _connect(server, token), _connect(server, token)
    huge = {"client_id": str(uuid.uuid4()), "text": "x" * (200 * 1024)}
    try:
        attacker.call("note:add", huge, namespace="/table", timeout=5)
        answered = True
    except (socketio.exceptions.TimeoutError, socketio.exceptions.DisconnectedError,
            socketio.exceptions.BadNamespaceError):
        answered = False
    assert not answered, "a 200 KB message must not be processed"
    deadline = time.monotonic() + 10
    while attacker.connected and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not attacker.connected
    ack = neighbour.call("note:add", {"client_id": str(uuid.uuid4()), "text": "vanlig anteckning"},
                        namespace="/table", timeout=10)
    assert ack["ok"] is True
    creds = server.demo["organizer"]
    api = requests.post(server.url + "/api/v1/auth/token", json=creds, timeout=10).json()["token"]
    notes = requests.get(f"{server.url}/api/v1/events/{server.demo['event_id']}/notes",
                         headers={"Authorization": f"Bearer {api}"}, timeout=10).json()["notes"]
    assert huge["client_id"] not in {n["client_id"] for n in notes}
    neighbour.disconnect()
