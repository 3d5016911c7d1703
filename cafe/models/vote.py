"""The pre-vote (förhandsenkät): staff pick the points that matter most before the café."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, iso, utcnow


class Vote(db.Model):
    """An event's pre-vote, reached without login through its secret link."""

    __tablename__ = "votes"
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), unique=True)
    secret: Mapped[str] = mapped_column(String(64), unique=True)
    max_points: Mapped[int] = mapped_column(default=3)
    personal_only: Mapped[bool] = mapped_column(default=False)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    event = relationship("Event")
    ballots: Mapped[list["Ballot"]] = relationship(
        back_populates="vote", order_by="Ballot.id", cascade="all, delete-orphan")
    link_codes: Mapped[list["VoteLinkCode"]] = relationship(
        back_populates="vote", order_by="VoteLinkCode.id", cascade="all, delete-orphan")

    @property
    def status(self) -> str:
        """draft (never opened), open, or closed."""
        if self.closed_at is not None:
            return "closed"
        return "open" if self.opened_at is not None else "draft"

    def to_dict(self) -> dict:
        """Serialise for the API (without the secret)."""
        return {"id": self.id, "event_id": self.event_id, "status": self.status,
                "max_points": self.max_points, "personal_only": self.personal_only,
                "opened_at": iso(self.opened_at), "closed_at": iso(self.closed_at)}


class VoteLinkCode(db.Model):
    """A single-use personal link code for one participant."""

    __tablename__ = "vote_link_codes"
    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    vote: Mapped[Vote] = relationship(back_populates="link_codes")


class Ballot(db.Model):
    """One participant's answer: the chosen points and an optional wish."""

    __tablename__ = "ballots"
    __table_args__ = (UniqueConstraint("vote_id", "voter_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id", ondelete="CASCADE"))
    voter_id: Mapped[str] = mapped_column(String(64))
    link_code_id: Mapped[int | None] = mapped_column(
        ForeignKey("vote_link_codes.id", ondelete="SET NULL"), unique=True)
    points: Mapped[list] = mapped_column(JSON, default=list)
    wish: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    vote: Mapped[Vote] = relationship(back_populates="ballots")
