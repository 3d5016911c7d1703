"""What every server process runs beside its requests: the presence heartbeat, retention and synthesis."""
import gc
import logging

from flask import Flask

from ..extensions import db, socketio
from ..realtime import presence

log = logging.getLogger(__name__)


def _beat_forever(app: Flask) -> None:
    """Keep this process's presence rows fresh and expire those of dead processes."""
    while True:
        socketio.sleep(presence.HEARTBEAT_SECONDS)
        with app.app_context():
            try:
                presence.heartbeat()
            except Exception:  # the database may be restarting; try again at the next beat
                log.warning("presence heartbeat failed", exc_info=True)
                db.session.rollback()
            finally:
                db.session.remove()


def settle_memory() -> None:
    """Move everything loaded at start (the app, its libraries, the nlp models) out of the collector's
    sight: a full collection then walks only what requests create, so it pauses the process far less."""
    gc.collect()
    gc.freeze()


def start(app: Flask) -> None:
    """Start the process's background tasks."""
    from ..storage import checkpoints
    checkpoints.start(app)
    socketio.start_background_task(_beat_forever, app)
    from ..jobs import synthesis_child
    synthesis_child.start(app)
    from ..security.commands import start_retention
    start_retention(app)
    from ..jobs import processes
    processes.start(app)
