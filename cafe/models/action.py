"""Action items (åtgärder) that follow up a café, their history, links, comments and feedback links."""
from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, iso, utcnow

ACTION_STATUSES = ("forslag", "beslutad", "pagar", "genomford", "ej_aktuell", "utanfor_ansvar")
FORUMS = ("apt", "ledningsgrupp", "lokal_styrgrupp")
# The fields whose every change is kept in the history, in the order they are shown.
TRACKED_FIELDS = ("title", "description", "point", "level", "unit_id", "responsible", "status", "forum",
                  "subgoal_indicator", "subgoal_target", "subgoal_current", "due_date", "is_draft")


class ActionItem(db.Model):
    """One action on an åtgärdslista: what a unit or the administration will do about an idea."""

    __tablename__ = "action_items"
    __table_args__ = (Index("ix_action_items_event_unit", "event_id", "unit_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    point: Mapped[int | None]
    level: Mapped[str | None] = mapped_column(String(20))
    responsible: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(20), default="forslag")
    is_draft: Mapped[bool] = mapped_column(default=False)
    forum: Mapped[str | None] = mapped_column(String(30))
    subgoal_indicator: Mapped[str] = mapped_column(Text, default="")
    subgoal_target: Mapped[str] = mapped_column(String(200), default="")
    subgoal_current: Mapped[str] = mapped_column(String(200), default="")
    due_date: Mapped[date | None]
    version: Mapped[int] = mapped_column(default=1)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    event = relationship("Event")
    unit = relationship("Unit")
    history: Mapped[list["ActionHistory"]] = relationship(
        back_populates="action", order_by="ActionHistory.id", cascade="all, delete-orphan")
    comments: Mapped[list["ActionComment"]] = relationship(
        back_populates="action", order_by="ActionComment.id", cascade="all, delete-orphan")
    note_links: Mapped[list["ActionNote"]] = relationship(cascade="all, delete-orphan")
    theme_links: Mapped[list["ActionTheme"]] = relationship(
        order_by="ActionTheme.id", cascade="all, delete-orphan")

    @property
    def theme_labels(self) -> list[str]:
        """The names of the themes the action came from, as the themes are named now."""
        return [t.current_label for t in self.theme_links]

    @property
    def latest_comment(self) -> str:
        """The text of the newest comment, or an empty string."""
        return self.comments[-1].text if self.comments else ""

    def to_dict(self) -> dict:
        """Serialise for the API and the JSON export."""
        return {"id": self.id, "event_id": self.event_id, "unit_id": self.unit_id,
                "unit": self.unit.name if self.unit else None, "title": self.title,
                "description": self.description, "point": self.point, "level": self.level,
                "responsible": self.responsible, "status": self.status, "draft": self.is_draft,
                "forum": self.forum, "subgoal": {"indicator": self.subgoal_indicator,
                                                 "target": self.subgoal_target,
                                                 "current": self.subgoal_current},
                "due_date": self.due_date.isoformat() if self.due_date else None,
                "version": self.version, "updated_at": iso(self.updated_at),
                "status_changed_at": iso(self.status_changed_at),
                "note_ids": sorted(link.note_id for link in self.note_links),
                "themes": [t.to_dict() for t in self.theme_links],
                "comments": [c.to_dict() for c in self.comments]}


class ActionHistory(db.Model):
    """One changed field of an action: who, when, before and after."""

    __tablename__ = "action_history"
    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action_items.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    author: Mapped[str] = mapped_column(String(200), default="")
    field: Mapped[str] = mapped_column(String(40))
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(20), default="tool")
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    action: Mapped[ActionItem] = relationship(back_populates="history")

    def to_dict(self) -> dict:
        """Serialise for the API."""
        return {"field": self.field, "before": self.before, "after": self.after, "author": self.author,
                "source": self.source, "changed_at": iso(self.changed_at)}


class ActionComment(db.Model):
    """A comment on an action, e.g. what the APT said."""

    __tablename__ = "action_comments"
    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action_items.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    author: Mapped[str] = mapped_column(String(200), default="")
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    action: Mapped[ActionItem] = relationship(back_populates="comments")

    def to_dict(self) -> dict:
        """Serialise for the API."""
        return {"author": self.author, "text": self.text, "created_at": iso(self.created_at)}


class ActionNote(db.Model):
    """A note an action came from."""

    __tablename__ = "action_notes"
    action_id: Mapped[int] = mapped_column(ForeignKey("action_items.id", ondelete="CASCADE"), primary_key=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("notes.id", ondelete="CASCADE"), primary_key=True)
    note = relationship("Note")


class ActionTheme(db.Model):
    """A theme an action came from: its label always, the synthesis theme's id when there is one."""

    __tablename__ = "action_themes"
    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action_items.id", ondelete="CASCADE"), index=True)
    # No foreign key: synthesis themes live in another module and may be re-clustered away;
    # the label keeps the link meaningful when that happens.
    theme_id: Mapped[int | None] = mapped_column(index=True)
    label: Mapped[str] = mapped_column(String(200))
    # The synthesis theme while it exists: a facilitator's later rename shows in the action lists,
    # the feedback page and every export (read together with the actions, not one query each).
    theme = relationship("Theme", primaryjoin="foreign(ActionTheme.theme_id) == Theme.id", viewonly=True,
                         lazy="selectin")

    @property
    def current_label(self) -> str:
        """The theme's name now, else the label it had when the action was made."""
        return self.theme.label.strip() if self.theme is not None and self.theme.label.strip() else self.label

    def to_dict(self) -> dict:
        """Serialise for the API."""
        return {"id": self.theme_id, "label": self.current_label}


class FeedbackLink(db.Model):
    """The unguessable public link of an event's feedback page (återkoppling)."""

    __tablename__ = "feedback_links"
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PendingImport(db.Model):
    """An uploaded file's parsed change set, kept until the user confirms or it expires."""

    __tablename__ = "pending_imports"
    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(String(200), default="")
    payload: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
