"""Round control on /facilitator: start, pause, resume, extend, next, end, close, and who may do it."""
from datetime import UTC, datetime, timedelta

import pytest

from cafe.events import rounds
from cafe.extensions import db
from cafe.models import Event, Round
from tests.facilitator.conftest import control, received


def _parse(value: str) -> datetime:
    """Read an ISO timestamp from a payload."""
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def test_start_reaches_every_host_console_and_projector(console, sockets, host_token, demo, unstarted):
    facilitator, other_console = console(), console("organizer")
    hosts = [sockets("/table", auth={"token": host_token(n)}) for n in (1, 2)]
    projector = sockets("/projector", auth={"token": demo["projector_url"].split("token=")[1]})
    for sock, ns in [(h, "/table") for h in hosts] + [(projector, "/projector")]:
        sock.get_received(ns)
    ack = control(facilitator, "round:start")
    assert ack["ok"] and ack["action"] == "start" and ack["event_status"] == "live"
    assert ack["round"]["id"] == unstarted[0] and ack["round"]["status"] == "running"
    ends_at, now = _parse(ack["round"]["ends_at"]), _parse(ack["server_now"])
    assert abs((ends_at - now).total_seconds() - ack["round"]["duration_seconds"]) < 2
    for sock, ns in [(h, "/table") for h in hosts] + [(projector, "/projector"),
                                                      (other_console, "/facilitator")]:
        [message] = received(sock, ns, "round:updated")
        assert message["seq"] == ack["seq"] and message["round"]["ends_at"] == ack["round"]["ends_at"]


def test_sync_replays_the_round_change_after_a_reconnect(console, sockets, host_token, unstarted):
    host = sockets("/table", auth={"token": host_token(3)})
    before = host.emit("sync", {"since": 0}, namespace="/table", callback=True)["last_seq"]
    ack = control(console(), "round:start")
    changes = host.emit("sync", {"since": before}, namespace="/table", callback=True)["changes"]
    assert [(c["type"], c["seq"]) for c in changes] == [("round:updated", ack["seq"])]


@pytest.mark.parametrize("db_url", ["sqlite", "postgresql"], indirect=True)
def test_pause_resume_extend_next_end_close_in_order(console, unstarted, note_payload, sockets, host_token):
    facilitator = console()
    assert control(facilitator, "round:start")["round"]["status"] == "running"
    paused = control(facilitator, "round:pause")["round"]
    assert paused["status"] == "paused" and paused["ends_at"] is None
    assert control(facilitator, "round:resume")["round"]["status"] == "running"
    extended = control(facilitator, "round:extend", {"minutes": 5})["round"]
    assert extended["extra_minutes"] == 5
    assert extended["duration_seconds"] == (extended["planned_minutes"] + 5) * 60
    after_next = control(facilitator, "round:next")
    assert after_next["round"]["id"] == unstarted[1]
    assert [r["status"] for r in after_next["rounds"]] == ["ended", "running", "planned"]
    host = sockets("/table", auth={"token": host_token(1)})
    note = host.emit("note:add", note_payload("Mentor till nya"), namespace="/table", callback=True)["note"]
    assert note["round_id"] == unstarted[1]
    ended = control(facilitator, "round:end")
    assert [r["status"] for r in ended["rounds"]] == ["ended", "ended", "planned"]
    closed = control(facilitator, "event:close")
    assert closed["event_status"] == "closed"
    assert control(facilitator, "round:start")["error"]["code"] == "event_closed"
    refused = host.emit("note:add", note_payload(), namespace="/table", callback=True)
    assert refused["error"]["code"] == "event_closed"


def test_pause_and_extend_arithmetic(app, demo, unstarted, monkeypatch):
    t0 = datetime(2026, 12, 3, 13, 0, tzinfo=UTC)
    clock = {"now": t0}
    monkeypatch.setattr(rounds, "utcnow", lambda: clock["now"])
    with app.app_context():
        event = db.session.get(Event, demo["event_id"])
        rounds.start(event, {})
        planned = event.rounds[0].planned_minutes * 60
        clock["now"] = t0 + timedelta(seconds=60)
        rounds.pause(event)
        clock["now"] = t0 + timedelta(seconds=180)
        assert event.rounds[0].timing(clock["now"])["remaining_seconds"] == planned - 60
        rounds.resume(event)
        rounds.extend(event, {"minutes": 5})
        rnd = db.session.get(Round, unstarted[0])
        assert rnd.paused_seconds == 120 and rnd.extra_minutes == 5
        timing = rnd.timing(t0 + timedelta(seconds=240))
        assert timing["remaining_seconds"] == planned + 300 - (240 - 120)
        assert _parse(timing["ends_at"]) == t0 + timedelta(seconds=planned + 300 + 120)
        clock["now"] = t0 + timedelta(seconds=300)
        rounds.pause(event)
        clock["now"] = t0 + timedelta(seconds=400)
        rounds.end(event)
        assert rnd.paused_seconds == 220 and rnd.paused_at is None
        assert rnd.timing()["remaining_seconds"] == planned + 300 - (400 - 220)


@pytest.mark.parametrize("name, payload, code", [
    ("round:pause", {}, "round_not_running"),
    ("round:resume", {}, "round_not_running"),
    ("round:end", {}, "round_not_running"),
    ("round:extend", {"minutes": 5}, "round_not_running"),
    ("round:extend", {"minutes": 0}, "invalid_minutes"),
    ("round:extend", {"minutes": 61}, "invalid_minutes"),
    ("round:extend", {"minutes": "5"}, "invalid_minutes"),
    ("round:extend", {"minutes": True}, "invalid_minutes"),
    ("round:extend", None, "invalid_payload"),
    ("round:start", {"round_id": 999999}, "round_not_found"),
    ("round:start", {"round_id": "1"}, "invalid_field"),
    ("round:start", [1], "invalid_payload"),
])
def test_bad_controls_are_refused_and_store_nothing(console, unstarted, name, payload, code):
    facilitator = console()
    before = facilitator.emit("sync", {"since": 0}, namespace="/facilitator", callback=True)["last_seq"]
    ack = facilitator.emit(name, payload, namespace="/facilitator", callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == code and ack["error"]["message"]
    after = facilitator.emit("sync", {"since": 0}, namespace="/facilitator", callback=True)["last_seq"]
    assert after == before


def test_state_conflicts(console, unstarted):
    facilitator = console()
    control(facilitator, "round:start")
    assert control(facilitator, "round:start")["error"]["code"] == "round_running"
    assert control(facilitator, "round:resume")["error"]["code"] == "round_not_paused"
    control(facilitator, "round:pause")
    assert control(facilitator, "round:pause")["error"]["code"] == "round_not_running"
    control(facilitator, "round:end")
    ended = control(facilitator, "round:start", {"round_id": unstarted[0]})
    assert ended["error"]["code"] == "round_ended"
    control(facilitator, "round:next")
    control(facilitator, "round:next")
    assert control(facilitator, "round:next")["error"]["code"] == "no_next_round"


def test_a_host_cannot_control_rounds(sockets, host_token, unstarted):
    host = sockets("/table", auth={"token": host_token(1)})
    for name in ("round:start", "round:end", "event:close", "message:send"):
        assert host.emit(name, {}, namespace="/table", callback=True)["error"]["code"] == "unknown_event"
    assert [m for m in host.get_received("/table") if m["name"] == "round:updated"] == []
    state = host.emit("sync", {"since": 0}, namespace="/table", callback=True)["changes"]
    assert not [c for c in state if c["type"] == "round:updated"]


def test_project_lead_and_facilitator_of_another_event_are_refused(app, sockets, login, demo, api_token):
    with app.app_context():
        other = Event(title="Ett annat café", projector_token="other-token", status="live")
        other.rounds.append(Round(number=1, planned_minutes=20))
        db.session.add(other)
        db.session.commit()
        other_id = other.id
    for role in ("facilitator", "project_lead"):
        sock = sockets("/facilitator", auth={"event_id": other_id}, flask_client=login(role))
        assert not sock.is_connected("/facilitator")
    by_token = sockets("/facilitator", auth={"event_id": other_id, "token": api_token("facilitator")})
    assert not by_token.is_connected("/facilitator")
    lead = sockets("/facilitator", auth={"event_id": demo["event_id"]}, flask_client=login("project_lead"))
    assert not lead.is_connected("/facilitator")


def test_a_facilitator_removed_from_the_event_is_refused_at_the_next_control(app, console, demo, unstarted):
    facilitator = console()
    with app.app_context():
        event = db.session.get(Event, demo["event_id"])
        event.facilitators.clear()
        db.session.commit()
    ack = control(facilitator, "round:start")
    assert ack["error"]["code"] == "forbidden"


def test_current_round_id_matches_the_events_choice(app, demo):
    from datetime import timedelta

    from cafe.events.rounds import current_round_id
    from cafe.models import Event, utcnow
    with app.app_context():
        event = db.session.get(Event, demo["event_id"])
        now = utcnow()
        cases = [  # (started, ended) per round
            [(None, None)] * 3,
            [(now, now), (None, None), (None, None)],
            [(now, now), (now, None), (None, None)],
            [(now, now), (now, now), (now, now)],
        ]
        for states in cases:
            for rnd, (started, ended) in zip(event.rounds, states):
                rnd.started_at = started and started - timedelta(minutes=rnd.number)
                rnd.ended_at = ended
            db.session.flush()
            assert current_round_id(event.id) == event.current_round().id
