"""Sending one message to several audiences at the cost of one.

A note goes to its table's hosts, the event's consoles and the event's projectors: three rooms in
three namespaces. Flask-SocketIO's `emit` takes one room of one namespace, so with the Redis message
queue each note cost three publishes, each received and decoded by every server process, and a
projector on another process waited for the third. `emit_many` sends the message to every audience
in this process and publishes it once; `emit_each` does the same for messages that differ per room
(a synthesis pass's suggestions for each table with news).

`Packet` leaves out python-socketio's search of every outgoing message for binary attachments: this
protocol sends JSON only, and the search walked every value of every message.
"""
from collections.abc import Iterable

import socketio

from ..extensions import socketio as flask_socketio

Target = tuple[str, str]  # (namespace, room)


class Packet(socketio.packet.Packet):
    """A Socket.IO packet whose data is always JSON (no binary attachments)."""

    uses_binary_events = False


class RedisManager(socketio.RedisManager):
    """Flask-SocketIO's Redis message queue, with one publish for a message to several rooms."""

    def emit_many(self, event: str, data: dict, targets: list[Target]) -> None:
        """Send `data` to each (namespace, room) here, and to the other processes in one publish."""
        self._emit_everywhere(event, *targets[0], data, targets=[list(t) for t in targets])

    def emit_each(self, event: str, items: list[tuple[str, str, dict]]) -> None:
        """Send each (namespace, room, data) here, and all of them to the other processes in one publish."""
        self._emit_everywhere(event, *items[0], each=[list(i) for i in items])

    def _emit_everywhere(self, event: str, namespace: str, room: str, data: dict, **audiences) -> None:
        """Handle an emit here and publish it, as python-socketio's own `emit` does. The message also
        names its first audience the usual way, so a process without `audiences` still reaches that."""
        message = {"method": "emit", "event": event, "data": [data], "binary": False, "namespace": namespace,
                   "room": room, "skip_sid": None, "callback": None, "host_id": self.host_id, **audiences}
        self._handle_emit(message)
        self._publish(message)

    def _handle_emit(self, message: dict) -> None:
        """An emit with several audiences reaches each; any other is python-socketio's."""
        if "targets" in message:
            for namespace, room in message["targets"]:
                socketio.Manager.emit(self, message["event"], message["data"][0], namespace=namespace, room=room)
        elif "each" in message:
            for namespace, room, data in message["each"]:
                socketio.Manager.emit(self, message["event"], data, namespace=namespace, room=room)
        else:
            super()._handle_emit(message)


def emit_many(event: str, data: dict, targets: Iterable[Target]) -> None:
    """Send one message to several (namespace, room) audiences, one publish when on a message queue."""
    targets = list(targets)
    if not targets:
        return
    manager = flask_socketio.server.manager
    if isinstance(manager, RedisManager):
        manager.emit_many(event, data, targets)
    else:
        for namespace, room in targets:
            flask_socketio.emit(event, data, to=room, namespace=namespace)


def emit_each(event: str, items: Iterable[tuple[str, str, dict]]) -> None:
    """Send a message per (namespace, room, data), one publish for all when on a message queue."""
    items = list(items)
    if not items:
        return
    manager = flask_socketio.server.manager
    if isinstance(manager, RedisManager):
        manager.emit_each(event, items)
    else:
        for namespace, room, data in items:
            flask_socketio.emit(event, data, to=room, namespace=namespace)
