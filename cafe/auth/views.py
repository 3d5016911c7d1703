"""Login and logout pages."""
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_user, logout_user

from ..errors import ServiceError
from ..people import users
from .forms import LoginForm

bp = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str:
    """Only follow redirects within this site."""
    if target and not urlsplit(target).netloc and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("organizer.dashboard")


def render_login(form: LoginForm | None = None, status: int = 200):
    """The login page: the identity provider's button when one is set up, the password form unless it is off."""
    return render_template("auth/login.html", form=form or LoginForm(), local_login=current_app.config["LOCAL_LOGIN"],
                           oidc="cafe.oidc" in current_app.extensions), status


def _fresh_session() -> None:
    """Empty the session but for the chosen language (Flask's cookie session has no id to renew)."""
    language = session.get("lang")
    session.clear()
    if language in ("sv", "en"):
        session["lang"] = language


def start_session(user, **values) -> None:
    """Log the user in on a new session: nothing set before the login survives but the chosen language."""
    _fresh_session()
    session.update(values)
    session.permanent = True
    login_user(user)


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Log in with e-mail and password."""
    form = LoginForm()
    if request.method == "POST" and not current_app.config["LOCAL_LOGIN"]:
        flash(ServiceError("local_login_off").message, "error")
        return render_login(form, 403)
    if form.validate_on_submit():
        try:
            user = users.authenticate(form.email.data, form.password.data)
        except ServiceError as error:
            flash(error.message, "error")
            return render_login(form, 401)
        start_session(user)
        return redirect(safe_next(request.args.get("next")))
    return render_login(form, 400 if form.errors else 200)


@bp.route("/logout", methods=["POST"])
def logout():
    """Log out here and, after a sign-in through the identity provider, end the session there too."""
    id_token, provider = session.get("oidc_id_token"), current_app.extensions.get("cafe.oidc")
    logout_user()
    _fresh_session()
    flash(_("Du är utloggad."), "info")
    back = current_app.config["PUBLIC_URL"] + url_for("main.index")
    via_provider = provider is not None and id_token is not None  # "" when the token was too long to keep
    provider_logout = provider.end_session_url(id_token, back) if via_provider else None
    return redirect(provider_logout or url_for("main.index"))
