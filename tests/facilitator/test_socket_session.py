"""A logged-in console's session cookie is read when its socket connects, not again for every event."""
from cafe.realtime.sockets import SessionInterface


def test_events_use_the_session_saved_at_connect(app, console, monkeypatch):
    assert isinstance(app.session_interface, SessionInterface)
    decoded = []
    serializer = app.session_interface.get_signing_serializer

    def counting(flask_app):
        decoded.append(1)
        return serializer(flask_app)
    monkeypatch.setattr(app.session_interface, "get_signing_serializer", counting)
    sock = console()
    after_connect = len(decoded)
    assert after_connect >= 1  # the connect reads the login from the cookie
    for _ in range(3):  # still the logged-in facilitator, without reading the cookie again
        ack = sock.emit("presence:list", {}, namespace="/facilitator", callback=True)
        assert ack["ok"] and ack["tables"]
    assert len(decoded) == after_connect


def test_pages_still_read_the_session_cookie(app, login):
    client = login("facilitator")
    assert client.get("/").status_code == 200
    with client.session_transaction() as session:
        assert session.get("_user_id")
