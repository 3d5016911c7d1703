"""Notes typed at the tables, their revisions, and the event's change log."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, iso, utcnow


class Note(db.Model):
    """A short note a table host typed, identified by a client-generated UUID."""

    __tablename__ = "notes"
    __table_args__ = (Index("ix_notes_event_table", "event_id", "table_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(36), unique=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    table_id: Mapped[int] = mapped_column(ForeignKey("tables.id", ondelete="CASCADE"))
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    level: Mapped[str | None] = mapped_column(String(20))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"))
    suggested_point: Mapped[int | None]
    suggested_score: Mapped[float | None]
    confirmed_point: Mapped[int | None]
    starred: Mapped[bool] = mapped_column(default=False)
    version: Mapped[int] = mapped_column(default=1)
    seq: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    table = relationship("Table")
    round = relationship("Round")
    revisions: Mapped[list["NoteRevision"]] = relationship(
        back_populates="note", order_by="NoteRevision.id", cascade="all, delete-orphan")

    @property
    def point(self) -> int | None:
        """The confirmed point when there is one, else the suggestion."""
        return self.confirmed_point if self.confirmed_point is not None else self.suggested_point

    def to_dict(self) -> dict:
        """Serialise for sockets and the API."""
        return note_dict(self)


def note_dict(note) -> dict:
    """A note as sent to clients and the API, from a Note or anything with its attributes."""
    return {"id": note.id, "client_id": note.client_id, "event_id": note.event_id,
            "table_id": note.table_id, "round_id": note.round_id, "text": note.text,
            "level": note.level, "unit_id": note.unit_id,
            "suggested_point": note.suggested_point, "confirmed_point": note.confirmed_point,
            "starred": note.starred, "version": note.version, "seq": note.seq,
            "created_at": iso(note.created_at), "updated_at": iso(note.updated_at),
            "deleted": note.deleted_at is not None}


class NoteRevision(db.Model):
    """The state of a note before an edit, so that no wording is ever lost."""

    __tablename__ = "note_revisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("notes.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    level: Mapped[str | None] = mapped_column(String(20))
    unit_id: Mapped[int | None]
    action: Mapped[str] = mapped_column(String(20), default="edit")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    note: Mapped[Note] = relationship(back_populates="revisions")

    def to_dict(self) -> dict:
        """Serialise for the API."""
        return {"version": self.version, "text": self.text, "level": self.level,
                "unit_id": self.unit_id, "action": self.action, "created_at": iso(self.created_at)}


class Change(db.Model):
    """One entry of an event's change log; `seq` grows across the event and drives catch-up."""

    __tablename__ = "changes"
    __table_args__ = (UniqueConstraint("event_id", "seq"), Index("ix_changes_event_table_seq",
                                                                 "event_id", "table_id", "seq"))
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    seq: Mapped[int]
    type: Mapped[str] = mapped_column(String(40))
    table_id: Mapped[int | None] = mapped_column(ForeignKey("tables.id", ondelete="CASCADE"))
    payload: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def to_message(self) -> dict:
        """The change as it is broadcast and replayed: its type, seq and payload."""
        cached = self.__dict__.get("cached_message")
        return cached if cached is not None else {"type": self.type, "seq": self.seq, **self.payload}

    def route(self) -> tuple[str, int, int | None]:
        """Type, event and table, from the values set when it was recorded when they are at hand."""
        return self.__dict__.get("cached_route") or (self.type, self.event_id, self.table_id)
