"""An administration's units, its facilitator and project-lead accounts, and who runs which café."""
from sqlalchemy import func, select

from .. import validation
from ..errors import ServiceError
from ..extensions import db
from ..models import Administration, Event, Unit, User
from . import users

STAFF_ROLES = ("facilitator", "project_lead")


def add_unit(admin: Administration, name) -> Unit:
    """Add a unit (enhet) to the administration; names are unique within it."""
    unit = Unit(administration=admin, name=_unit_name(admin, name))
    db.session.add(unit)
    db.session.flush()
    return unit


def rename_unit(unit: Unit, name) -> Unit:
    """Rename a unit."""
    unit.name = _unit_name(unit.administration, name, unit.id)
    db.session.flush()
    return unit


def remove_unit(unit: Unit) -> None:
    """Remove a unit; tables and notes that named it keep no unit."""
    db.session.delete(unit)
    db.session.flush()


def _unit_name(admin: Administration, value, own_id: int | None = None) -> str:
    """A unit name that no other unit of the administration has."""
    name = validation.field_text(value, "name", 200, required=True)
    if any(u.name.casefold() == name.casefold() and u.id != own_id for u in admin.units):
        raise ServiceError("unit_exists", field="name")
    return name


def unit_of(admin: Administration, unit_id) -> Unit:
    """A unit of this administration, or 404."""
    unit = db.session.get(Unit, unit_id) if isinstance(unit_id, int) else None
    if unit is None or unit.administration_id != admin.id:
        raise ServiceError("not_found", status=404)
    return unit


def staff(admin: Administration, role: str | None = None) -> list[User]:
    """The administration's facilitators and project leads (or those of one role)."""
    roles = (role,) if role else STAFF_ROLES
    return list(db.session.scalars(select(User).where(User.administration_id == admin.id,
                                                      User.role.in_(roles)).order_by(User.name)))


def create_staff(admin: Administration, email, name, role, password) -> User:
    """Create a facilitator or project-lead account in the organizer's administration."""
    if role not in STAFF_ROLES:
        raise ServiceError("invalid_field", field="role")
    email = validation.field_text(email, "email", 254, required=True).lower()
    if "@" not in email or " " in email:
        raise ServiceError("invalid_email", field="email")
    if db.session.scalar(select(func.count(User.id)).where(func.lower(User.email) == email)):
        raise ServiceError("email_taken", status=409, field="email")
    if not isinstance(password, str) or not 10 <= len(password) <= 200:
        raise ServiceError("weak_password", field="password")
    user = users.create(email, password, validation.field_text(name, "name", 200, required=True), role, admin.id)
    db.session.flush()
    return user


def set_facilitators(event: Event, user_ids) -> list[User]:
    """Assign the café's facilitators: facilitators of the same administration only."""
    if not isinstance(user_ids, list) or len(user_ids) > 200:
        raise ServiceError("invalid_field", field="facilitators")
    allowed = {u.id: u for u in staff(event.administration, "facilitator")} if event.administration else {}
    if any(i not in allowed for i in user_ids):
        raise ServiceError("invalid_facilitator", field="facilitators")
    event.facilitators = [allowed[i] for i in dict.fromkeys(user_ids)]
    db.session.flush()
    return event.facilitators
