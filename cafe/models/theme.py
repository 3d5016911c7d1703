"""Themes found by the live synthesis, their notes, plenary marks and the curation log."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime, iso, utcnow


class Theme(db.Model):
    """A group of notes about the same thing; `version` grows with every curation of it."""

    __tablename__ = "themes"
    __table_args__ = (Index("ix_themes_event", "event_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(120), default="")
    label_custom: Mapped[bool] = mapped_column(default=False)
    keywords: Mapped[list] = mapped_column(JSON, default=list)
    quotes: Mapped[list] = mapped_column(JSON, default=list)
    point: Mapped[int | None]
    confidence: Mapped[float] = mapped_column(default=0.0)
    novel: Mapped[bool] = mapped_column(default=False)
    size: Mapped[int] = mapped_column(default=0)
    origin: Mapped[str] = mapped_column(String(20), default="synthesis")
    marked_for_plenary: Mapped[bool] = mapped_column(default=False)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("themes.id", ondelete="SET NULL"))
    hidden: Mapped[bool] = mapped_column(default=False)
    promoted_point: Mapped[int | None]
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Every ORM update bumps `version` and fails on a stale row, so curations never overwrite each other.
    __mapper_args__ = {"version_id_col": version}

    @property
    def visible(self) -> bool:
        """Shown in lists: neither merged into another theme nor hidden by an undo."""
        return self.merged_into_id is None and not self.hidden

    def to_dict(self) -> dict:
        """Serialise for sockets and the API (compact: no member list)."""
        return {"id": self.id, "label": self.label, "label_custom": self.label_custom,
                "keywords": list(self.keywords or []), "quotes": list(self.quotes or []),
                "point": self.point, "confidence": round(self.confidence or 0.0, 3), "novel": self.novel,
                "count": self.size, "origin": self.origin, "marked": self.marked_for_plenary,
                "merged_into": self.merged_into_id, "hidden": self.hidden,
                "promoted_point": self.promoted_point, "version": self.version}


class ThemeMembership(db.Model):
    """Which theme a note belongs to; `pinned` when a facilitator put it there."""

    __tablename__ = "theme_memberships"
    __table_args__ = (Index("ix_theme_memberships_theme", "theme_id"),)
    note_id: Mapped[int] = mapped_column(ForeignKey("notes.id", ondelete="CASCADE"), primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id", ondelete="CASCADE"))
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    pinned: Mapped[bool] = mapped_column(default=False)


class PlenaryNote(db.Model):
    """A note a facilitator marked for the plenary (storgrupp)."""

    __tablename__ = "plenary_notes"
    note_id: Mapped[int] = mapped_column(ForeignKey("notes.id", ondelete="CASCADE"), primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Curation(db.Model):
    """One facilitator's correction of the synthesis, with the state before and after, undoable."""

    __tablename__ = "curations"
    __table_args__ = (Index("ix_curations_event", "event_id", "id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    user_name: Mapped[str] = mapped_column(String(200), default="")
    action: Mapped[str] = mapped_column(String(20))
    summary: Mapped[str] = mapped_column(String(400), default="")
    # The summary as a key and its values (synthesis.curation_words), written in each reader's language.
    words: Mapped[dict | None] = mapped_column(JSON)
    before: Mapped[dict] = mapped_column(JSON)
    after: Mapped[dict] = mapped_column(JSON)
    undo_of_id: Mapped[int | None] = mapped_column(ForeignKey("curations.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    def to_dict(self) -> dict:
        """Serialise for the undo list (without the snapshots)."""
        return {"id": self.id, "action": self.action, "summary": self.summary, "words": self.words,
                "user": self.user_name,
                "user_id": self.user_id, "created_at": iso(self.created_at),
                "undone_at": iso(self.undone_at), "undo_of": self.undo_of_id}


class SynthesisMark(db.Model):
    """How far the synthesis service got with an event: the live notes its last pass included."""

    __tablename__ = "synthesis_marks"
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    included: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
