"""The bare Flask-SocketIO relay the benchmarks compare with: the same namespaces, events, fan-out
and note message as the app, but no database, no authentication, no validation.

    python bench/relay.py --port 5900
    python bench/relay.py --port 5901 --redis-url redis://127.0.0.1:6379/0   # one of several, behind a proxy

With `--redis-url` several relay processes share their broadcasts through Redis, as the app's
processes do, so a cluster of the app can be compared with a cluster of the relay.
"""
from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import itertools  # noqa: E402
from collections import defaultdict  # noqa: E402

from flask import Flask, request  # noqa: E402
from flask_socketio import SocketIO, join_room  # noqa: E402
from relay_message import relayed_note  # noqa: E402  (bench/ is the script's folder)

app = Flask(__name__)
socketio = SocketIO(async_mode="gevent", cors_allowed_origins="*", ping_interval=10, ping_timeout=10)
SEQ: dict = defaultdict(lambda: itertools.count(1))  # one seq per event, as in the app
SHARED = None  # with several processes, the seq counters live in Redis (as the app's live in its database)
ROOMS: dict[str, dict] = {}


def _join(auth) -> dict:
    """Join the rooms the client names in its auth payload (the relay trusts everyone)."""
    auth = auth if isinstance(auth, dict) else {}
    ROOMS[request.sid] = auth
    join_room(f"event:{auth.get('event_id')}")
    if auth.get("table_id") is not None:
        join_room(f"table:{auth['table_id']}")
    return auth


@socketio.on("connect", namespace="/table")
def on_table_connect(auth=None):
    """A host joins its table's and event's rooms."""
    _join(auth)


@socketio.on("connect", namespace="/projector")
def on_projector_connect(auth=None):
    """A projector joins its event's room."""
    _join(auth)


@socketio.on("connect", namespace="/facilitator")
def on_facilitator_connect(auth=None):
    """A console joins its event's room."""
    _join(auth)


@socketio.on("note:add", namespace="/table")
def on_note_add(payload):
    """Relay the note to the table, the consoles and the projectors, and ack it."""
    who = ROOMS.get(request.sid, {})
    seq = SHARED.incr(f"relay-seq:{who.get('event_id')}") if SHARED else next(SEQ[who.get("event_id")])
    note = relayed_note(payload, who, seq)
    message = {"type": "note:added", "seq": seq, "note": note}
    socketio.emit("note:added", message, to=f"table:{who.get('table_id')}", namespace="/table")
    for namespace in ("/facilitator", "/projector"):
        socketio.emit("note:added", message, to=f"event:{who.get('event_id')}", namespace=namespace)
    return {"ok": True, "note": note}


def on_sync(payload=None):
    """Nothing is kept, so there is never anything to catch up on."""
    return {"ok": True, "changes": [], "more": False, "last_seq": 0}


for _namespace in ("/table", "/projector", "/facilitator"):
    socketio.on("sync", namespace=_namespace)(on_sync)
    socketio.on("disconnect", namespace=_namespace)(lambda *_: ROOMS.pop(request.sid, None))


@app.route("/healthz")
def healthz():
    """Answer when running."""
    return {"status": "ok"}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=5900)
    parser.add_argument("--redis-url", help="share broadcasts with other relay processes through this Redis")
    args = parser.parse_args()
    if args.redis_url:
        import redis
        SHARED = redis.Redis.from_url(args.redis_url)
    socketio.init_app(app, message_queue=args.redis_url)
    socketio.run(app, host="127.0.0.1", port=args.port, log_output=False)
