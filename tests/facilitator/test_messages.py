"""Short messages from the facilitator to every table."""
import pytest

from cafe.events import broadcasts
from tests.facilitator.conftest import control, received


def test_message_reaches_every_table_and_is_replayed(console, sockets, host_token):
    facilitator = console()
    hosts = [sockets("/table", auth={"token": host_token(n)}) for n in (1, 5)]
    before = hosts[0].emit("sync", {"since": 0}, namespace="/table", callback=True)["last_seq"]
    for host in hosts:
        host.get_received("/table")
    ack = facilitator.emit("message:send", {"text": "  5 minuter kvar  "}, namespace="/facilitator",
                           callback=True)
    assert ack["ok"] and ack["message"]["text"] == "5 minuter kvar"
    for host in hosts:
        [message] = received(host, "/table", "message:broadcast")
        assert message["text"] == "5 minuter kvar" and message["seq"] == ack["seq"]
        assert message["sender"] == "Processledare (demo)"
    replay = hosts[1].emit("sync", {"since": before}, namespace="/table", callback=True)["changes"]
    assert [c["type"] for c in replay] == ["message:broadcast"]


@pytest.mark.parametrize("payload, code", [
    ({"text": ""}, "empty_message"),
    ({"text": "   \n "}, "empty_message"),
    ({"text": "x" * 201}, "message_too_long"),
    ({"text": "ring\x07"}, "control_chars"),
    ({"text": 5}, "invalid_field"),
    ({}, "invalid_field"),
    ("5 minuter kvar", "invalid_payload"),
])
def test_bad_messages_are_refused(console, sockets, host_token, payload, code):
    facilitator = console()
    host = sockets("/table", auth={"token": host_token(1)})
    host.get_received("/table")
    ack = facilitator.emit("message:send", payload, namespace="/facilitator", callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == code
    assert received(host, "/table", "message:broadcast") == []


def test_200_characters_is_allowed(console):
    ack = console().emit("message:send", {"text": "å" * 200}, namespace="/facilitator", callback=True)
    assert ack["ok"] is True


def _live(app, demo):
    """The text of the message pages show now, or None."""
    with app.app_context():
        message = broadcasts.live_message(demo["event_id"])
        return message["text"] if message else None


def test_a_message_belongs_to_its_round(app, demo, console, sockets, host_token, client, unstarted):
    facilitator = console()
    host = sockets("/table", auth={"token": host_token(1)})
    assert _live(app, demo) is None
    control(facilitator, "round:start")
    host.get_received("/table")
    ack = facilitator.emit("message:send", {"text": "Fem minuter kvar"}, namespace="/facilitator", callback=True)
    assert ack["message"]["round_id"] == unstarted[0]
    [message] = received(host, "/table", "message:broadcast")
    assert message["round_id"] == unstarted[0]
    assert control(facilitator, "round:pause")["clear_messages"] is False
    assert _live(app, demo) == "Fem minuter kvar"  # a pause does not take it away
    assert "Fem minuter kvar" in client.get(demo["tables"][1]["url"].replace("http://testserver", "")).get_data(
        as_text=True)
    next_round = control(facilitator, "round:next")
    [change] = received(host, "/table", "round:updated")[-1:]
    assert next_round["clear_messages"] is True and change["clear_messages"] is True
    assert _live(app, demo) is None
    assert "Fem minuter kvar" not in client.get(demo["tables"][1]["url"].replace("http://testserver", "")).get_data(
        as_text=True)
    facilitator.emit("message:send", {"text": "Runda 2 har börjat"}, namespace="/facilitator", callback=True)
    assert _live(app, demo) == "Runda 2 har börjat"
    control(facilitator, "round:end")
    assert _live(app, demo) is None
