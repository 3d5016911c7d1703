"""One message for several audiences: plain-JSON packets, and per-table messages of one synthesis pass.

Across processes (one publish on the Redis message queue) this is tested in test_cluster.py.
"""
import pytest
import socketio as python_socketio

from cafe.extensions import socketio
from cafe.realtime import broadcast, fanout


def test_the_server_sends_plain_json_packets(app):
    assert socketio.server.packet_class is fanout.Packet
    data = ["note:added", {"note": {"text": "Å <b>fet</b>", "tags": [1, {"x": None}]}}]
    stock = python_socketio.packet.Packet(data=data, namespace="/projector")
    assert fanout.Packet(data=data, namespace="/projector").encode() == stock.encode()
    with pytest.raises(TypeError):  # this protocol has no binary attachments
        fanout.Packet(data=["x", b"\x00"]).encode()


def test_each_table_gets_its_own_suggestions_from_one_message(app, demo, sockets, host_token):
    hosts = [sockets("/table", {"token": host_token(n)}) for n in (1, 2, 3)]
    first, second = (demo["tables"][n]["id"] for n in (0, 1))
    for host in hosts:
        host.get_received("/table")
    message = {str(first): {"suggested": [[101, 3]]}, str(second): {"suggested": [[102, 5], [103, None]]}}
    broadcast.relay("synthesis:suggested", message, demo["event_id"], broadcast.TABLES)
    got = [[m["args"][0] for m in host.get_received("/table") if m["name"] == "synthesis:suggested"]
           for host in hosts]
    assert got == [[{"suggested": [[101, 3]]}], [{"suggested": [[102, 5], [103, None]]}], []]

