"""Two gunicorn+gevent app processes on PostgreSQL and a Redis message queue: broadcasts cross
processes, the queue can go down and come back, /metrics moves, and small load and fault runs."""
import json
import time
import uuid

import psutil
import pytest
import requests
import socketio

from bench import common
from bench.services import RedisServer
from cafe.runtime.cluster import AppProcess, Nginx, SynthesisProcess
from tests import support

pytestmark = pytest.mark.timeout(180)


def _skip_without_services() -> None:
    """Skip with a reason when Redis, PostgreSQL or nginx is missing here."""
    import shutil
    if not RedisServer.available():
        pytest.skip("redis-server is not installed")
    if not support.pg_available():
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432")
    if not shutil.which("nginx") and not shutil.which("/usr/sbin/nginx"):
        pytest.skip("nginx is not installed")


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    """Two app processes on one fresh PostgreSQL database and our own Redis, plus nginx in front."""
    _skip_without_services()
    redis = RedisServer().start()
    db_url = support.fresh_pg_database()
    env = common.base_env(db_url, "http://127.0.0.1", REDIS_URL=redis.url, SYNTHESIS_WORKER="external")
    common.run_flask(env, "db", "upgrade")
    demo = json.loads(common.run_flask(env, "demo", "--json").strip().splitlines()[-1])
    cafes = json.loads(common.run_flask(env, str(common.ROOT / "bench" / "seed.py"), "1", "12"))
    folder = tmp_path_factory.mktemp("pair")
    ports = [support.free_port() for _ in range(2)]
    # Each process accepts websocket-client's Origin header of its own address.
    apps = [AppProcess(port, {**env, "PUBLIC_URL": f"http://127.0.0.1:{port}"}, folder) for port in ports]
    for app in apps:
        app.start()
    synthesis = SynthesisProcess(env, folder)
    synthesis.start()
    nginx = Nginx(folder, "127.0.0.1", support.free_port(), [a.port for a in apps])
    nginx.start()
    yield {"apps": apps, "redis": redis, "demo": demo, "cafes": cafes, "nginx": nginx, "env": env,
           "synthesis": synthesis}
    nginx.stop()
    synthesis.stop()
    for app in apps:
        app.stop()
    redis.close()
    support.drop_pg_database(db_url)


def _client(url: str, namespace: str, auth: dict, events=("note:added",)) -> tuple[socketio.Client, list]:
    """A connected python-socketio client and the list its broadcasts land in."""
    sio = support.socket_client(reconnection=True, reconnection_delay=0.3, randomization_factor=0.5)
    received = []
    for name in events:
        sio.on(name, lambda message, name=name: received.append((name, message)), namespace=namespace)
    sio.connect(url, namespaces=[namespace], auth=auth, transports=["websocket"], wait_timeout=10)
    return sio, received


def _wait_for(predicate, timeout: float = 10) -> bool:
    """Poll until predicate() is true."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def _table(pair, number: int = 0) -> dict:
    """A host's auth for one of the benchmark café's tables."""
    return {"token": pair["cafes"]["events"][0]["tables"][number]["token"]}


def _projector(pair) -> dict:
    """The projector's auth of the benchmark café."""
    return {"token": pair["cafes"]["events"][0]["projector_token"]}


def _add(host: socketio.Client, text: str) -> dict:
    """Send a note and return its ack."""
    return host.call("note:add", {"client_id": str(uuid.uuid4()), "text": text}, namespace="/table", timeout=10)


def test_note_on_one_process_reaches_projector_on_the_other(pair):
    a, b = pair["apps"]
    projector, received = _client(b.url, "/projector", _projector(pair))
    host, _ = _client(a.url, "/table", _table(pair))
    try:
        ack = _add(host, "Introduktion för nyanställda behövs")
        assert ack["ok"]
        assert _wait_for(lambda: any(m["note"]["id"] == ack["note"]["id"] for _, m in received))
    finally:
        host.disconnect()
        projector.disconnect()


def test_a_note_is_one_message_on_the_queue_for_all_its_audiences(pair):
    """Projectors, consoles and the table's hosts on other processes get a note from one publish."""
    import redis
    a, _ = pair["apps"]
    listener = redis.Redis.from_url(pair["redis"].url).pubsub(ignore_subscribe_messages=True)
    listener.subscribe("flask-socketio")
    host, _ = _client(a.url, "/table", _table(pair, 5))
    try:
        ack = _add(host, "Ett meddelande på kön räcker")
        assert ack["ok"]
        published, deadline = [], time.monotonic() + 3
        while time.monotonic() < deadline:
            message = listener.get_message(timeout=0.2)
            if message and b"Ett meddelande p" in message["data"]:
                published.append(json.loads(message["data"]))
    finally:
        host.disconnect()
        listener.close()
    assert len(published) == 1, published
    event_room = f"event:{pair['cafes']['events'][0]['id']}"
    audiences = published[0]["each"]  # each audience with its own payload: projectors get the lean note
    assert published[0]["event"] == "note:added" and [a[:2] for a in audiences] == [
        ["/projector", event_room], ["/facilitator", event_room], ["/table", f"table:{ack['note']['table_id']}"]]
    assert "client_id" not in audiences[0][2]["note"] and audiences[1][2]["note"]["client_id"] == ack["note"]["client_id"]


def test_one_synthesis_service_feeds_consoles_on_both_processes(pair):
    """Notes through either process reach the one service; its themes reach consoles on both."""
    a, b = pair["apps"]
    auth = {"token": pair["cafes"]["organizer_token"], "event_id": pair["cafes"]["events"][0]["id"]}
    consoles = [_client(app.url, "/facilitator", auth, events=("synthesis:updated",)) for app in (a, b)]
    hosts = [_client(app.url, "/table", _table(pair, n), events=("synthesis:suggested",)) for n, app in ((1, a), (2, b))]
    try:
        ids = [_add(host, text)["note"]["id"] for (host, _), text in zip(hosts, (
            "Mentor för nyanställda första månaden", "Introduktion med checklista för nya kollegor"))]
        for _, received in consoles:
            assert _wait_for(lambda received=received: set(ids) <= {row[0] for _, m in received for row in m["suggested"]},
                             timeout=60), "a console never got the synthesis of both notes"
        for note_id, (_, received) in zip(ids, hosts):  # each host gets its own table's suggestions only
            assert _wait_for(lambda received=received: received, timeout=30), "a host got no suggestions"
            assert {row[0] for _, m in received for row in m["suggested"]} == {note_id}
        assert pair["synthesis"].process.poll() is None
        for app in (a, b):
            assert not [p for p in psutil.Process(app.process.pid).children(recursive=True)
                        if "cafe.runtime synthesis" in " ".join(p.cmdline())]
    finally:
        for sio, _ in consoles + hosts:
            sio.disconnect()


def test_event_wide_change_on_one_process_reaches_hosts_on_the_other(pair):
    """The demo's rounds are all run, so the facilitator's event-wide change here is a broadcast message."""
    a, b = pair["apps"]
    demo = pair["demo"]
    tokens = [requests.post(b.url + "/api/v1/tables/join", json={"code": table["join_code"]}, timeout=10)
              .json()["token"] for table in demo["tables"][:2]]
    hosts = [_client(b.url, "/table", {"token": token}, events=("message:broadcast",)) for token in tokens]
    console, _ = _client(a.url, "/facilitator", {"token": pair["cafes"]["organizer_token"],
                                                 "event_id": demo["event_id"]})
    try:
        ack = console.call("message:send", {"text": "Fem minuter kvar"}, namespace="/facilitator", timeout=10)
        assert ack["ok"], ack
        for _, received in hosts:
            assert _wait_for(lambda received=received: received), "a host on the other process got nothing"
    finally:
        console.disconnect()
        for sio, _ in hosts:
            sio.disconnect()


def test_message_queue_outage_and_recovery(pair):
    a, b = pair["apps"]
    projector, received = _client(b.url, "/projector", _projector(pair))
    host, _ = _client(a.url, "/table", _table(pair, 3))
    try:
        pair["redis"].stop()
        assert requests.get(a.url + "/healthz", timeout=5).status_code == 503
        during = _add(host, "Skrivs medan meddelandekön ligger nere")
        assert during["ok"], "notes are still stored while the queue is down"
        pair["redis"].start()
        assert _wait_for(lambda: requests.get(a.url + "/healthz", timeout=5).status_code == 200)
        # The queue's listeners reconnect with back-off; a later note arrives and shows the gap.
        assert _wait_for(lambda: _add(host, "Efter avbrottet")["ok"] and any(
            m["note"]["text"] == "Efter avbrottet" for _, m in received), timeout=30)
        replay = projector.call("sync", {"since": during["note"]["seq"] - 1}, namespace="/projector", timeout=10)
        assert during["note"]["client_id"] in {c.get("note", {}).get("client_id") for c in replay["changes"]}
    finally:
        if pair["redis"].process.poll() is not None:
            pair["redis"].start()
        host.disconnect()
        projector.disconnect()


def _scrape(url: str) -> dict:
    """The samples of a /metrics page, by name and labels."""
    from prometheus_client.parser import text_string_to_metric_families
    text = requests.get(url + "/metrics", timeout=5).text
    return {(s.name, tuple(sorted((k, v) for k, v in s.labels.items() if k != "process"))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def test_metrics_move_when_traffic_flows(pair):
    a = pair["apps"][0]
    before = _scrape(a.url)
    host, _ = _client(a.url, "/table", _table(pair, 4))
    try:
        for n in range(3):
            assert _add(host, f"Mätbar anteckning {n}")["ok"]
        after = _scrape(a.url)
    finally:
        host.disconnect()
    assert after[("dialogcafe_notes_total", ())] >= before[("dialogcafe_notes_total", ())] + 3
    assert after[("dialogcafe_connected_clients", (("namespace", "/table"),))] >= 1
    count = ("dialogcafe_ack_seconds_count", (("event", "on_note_add"),))
    assert after[count] >= before.get(count, 0) + 3
    assert ("dialogcafe_job_queue_depth", ()) in after
    assert requests.get(pair["nginx"].url + "/metrics", timeout=5).status_code == 403


def test_small_load_through_nginx(pair):
    """Tens of clients for a few seconds through the proxy: all held, nothing lost or duplicated."""
    cafes = {**pair["cafes"], "events": [{**e, "tables": e["tables"][5:12]} for e in pair["cafes"]["events"]]}
    confs = common.client_confs(cafes, pair["nginx"].url, hosts_per_table=3, projectors=4, facilitators=2,
                                rate=2.0, sources=8)
    figures = common.analyse(common.run_clients(confs, 1, duration=4, ramp=1, drain=15, settle=1), 4)
    assert figures["refused"] == 0 and figures["held"] == len(confs["hosts"]) + len(confs["watchers"])
    assert figures["unacked"] == 0 and figures["lost"] == 0 and figures["duplicated"] == 0


def test_small_faults_kill_and_drop(pair):
    """kill -9 one process and drop a fifth of the clients mid-stream: every acked note reaches everyone."""
    import threading
    confs = common.client_confs(pair["cafes"], pair["nginx"].url, projectors=3, rate=2.0, sources=8)
    victim = pair["apps"][1]

    def crash():
        time.sleep(3)
        victim.kill()
        victim.start(wait=False)
    killer = threading.Thread(target=crash)
    killer.start()
    result = common.run_clients(confs, 1, duration=8, ramp=1, drain=40, settle=2,
                                drops=[{"at": 5, "fraction": 0.2, "seconds": 3}])
    killer.join()
    figures = common.analyse(result, 8)
    assert figures["unacked"] == 0 and figures["lost"] == 0 and figures["duplicated"] == 0
