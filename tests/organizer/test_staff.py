"""Units, staff accounts and facilitator assignment."""
import pytest

from cafe.errors import ServiceError
from cafe.extensions import db
from cafe.models import User
from cafe.people import staff, users


def test_units_are_added_renamed_and_removed(organizer):
    admin = organizer.administration
    unit = staff.add_unit(admin, "Utredningsenheten Väst")
    staff.rename_unit(unit, "Mottagningen")
    assert "Mottagningen" in [u.name for u in admin.units]
    staff.remove_unit(unit)
    db.session.commit()
    assert "Mottagningen" not in [u.name for u in admin.units]


@pytest.mark.parametrize("name, code", [("", "required_field"), ("x" * 201, "field_too_long"), (None, "required_field")])
def test_bad_unit_names_are_refused(organizer, name, code):
    with pytest.raises(ServiceError) as refused:
        staff.add_unit(organizer.administration, name)
    assert refused.value.code == code


def test_duplicate_unit_name_is_refused(organizer):
    existing = organizer.administration.units[0].name
    with pytest.raises(ServiceError) as refused:
        staff.add_unit(organizer.administration, existing.upper())
    assert refused.value.code == "unit_exists"


def test_staff_accounts_can_log_in(organizer):
    staff.create_staff(organizer.administration, "Ny@Example.se", "Ny Processledare", "facilitator",
                       "ett-langt-losenord")
    db.session.commit()
    user = users.authenticate("ny@example.se", "ett-langt-losenord")
    assert user.role == "facilitator" and user.administration_id == organizer.administration_id


@pytest.mark.parametrize("email, role, password, code", [
    ("ny@example.se", "organizer", "ett-langt-losenord", "invalid_field"),
    ("inte-en-adress", "facilitator", "ett-langt-losenord", "invalid_email"),
    ("arrangor@demo.dialogcafe.se", "facilitator", "ett-langt-losenord", "email_taken"),
    ("ny@example.se", "project_lead", "kort", "weak_password"),
])
def test_bad_staff_accounts_are_refused(organizer, email, role, password, code):
    with pytest.raises(ServiceError) as refused:
        staff.create_staff(organizer.administration, email, "Namn", role, password)
    assert refused.value.code == code


def test_facilitators_must_belong_to_the_administration(demo_event, organizer, stranger):
    other_admin = db.session.scalar(db.select(User).where(User.email == stranger["email"])).administration
    outsider = staff.create_staff(other_admin, "ute@example.se", "Ute", "facilitator", "ett-langt-losenord")
    own = staff.staff(organizer.administration, "facilitator")
    with pytest.raises(ServiceError) as refused:
        staff.set_facilitators(demo_event, [outsider.id])
    assert refused.value.code == "invalid_facilitator"
    assert [u.id for u in staff.set_facilitators(demo_event, [own[0].id, own[0].id])] == [own[0].id]
    assert staff.set_facilitators(demo_event, []) == []
