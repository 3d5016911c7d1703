"""Round control through a real server: a facilitator's API client starts a round and two table hosts'
python-socketio clients receive the same `round:updated` with the same end time."""
import queue
import threading

import requests
import socketio

from tests.integration.clients import host_token
from tests.support import socket_client


def _listening_host(server, number: int, inbox: queue.Queue) -> socketio.Client:
    """A host client that puts every `round:updated` it receives into `inbox`."""
    sio = socket_client(reconnection=False)
    sio.on("round:updated", lambda message: inbox.put((number, message)), namespace="/table")
    token = host_token(server.url, server.demo["tables"][number - 1]["join_code"])
    sio.connect(server.url, namespaces=["/table"], auth={"token": token}, transports=["websocket"],
                wait_timeout=10)
    return sio


def test_round_change_reaches_two_hosts(live_server):
    server = live_server
    creds = server.demo["facilitator"]
    api = requests.post(server.url + "/api/v1/auth/token", json=creds, timeout=10).json()["token"]
    inbox: queue.Queue = queue.Queue()
    hosts = [_listening_host(server, n, inbox) for n in (1, 2)]
    console = socket_client(reconnection=False)
    console.connect(server.url, namespaces=["/facilitator"], transports=["websocket"], wait_timeout=10,
                    auth={"event_id": server.demo["event_id"], "token": api})
    try:
        ack = console.call("round:extend", {"minutes": 5}, namespace="/facilitator", timeout=10)
        assert ack["ok"], ack
        got = sorted(inbox.get(timeout=10) for _ in hosts)
        assert [number for number, _ in got] == [1, 2]
        for _, message in got:
            assert message["seq"] == ack["seq"] and message["action"] == "extend"
            assert message["round"]["ends_at"] == ack["round"]["ends_at"]
            assert message["round"]["extra_minutes"] == 5
    finally:
        _disconnect_all([console, *hosts])


def _disconnect_all(clients: list[socketio.Client]) -> None:
    """Disconnect the clients at the same time (each waits a few seconds for the server's goodbye)."""
    threads = [threading.Thread(target=c.disconnect) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
