"""Which host pages are connected right now, kept in the database so every process sees it."""
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime, utcnow


class Presence(db.Model):
    """One connected host socket."""

    __tablename__ = "presence"
    sid: Mapped[str] = mapped_column(String(64), primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    table_id: Mapped[int] = mapped_column(ForeignKey("tables.id", ondelete="CASCADE"))
    connected_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The server process holding the socket, and when it last said it is alive: rows of a process
    # that died without saying goodbye (kill -9) expire instead of showing a table online forever.
    instance: Mapped[str | None] = mapped_column(String(64), index=True)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=utcnow)
