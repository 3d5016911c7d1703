"""Users: creating them and checking their passwords."""
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from ..errors import ServiceError
from ..extensions import db
from ..models import ROLES, User, utcnow
from . import audit


def create(email: str, password: str, name: str, role: str, administration_id: int | None = None) -> User:
    """Create a user with a hashed password."""
    if role not in ROLES:
        raise ServiceError("invalid_field", field="role")
    user = User(email=email.strip().lower(), name=name, role=role, administration_id=administration_id)
    user.set_password(password)
    db.session.add(user)
    return user


def authenticate(email, password) -> User:
    """Return the user with this e-mail and password, or refuse (always, when LOCAL_LOGIN is off)."""
    if not current_app.config["LOCAL_LOGIN"]:
        raise ServiceError("local_login_off", status=403)
    if not isinstance(email, str) or not isinstance(password, str) or len(password) > 200:
        raise ServiceError("invalid_credentials", status=401)
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is not None and user.locked_until is not None and user.locked_until > utcnow():
        _refused(user, email, "login.locked_out")
        raise ServiceError("account_locked", status=429)
    if user is None or not user.check_password(password):
        _refused(user, email, "login.failed")
        raise ServiceError("invalid_credentials", status=401)
    user.failed_logins, user.locked_until = 0, None
    audit.record(user, "login", user)
    db.session.commit()
    return user


def _refused(user: User | None, email: str, action: str) -> None:
    """Count a failed login, lock the account after too many, and log it (never the password)."""
    details = {"email": email.strip().lower()[:254]}
    if user is not None and action == "login.failed":
        user.failed_logins = (user.failed_logins or 0) + 1
        if user.failed_logins >= current_app.config.get("LOGIN_MAX_FAILURES", 5):
            minutes = current_app.config.get("LOGIN_LOCK_MINUTES", 15)
            user.locked_until = utcnow() + timedelta(minutes=minutes)
            user.failed_logins = 0
            audit.record(user, "login.locked", user, {"minutes": minutes})
    audit.record(user or email[:200], action, user, details)
    db.session.commit()


def by_session_id(user_id: str) -> User | None:
    """The user a login session names (Flask-Login's user loader), or None."""
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None
