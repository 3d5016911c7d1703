"""A dialogue café: the event, its rounds and its tables."""
from datetime import date, datetime, timedelta

from sqlalchemy import JSON, Column, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy import Table as SATable
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, iso, utcnow

EVENT_STATUSES = ("draft", "live", "closed")
LEVELS = ("individ", "enhet", "förvaltning")

event_facilitators = SATable(
    "event_facilitators", db.metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class Event(db.Model):
    """A dialogue café (dialogcafé) held by an administration."""

    __tablename__ = "events"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    date: Mapped[date | None]
    place: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="draft")
    administration_id: Mapped[int | None] = mapped_column(
        ForeignKey("administrations.id", ondelete="SET NULL"))
    framework_id: Mapped[int | None] = mapped_column(ForeignKey("frameworks.id", ondelete="SET NULL"))
    projector_token: Mapped[str] = mapped_column(String(64), unique=True)
    last_seq: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    focus_points: Mapped[list | None] = mapped_column(JSON, default=list)
    administration = relationship("Administration")
    framework = relationship("Framework")
    rounds: Mapped[list["Round"]] = relationship(
        back_populates="event", order_by="Round.number", cascade="all, delete-orphan")
    tables: Mapped[list["Table"]] = relationship(
        back_populates="event", order_by="Table.number", cascade="all, delete-orphan")
    facilitators = relationship("User", secondary=event_facilitators)

    def current_round(self) -> "Round | None":
        """Return the round that is running, else the last started one, else the first."""
        started = [r for r in self.rounds if r.started_at]
        running = [r for r in started if not r.ended_at]
        if running:
            return running[-1]
        if started:
            return started[-1]
        return self.rounds[0] if self.rounds else None

    def to_dict(self) -> dict:
        """Serialise for the API."""
        return {"id": self.id, "title": self.title, "date": self.date.isoformat() if self.date else None,
                "place": self.place, "description": self.description, "status": self.status,
                "administration_id": self.administration_id, "framework_id": self.framework_id,
                "focus_points": list(self.focus_points or []),
                "rounds": [r.to_dict() for r in self.rounds]}


class Round(db.Model):
    """One round of conversation with its question and timing."""

    __tablename__ = "rounds"
    __table_args__ = (UniqueConstraint("event_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    number: Mapped[int]
    question: Mapped[str] = mapped_column(Text, default="")
    level: Mapped[str | None] = mapped_column(String(20))
    focus_points: Mapped[list] = mapped_column(JSON, default=list)
    planned_minutes: Mapped[int] = mapped_column(default=20)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    paused_seconds: Mapped[int] = mapped_column(default=0, server_default="0")
    extra_minutes: Mapped[int] = mapped_column(default=0, server_default="0")
    event: Mapped[Event] = relationship(back_populates="rounds")

    @property
    def status(self) -> str:
        """planned, running, paused or ended."""
        if self.ended_at:
            return "ended"
        if not self.started_at:
            return "planned"
        return "paused" if self.paused_at else "running"

    def timing(self, now: datetime | None = None) -> dict:
        """When the round ends and how many seconds are left, paused time and extensions included."""
        total = (self.planned_minutes + (self.extra_minutes or 0)) * 60
        if not self.started_at:
            return {"duration_seconds": total, "ends_at": None, "remaining_seconds": total}
        stop = self.ended_at or self.paused_at or now or utcnow()
        elapsed = (stop - self.started_at).total_seconds() - (self.paused_seconds or 0)
        ends_at = self.started_at + timedelta(seconds=total + (self.paused_seconds or 0))
        return {"duration_seconds": total, "remaining_seconds": round(total - elapsed, 1),
                "ends_at": iso(ends_at) if self.status == "running" else None}

    def to_dict(self, now: datetime | None = None) -> dict:
        """Serialise for the API and the pages, with the timing as of `now`."""
        return {"id": self.id, "number": self.number, "question": self.question, "level": self.level,
                "focus_points": list(self.focus_points or []), "planned_minutes": self.planned_minutes,
                "started_at": iso(self.started_at), "ended_at": iso(self.ended_at),
                "paused_at": iso(self.paused_at), "paused_seconds": self.paused_seconds or 0,
                "extra_minutes": self.extra_minutes or 0, "status": self.status, **self.timing(now)}


class Table(db.Model):
    """A café table with its host and join code."""

    __tablename__ = "tables"
    __table_args__ = (UniqueConstraint("event_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    number: Mapped[int]
    name: Mapped[str] = mapped_column(String(200), default="")
    host_name: Mapped[str] = mapped_column(String(200), default="")
    join_code: Mapped[str] = mapped_column(String(16), unique=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"))
    token_version: Mapped[int] = mapped_column(default=0)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    event: Mapped[Event] = relationship(back_populates="tables")
    unit = relationship("Unit")

    @property
    def display_name(self) -> str:
        """The table's name, or "Bord N" when it has none."""
        return self.name or f"Bord {self.number}"

    def to_dict(self) -> dict:
        """Serialise for the API (without the join code)."""
        return {"id": self.id, "event_id": self.event_id, "number": self.number,
                "name": self.display_name, "host_name": self.host_name, "unit_id": self.unit_id,
                "last_seen_at": iso(self.last_seen_at)}
