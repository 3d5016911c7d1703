"""Who is asking: tokens for hosts, projectors and API clients, and the rules of access."""
import secrets
from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from ..errors import ServiceError
from ..extensions import db
from ..models import Event, Table, User

JOIN_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: easy to read and type on a phone
JOIN_LENGTH = 8


@dataclass(frozen=True)
class Principal:
    """The party behind a request or a socket: anonymous, host, projector or user."""

    kind: str
    user: User | None = None
    table: Table | None = None
    event: Event | None = None

    @property
    def is_user(self) -> bool:
        """True for a logged-in organizer, facilitator or project lead."""
        return self.kind == "user" and self.user is not None


ANONYMOUS = Principal("anonymous")


def bearer_token(header: str) -> str | None:
    """The token of an `Authorization: Bearer ...` header; None for no header, 401 for any other scheme."""
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ServiceError("unauthorized", status=401)
    return token.strip()


def principal_for(token: str | None, user: User | None = None) -> Principal:
    """Who is calling: the token's party, else the logged-in user, else anonymous."""
    if token:
        return resolve(token)
    if user is not None:
        return Principal("user", user=user)
    return ANONYMOUS


def _serializer() -> URLSafeTimedSerializer:
    """The signer for host and API tokens, keyed by the app's secret."""
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="dialogcafe.token")


def new_join_code() -> str:
    """Return a fresh join code that no table uses."""
    while True:
        code = "".join(secrets.choice(JOIN_ALPHABET) for _ in range(JOIN_LENGTH))
        if db.session.scalar(select(Table.id).where(Table.join_code == code)) is None:
            return code


def format_join_code(code: str) -> str:
    """Show a join code in two easy-to-read halves, e.g. ABCD-2345."""
    return f"{code[:4]}-{code[4:]}"


def normalize_join_code(value) -> str:
    """Clean what a host typed: case, spaces and dashes do not matter."""
    if not isinstance(value, str) or len(value) > 40:
        raise ServiceError("invalid_code", status=400)
    return "".join(c for c in value.upper() if c.isalnum())


def new_projector_token() -> str:
    """Return a new secret for an event's projector link."""
    return secrets.token_urlsafe(24)


def host_token(table: Table) -> str:
    """Issue a token bound to one table; rotating the table's token_version revokes it.

    The join code binds it to this very table: SQLite may give a removed table's id to a new one.
    """
    return _serializer().dumps({"k": "host", "t": table.id, "v": table.token_version, "c": table.join_code})


def user_token(user: User) -> str:
    """Issue an API token for a user; changing the user's token_version revokes it."""
    return _serializer().dumps({"k": "user", "u": user.id, "v": user.token_version})


def join(code) -> tuple[Table, str]:
    """Find the table for a join code and issue its host token."""
    table = db.session.scalar(select(Table).where(Table.join_code == normalize_join_code(code)))
    if table is None:
        raise ServiceError("invalid_code", status=404)
    if table.event.status == "closed":
        raise ServiceError("event_closed", status=409)
    return table, host_token(table)


def resolve(token) -> Principal:
    """Return the principal a token stands for, or refuse it."""
    if not isinstance(token, str) or not token or len(token) > 512:
        raise ServiceError("invalid_token", status=401)
    projector = _projector(token)
    if projector is not None:
        return projector
    try:
        data = _serializer().loads(token, max_age=current_app.config["HOST_TOKEN_MAX_AGE"])
    except (BadSignature, SignatureExpired):
        raise ServiceError("invalid_token", status=401) from None
    return _from_claims(data)


def _projector(token: str) -> Principal | None:
    """Return a projector principal when the token is an event's projector secret."""
    if "." in token:
        return None
    event = db.session.scalar(select(Event).where(Event.projector_token == token))
    return Principal("projector", event=event) if event is not None else None


def _from_claims(data) -> Principal:
    """Turn verified token claims into a principal, checking revocation."""
    if not isinstance(data, dict):
        raise ServiceError("invalid_token", status=401)
    if data.get("k") == "host":
        table = db.session.get(Table, data.get("t"))
        if table is None or data.get("c", table.join_code) != table.join_code:
            raise ServiceError("table_removed", status=401)
        if table.token_version != data.get("v"):
            raise ServiceError("invalid_token", status=401)
        return Principal("host", table=table, event=table.event)
    if data.get("k") == "user":
        user = db.session.get(User, data.get("u"))
        if user is None or user.token_version != data.get("v"):
            raise ServiceError("invalid_token", status=401)
        return Principal("user", user=user)
    raise ServiceError("invalid_token", status=401)


def can_facilitate(principal: Principal, event: Event) -> bool:
    """Organizers of the event's administration and the event's facilitators may run it."""
    if not principal.is_user:
        return False
    user = principal.user
    if user.role == "organizer":
        return user.administration_id is None or user.administration_id == event.administration_id
    return user.role == "facilitator" and any(f.id == user.id for f in event.facilitators)


def can_read_event(principal: Principal, event: Event) -> bool:
    """Facilitators, the event's projector and its administration's project leads may read it."""
    if principal.kind == "projector":
        return principal.event is not None and principal.event.id == event.id
    if principal.is_user and principal.user.role == "project_lead":
        return principal.user.administration_id == event.administration_id
    return can_facilitate(principal, event)


def can_read_table(principal: Principal, table: Table) -> bool:
    """A host reads their own table; whoever reads the event reads all its tables."""
    if principal.kind == "host":
        return principal.table is not None and principal.table.id == table.id
    return can_read_event(principal, table.event)


def visible_events(principal: Principal) -> list[Event]:
    """The events a principal may list."""
    if principal.kind in ("host", "projector"):
        return [principal.event]
    if not principal.is_user:
        return []
    events = db.session.scalars(select(Event).order_by(Event.date.desc(), Event.id.desc()))
    return [e for e in events if can_read_event(principal, e)]
