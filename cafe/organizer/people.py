"""The organizer's administration: its units and its facilitator and project-lead accounts."""
from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..events import planning
from ..people import staff
from .common import save
from .forms import StaffForm, UnitForm
from .views import bp


@bp.route("/units", methods=["GET", "POST"])
@login_required
def units():
    """List, add, rename and remove the administration's units."""
    admin = planning.organizer_administration(current_user)
    form = UnitForm()
    return _form_page(form, lambda: staff.add_unit(admin, form.name.data), _("Enheten är tillagd."),
                      "organizer.units", "organizer/units.html", admin=admin)


@bp.route("/units/<int:unit_id>/rename", methods=["POST"])
@login_required
def rename_unit(unit_id):
    """Rename one unit."""
    admin = planning.organizer_administration(current_user)
    unit = staff.unit_of(admin, unit_id)
    save(lambda: staff.rename_unit(unit, request.form.get("name")), _("Enheten har bytt namn."))
    return redirect(url_for("organizer.units"))


@bp.route("/units/<int:unit_id>/delete", methods=["POST"])
@login_required
def remove_unit(unit_id):
    """Remove one unit."""
    admin = planning.organizer_administration(current_user)
    unit = staff.unit_of(admin, unit_id)
    save(lambda: staff.remove_unit(unit), _("Enheten är borttagen."))
    return redirect(url_for("organizer.units"))


@bp.route("/staff", methods=["GET", "POST"])
@login_required
def staff_accounts():
    """The administration's facilitators and project leads, and a form for a new account."""
    admin = planning.organizer_administration(current_user)
    form = StaffForm()
    return _form_page(form, lambda: staff.create_staff(admin, form.email.data, form.name.data, form.role.data,
                                                       form.password.data), _("Kontot är skapat."),
                      "organizer.staff_accounts", "organizer/staff.html", admin=admin,
                      people=staff.staff(admin))


def _form_page(form, action, message: str, endpoint: str, template: str, **context):
    """Save a submitted form and go back to the page, or show the form (400 when refused)."""
    if form.validate_on_submit():
        if save(action, message):
            return redirect(url_for(endpoint))
        return render_template(template, form=form, **context), 400
    return render_template(template, form=form, **context), 400 if form.errors else 200
