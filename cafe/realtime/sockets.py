"""What every socket handler shares: who the socket is, error acks, the rate limit, and the session it keeps.

The handlers themselves live in each area's events.py.
"""
import functools
import logging
import time

from flask import current_app, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user
from flask_socketio import ConnectionRefusedError

from ..errors import ServiceError
from ..extensions import db, socketio
from ..ops import metrics
from . import protocol

log = logging.getLogger(__name__)


class SessionInterface(SecureCookieSessionInterface):
    """Flask's cookie sessions, decoded once per socket instead of once per socket event.

    Flask opens the session for every request context, and Flask-SocketIO pushes one for every event;
    but from a socket's first event on, Flask-SocketIO swaps that session for the copy it keeps for the
    socket (`saved_session` in the socket's WSGI environ), so checking the cookie's signature again for
    every note was wasted work on the note's path.
    """

    def open_session(self, app, request):
        """An empty session where Flask-SocketIO replaces it at once; otherwise the cookie's."""
        if "saved_session" in request.environ:
            return self.session_class()
        return super().open_session(app, request)


def register(event: str, namespace: str, handler, doc: str):
    """Register a generated handler under a readable name and the docstring that says who sends it."""
    handler.__name__ = handler.__qualname__ = "on_" + event.replace(":", "_")
    handler.__doc__ = doc
    socketio.on(event, namespace=namespace)(handler)
    return handler


def authenticate(auth):
    """Find the principal of a connecting socket from its auth token or login session.

    The app's authenticator (`app.extensions["cafe.authenticate"]`, set by the factory) turns the token
    and the logged-in user into a principal with `kind`, `user`, `table` and `event`; realtime itself knows
    no token format and no rule of access.
    """
    token = auth.get("token") if isinstance(auth, dict) else None
    user = current_user._get_current_object() if current_user.is_authenticated else None
    return current_app.extensions["cafe.authenticate"](token, user)


def refusal(error: ServiceError) -> ConnectionRefusedError:
    """A refused connection: the client's connect error has the code as its message and the error as its data."""
    return ConnectionRefusedError(error.code, error.to_dict())


def connect_as(auth, kind: str):
    """Authenticate a connecting socket that must be of one kind, or refuse the connection."""
    try:
        principal = authenticate(auth)
    except ServiceError as error:
        raise refusal(error) from None
    if principal.kind != kind:
        raise refusal(ServiceError("forbidden"))
    remember(principal)
    return principal


def remember(principal) -> None:
    """Keep who this socket is, per namespace, for later events."""
    session[f"who:{request.namespace}"] = {
        "kind": principal.kind,
        "user_id": principal.user.id if principal.user else None,
        "table_id": principal.table.id if principal.table else None,
        "event_id": principal.event.id if principal.event else None,
    }


def remembered() -> dict:
    """Return what was remembered at connect for this socket's namespace."""
    who = session.get(f"who:{request.namespace}")
    if who is None:
        raise ServiceError("unauthorized", status=401)
    return who


def within_rate() -> bool:
    """Take one event from this socket's token bucket (SOCKET_EVENTS_PER_SECOND, burst SOCKET_BURST).

    A host resending a long outbox after a reconnect is slowed down, not refused for good: the error
    ack `too_many_requests` makes the page try again a little later.
    """
    rate = current_app.config.get("SOCKET_EVENTS_PER_SECOND") or 0
    if rate <= 0:
        return True
    burst = current_app.config.get("SOCKET_BURST") or rate
    now = time.monotonic()
    tokens, at = session.get("rate") or (burst, now)
    tokens = min(burst, tokens + (now - at) * rate)
    if tokens < 1:
        session["rate"] = (tokens, now)
        return False
    session["rate"] = (tokens - 1, now)
    return True


def acked(handler):
    """Turn a handler's ServiceError into an error ack, and any crash into an 'internal' ack."""
    @functools.wraps(handler)
    def wrapper(*args):
        started = time.perf_counter()
        try:
            if not within_rate():
                raise ServiceError("too_many_requests", status=429)
            return handler(*args)
        except ServiceError as error:
            db.session.rollback()
            return {"ok": False, "error": error.to_dict()}
        except Exception:  # the server must keep running whatever a client sends
            db.session.rollback()
            log.exception("socket handler %s failed", handler.__name__)
            return {"ok": False, "error": ServiceError("internal").to_dict()}
        finally:
            db.session.remove()
            metrics.observe_ack(wrapper.__name__, time.perf_counter() - started)
    return wrapper


def refuse_unknown(namespace: str) -> None:
    """Answer an event name the namespace does not know with an error ack instead of silence."""
    def on_unknown(event, *_payload):
        raise ServiceError("unknown_event", event=str(event)[:60])
    register("*", namespace, acked(on_unknown), "Any client: an event name the namespace does not handle; the "
             "ack is the error `unknown_event`.")


for _namespace in protocol.NAMESPACES:
    refuse_unknown(_namespace)
