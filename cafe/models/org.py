"""Administrations, their units, and the people who log in."""
from datetime import datetime

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from .base import UTCDateTime, utcnow

ROLES = ("organizer", "facilitator", "project_lead", "city")  # city: the central styrgrupp, reads every administration


class Administration(db.Model):
    """A förvaltning, e.g. a district administration."""

    __tablename__ = "administrations"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    units: Mapped[list["Unit"]] = relationship(
        back_populates="administration", order_by="Unit.name", cascade="all, delete-orphan")

    def to_dict(self) -> dict:
        """Serialise for the API."""
        return {"id": self.id, "name": self.name, "units": [u.to_dict() for u in self.units]}


class Unit(db.Model):
    """An enhet within an administration, e.g. familjeenheten."""

    __tablename__ = "units"
    id: Mapped[int] = mapped_column(primary_key=True)
    administration_id: Mapped[int] = mapped_column(ForeignKey("administrations.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    administration: Mapped[Administration] = relationship(back_populates="units")

    def to_dict(self) -> dict:
        """Serialise for the API."""
        return {"id": self.id, "name": self.name, "administration_id": self.administration_id}


class User(UserMixin, db.Model):
    """An organizer, facilitator or project lead with a login."""

    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("oidc_issuer", "oidc_subject", name="uq_users_oidc_identity"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20), default="facilitator")
    administration_id: Mapped[int | None] = mapped_column(
        ForeignKey("administrations.id", ondelete="SET NULL"))
    token_version: Mapped[int] = mapped_column(default=0)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Set when the account signs in through the identity provider (cafe/people/oidc_accounts.py).
    oidc_issuer: Mapped[str | None] = mapped_column(String(300))
    oidc_subject: Mapped[str | None] = mapped_column(String(255))
    administration: Mapped[Administration | None] = relationship()

    def set_password(self, password: str) -> None:
        """Store a salted hash of the password."""
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        """Tell whether the password matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    def to_dict(self) -> dict:
        """Serialise for the API (never the hash)."""
        return {"id": self.id, "email": self.email, "name": self.name, "role": self.role,
                "administration_id": self.administration_id}
