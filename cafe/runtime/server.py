"""The realtime server process, started by `flask --app cafe serve`, which patches gevent first."""
import argparse
import os
import sys


def _async_mode() -> str:
    """gevent when the standard library was patched by it, else threads."""
    if "gevent" in sys.modules:
        from gevent import monkey
        if monkey.is_module_patched("socket"):
            return "gevent"
    return "threading"


def _origins(host: str, port: int) -> dict:
    """PUBLIC_URL (the address it listens on when unset) and the origins whose sockets are accepted: PUBLIC_URL's
    and the server's own, so a browser opening the address the server was started on always gets its socket."""
    from ..realtime import origins
    own = origins.listening(host, port)
    public = os.environ.get("PUBLIC_URL", "").rstrip("/")
    settings = {"SOCKETIO_ORIGINS": list(dict.fromkeys([origins.origin_of(public), *own])) if public else own}
    if not public:
        settings["PUBLIC_URL"] = own[0] if host not in origins.ANY else f"http://127.0.0.1:{port}"
    return settings


def main() -> None:
    """Parse the address, build the app and serve HTTP and Socket.IO."""
    parser = argparse.ArgumentParser(description="Dialogcafé server")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    args = parser.parse_args()
    from .. import create_app
    from ..config import ConfigError
    from ..extensions import socketio
    from ..realtime import presence
    from ..storage import database
    from . import lifecycle
    try:
        app = create_app({"SOCKETIO_ASYNC_MODE": os.environ.get("SOCKETIO_ASYNC_MODE", _async_mode()),
                          **_origins(args.host, args.port)})
    except ConfigError as error:
        sys.exit(f"Dialogcafé kan inte starta: {error}")
    with app.app_context():
        if reason := database.schema_problem():
            sys.exit(f"Dialogcafé kan inte starta: {reason}")
    print(f"Socketar tas emot från {', '.join(app.config['SOCKETIO_ORIGINS'])} "
          f"(PUBLIC_URL={app.config['PUBLIC_URL']})", flush=True)
    if not app.config["REDIS_URL"]:
        with app.app_context():
            presence.clear()
    lifecycle.start(app)
    lifecycle.settle_memory()
    print(f"Dialogcafé lyssnar på http://{args.host}:{args.port} ({app.config['SOCKETIO_ASYNC_MODE']})",
          flush=True)
    try:
        socketio.run(app, host=args.host, port=args.port, log_output=False, allow_unsafe_werkzeug=True)
    except KeyboardInterrupt:  # Ctrl-C: its children see their stdin close and end too
        print("Dialogcafé stoppad.", flush=True)


if __name__ == "__main__":
    main()
