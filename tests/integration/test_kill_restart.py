"""Notes stream in from real clients, the server is killed with SIGKILL mid-stream and restarted:
every acknowledged note is stored exactly once and every client ends up with all of them."""
import threading
import time
from collections import Counter

import requests

from tests.integration.clients import Host, Watcher, host_token

HOSTS = 4
NOTES_PER_HOST = 15


def _stored_notes(server, token: str) -> list[dict]:
    """Every note of the demo event, read through the API."""
    reply = requests.get(f"{server.url}/api/v1/events/{server.demo['event_id']}/notes",
                         headers={"Authorization": f"Bearer {token}"}, timeout=10)
    reply.raise_for_status()
    return reply.json()["notes"]


def _api_token(server) -> str:
    """An organizer's API token."""
    creds = server.demo["organizer"]
    return requests.post(server.url + "/api/v1/auth/token", json=creds, timeout=10).json()["token"]


def test_sigkill_mid_stream_loses_and_duplicates_nothing(live_server):
    server = live_server
    hosts = [Host(server.url, host_token(server.url, t["join_code"])) for t in server.demo["tables"][:HOSTS]]
    projector_token = server.demo["projector_url"].split("token=")[1]
    projectors = [Watcher(server.url, "/projector", {"token": projector_token}) for _ in range(2)]
    console = Watcher(server.url, "/facilitator", {"event_id": server.demo["event_id"],
                                                   "token": _api_token(server)})
    deadline = time.monotonic() + 90
    halfway = threading.Barrier(HOSTS + 1)

    def stream(index: int, host: Host):
        for i in range(NOTES_PER_HOST):
            if i == NOTES_PER_HOST // 2:
                halfway.wait(timeout=60)
            host.send(f"bord {index + 1}: anteckning {i + 1}", deadline)
            time.sleep(0.02)

    threads = [threading.Thread(target=stream, args=(i, h)) for i, h in enumerate(hosts)]
    for thread in threads:
        thread.start()
    halfway.wait(timeout=60)
    time.sleep(0.15)  # let some notes be in flight when the server dies
    server.kill()
    time.sleep(1.0)
    server.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)

    acked = {cid for host in hosts for cid in host.acked}
    assert len(acked) == HOSTS * NOTES_PER_HOST
    notes = _stored_notes(server, _api_token(server))
    stored = Counter(n["client_id"] for n in notes)
    assert all(stored[cid] == 1 for cid in acked), "an acknowledged note is missing or stored twice"
    assert max(stored.values()) == 1
    acked = {n["id"] for n in notes if n["client_id"] in acked}  # watchers know notes by their server id

    watchers = projectors + [console]
    limit = time.monotonic() + 30
    while time.monotonic() < limit and not all(acked <= set(w.notes) for w in watchers):
        time.sleep(0.2)
    for watcher in watchers:
        assert acked <= set(watcher.notes), f"{watcher.namespace} is missing notes"
    for client in hosts + watchers:
        client.close()
