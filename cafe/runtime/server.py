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
    from . import lifecycle
    try:
        app = create_app({"SOCKETIO_ASYNC_MODE": os.environ.get("SOCKETIO_ASYNC_MODE", _async_mode())})
    except ConfigError as error:
        sys.exit(f"Dialogcafé kan inte starta: {error}")
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
