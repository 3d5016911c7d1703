"""The vote page: pick up to N points and leave a wish, once per browser and per personal link."""
from flask import Blueprint, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from itsdangerous import BadSignature, URLSafeSerializer
from wtforms import SelectMultipleField, TextAreaField
from wtforms.validators import Length

from ..errors import ServiceError
from ..events import votes

bp = Blueprint("vote", __name__)

COOKIE = "dialogcafe_voter"
COOKIE_AGE = 180 * 24 * 3600


class BallotForm(FlaskForm):
    """The participant's chosen points and wish."""

    points = SelectMultipleField(_l("Punkter"), coerce=int, validate_choice=False)
    wish = TextAreaField(_l("Önskemål inför dagen (frivilligt)"), validators=[
        Length(max=votes.WISH_MAX_CHARS, message=_l("Önskemålet är för långt (högst 1 000 tecken)."))])


def _signer() -> URLSafeSerializer:
    """The signer of the voter cookie."""
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="dialogcafe.voter")


def _voter_id() -> tuple[str, bool]:
    """This browser's voter id from its signed cookie, or a new one (and whether it is new)."""
    try:
        value = _signer().loads(request.cookies.get(COOKIE, ""))
        if isinstance(value, str) and 10 <= len(value) <= 64:
            return value, False
    except BadSignature:
        pass
    return votes.new_voter_id(), True


def short_description(text: str, limit: int = 180) -> str:
    """The first sentence of a point's description, cut at a word."""
    first = text.split(". ")[0].strip()
    if len(first) <= limit:
        return first.rstrip(".") + "."
    return first[:limit].rsplit(" ", 1)[0] + " …"


@bp.route("/v/<secret>", methods=["GET", "POST"])
@bp.route("/v/<secret>/<code>", methods=["GET", "POST"])
def ballot(secret, code=None):
    """Show the vote, or store the ballot; closed votes and second tries get a clear message."""
    try:
        vote = votes.by_secret(secret)
    except ServiceError as error:
        return render_template("vote/message.html", error=error, vote=None), error.status
    voter_id, new = _voter_id()
    form = BallotForm()
    page, status = _answer(vote, voter_id, code, form)
    response = current_app.make_response((page, status))
    if new:
        response.set_cookie(COOKIE, _signer().dumps(voter_id), max_age=COOKIE_AGE, httponly=True,
                            samesite="Lax", secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
                            path="/v/")
    response.headers["Cache-Control"] = "no-store"
    return response


def _answer(vote, voter_id: str, code, form: BallotForm) -> tuple[str, int]:
    """The page to show and its status."""
    try:
        if form.validate_on_submit():
            votes.cast(vote, voter_id, form.points.data or [], form.wish.data, code)
            return render_template("vote/thanks.html", vote=vote), 200
        if request.method == "GET":
            votes.check_can_vote(vote, voter_id, code)
    except ServiceError as error:
        if error.details.get("field") in ("points", "wish"):
            return _form(vote, form, error.message), error.status
        return render_template("vote/message.html", error=error, vote=vote), error.status
    status = 400 if form.errors else 200
    return _form(vote, form, None), status


def _form(vote, form: BallotForm, error: str | None) -> str:
    """The ballot form with the event's points."""
    points = vote.event.framework.points if vote.event.framework else []
    return render_template("vote/ballot.html", vote=vote, form=form, error=error,
                           points=[(p, short_description(p.description)) for p in points],
                           chosen=set(form.points.data or []), counts=chosen_counts(vote.max_points, len(points)))


def chosen_counts(most: int, total: int) -> list[str]:
    """What the ballot says for each number of ticked points, from none to all ("2 av 3 valda")."""
    return [ngettext("%(num)s av %(most)s vald", "%(num)s av %(most)s valda", n, most=most) if n <= most
            else ngettext("%(num)s vald, men högst %(most)s går", "%(num)s valda, men högst %(most)s går", n,
                          most=most)
            for n in range(max(most, total) + 1)]
