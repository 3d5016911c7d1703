"""The organizer's dashboard."""
from flask import Blueprint, render_template
from flask_login import current_user, login_required

from ..events import planning
from ..people import access

bp = Blueprint("organizer", __name__, url_prefix="/organizer")


@bp.route("/")
@login_required
def dashboard():
    """The cafés this user may see, with links for facilitator, projector and tables."""
    principal = access.Principal("user", user=current_user)
    events = access.visible_events(principal)
    return render_template("organizer/dashboard.html", events=events,
                           can_facilitate=lambda e: access.can_facilitate(principal, e),
                           can_plan=lambda e: planning.can_plan(principal, e),
                           is_organizer=current_user.role == "organizer" and current_user.administration_id,
                           format_code=access.format_join_code)
