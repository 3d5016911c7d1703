"""Frameworks of points, the 13 points of the action plan being the default."""
from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db


class Framework(db.Model):
    """A set of points that notes are mapped onto."""

    __tablename__ = "frameworks"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    points: Mapped[list["FrameworkPoint"]] = relationship(
        back_populates="framework", order_by="FrameworkPoint.number", cascade="all, delete-orphan")

    def to_dict(self) -> dict:
        """Serialise for the API."""
        return {"id": self.id, "key": self.key, "name": self.name,
                "points": [p.to_dict() for p in self.points]}


class FrameworkPoint(db.Model):
    """One point of a framework, e.g. 2 Introduktionsprogram och mentorskap."""

    __tablename__ = "framework_points"
    __table_args__ = (UniqueConstraint("framework_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("frameworks.id", ondelete="CASCADE"))
    number: Mapped[int]
    label: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(400))
    description: Mapped[str] = mapped_column(Text, default="")
    vocabulary: Mapped[str] = mapped_column(Text, default="")
    framework: Mapped[Framework] = relationship(back_populates="points")

    def to_dict(self) -> dict:
        """Serialise for the API."""
        return {"number": self.number, "label": self.label, "title": self.title,
                "description": self.description}
