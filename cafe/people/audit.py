"""Recording administrative actions and logins in the audit log; callable from any area."""
from flask import has_request_context, request
from sqlalchemy import select

from ..extensions import db
from ..models import Event, User
from ..models.audit import AuditEntry


def _actor(actor) -> tuple[int | None, str]:
    """A user id and a label for whoever acted: a User, a Principal, a string or None."""
    user = getattr(actor, "user", None) if not isinstance(actor, User) else actor
    if isinstance(user, User):
        return user.id, user.email
    if getattr(actor, "kind", None) == "host" and actor.table is not None:
        return None, f"host:table:{actor.table.id}"
    if getattr(actor, "kind", None):
        return None, actor.kind
    return None, str(actor or "system")


def _target(target) -> str:
    """A short label for what was acted on: a model as `table:id`, or the string given."""
    if target is None:
        return ""
    table = getattr(target, "__tablename__", None)
    if table is not None:
        return f"{table}:{getattr(target, 'id', '')}"
    return str(target)[:200]


def _administration(actor, target) -> int | None:
    """The administration an entry belongs to: that of what was acted on, else that of the actor."""
    found = getattr(target, "administration_id", None)
    if found is None and getattr(target, "event", None) is not None:  # a table
        found = getattr(target.event, "administration_id", None)
    if found is None and isinstance(target, str) and target.startswith("events:") and target[7:].isdigit():
        found = db.session.scalar(select(Event.administration_id).where(Event.id == int(target[7:])))
    if found is None:
        user = actor if isinstance(actor, User) else getattr(actor, "user", None)
        found = getattr(user, "administration_id", None)
    return found


def record(actor, action: str, target=None, details: dict | None = None) -> AuditEntry:
    """Add an audit entry to the session (the caller commits it with its own change)."""
    user_id, label = _actor(actor)
    ip = (request.remote_addr or "") if has_request_context() else ""
    entry = AuditEntry(actor_user_id=user_id, actor=label[:200], action=action[:80],
                       target=_target(target), ip=ip[:64], details=details or {},
                       administration_id=_administration(actor, target))
    db.session.add(entry)
    return entry


def recent(limit: int = 200, before_id: int | None = None, action: str | None = None,
           administration_id: int | None = None) -> list[AuditEntry]:
    """The latest entries, newest first, optionally before an id, of one action, of one administration."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if administration_id is not None:
        query = query.where(AuditEntry.administration_id == administration_id)
    if before_id:
        query = query.where(AuditEntry.id < before_id)
    if action:
        query = query.where(AuditEntry.action == action)
    return list(db.session.scalars(query))
