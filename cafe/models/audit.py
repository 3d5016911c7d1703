"""The audit log: logins, failed logins, lock-outs and administrative actions."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime, iso, utcnow


class AuditEntry(db.Model):
    """Who did what to what, and when; never the content of notes."""

    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_created_at", "created_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor: Mapped[str] = mapped_column(String(200), default="")
    action: Mapped[str] = mapped_column(String(80))
    target: Mapped[str] = mapped_column(String(200), default="")
    ip: Mapped[str] = mapped_column(String(64), default="")
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    # Whose log it is: the administration of the café, table or user acted on, else of the actor.
    administration_id: Mapped[int | None] = mapped_column(
        ForeignKey("administrations.id", ondelete="SET NULL"), index=True)

    def to_dict(self) -> dict:
        """Serialise for the audit page and the API."""
        return {"id": self.id, "created_at": iso(self.created_at), "actor": self.actor,
                "actor_user_id": self.actor_user_id, "action": self.action, "target": self.target,
                "ip": self.ip, "details": self.details or {}}
