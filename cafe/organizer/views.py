"""The organizer's dashboard: every café a signed-in user may see, with the ways into it."""
from flask import Blueprint, render_template
from flask_login import current_user, login_required

from ..events import planning
from ..extensions import db
from ..followup import actions
from ..people import access

bp = Blueprint("organizer", __name__, url_prefix="/organizer")


@bp.route("/")
@login_required
def dashboard():
    """The cafés this user may see: planning, facilitator, projector and tables for those who run them;
    action lists, drafts, the report and the feedback page for those who follow them up."""
    principal = access.Principal("user", user=current_user)
    events = access.visible_events(principal)
    follow = {e.id: _follow_up(principal, e) for e in events}
    db.session.commit()  # a feedback link made on first use
    return render_template("organizer/dashboard.html", events=events, follow=follow,
                           can_facilitate=lambda e: access.can_facilitate(principal, e),
                           can_plan=lambda e: planning.can_plan(principal, e),
                           is_organizer=current_user.role == "organizer" and current_user.administration_id,
                           format_code=access.format_join_code)


def _follow_up(principal: access.Principal, event) -> dict | None:
    """What a card offers for the follow-up of a café: None when the user does not follow it up."""
    if not actions.can_read(principal, event):
        return None
    manage = actions.can_manage(principal, event)
    return {"manage": manage, "feedback_token": actions.feedback_token(event) if manage else None}
