"""The start page, the language switch, the accessibility statement, the error pages and /healthz."""
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
    session,
    url_for,
)
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from ..ops import health

bp = Blueprint("main", __name__)


@bp.route("/")
def index():
    """Start page: join a table, or log in to run a café."""
    return render_template("main/index.html")


@bp.route("/tillganglighet")
def accessibility():
    """The accessibility statement (tillgänglighetsredogörelse) in the form DIGG asks for."""
    contact = current_app.config.get("ACCESSIBILITY_CONTACT")
    return render_template("main/accessibility.html", contact=contact,
                           contact_href=_contact_href(contact) if contact else None,
                           assessed=current_app.config["ACCESSIBILITY_ASSESSED"])


def _contact_href(contact: str) -> str | None:
    """A link for the configured contact: a web address as it is, an e-mail address as mailto."""
    if contact.startswith(("https://", "http://")):
        return contact
    return "mailto:" + contact if "@" in contact and " " not in contact else None


ERROR_PAGES = {
    403: (_l("Du har inte behörighet"), _l("Sidan finns, men ditt konto får inte öppna den. Fråga arrangören "
                                           "av caféet om du behöver komma åt den.")),
    404: (_l("Sidan finns inte"), _l("Adressen kan vara felskriven, eller så har sidan tagits bort. Kontrollera "
                                     "länken eller gå till startsidan.")),
    405: (_l("Sidan kan inte öppnas så"), _l("Det här görs från ett formulär i Dialogcafé, inte genom att öppna "
                                            "adressen. Gå tillbaka och försök igen därifrån.")),
}


def error_page(error: HTTPException):
    """Answer a refused or missing page with a page of the app (the factory sends the API's to the API)."""
    if error.code not in ERROR_PAGES:
        return error
    heading, text = ERROR_PAGES[error.code]
    allowed = getattr(error, "valid_methods", None)
    headers = {"Allow": ", ".join(allowed)} if allowed else {}
    return render_template("main/error.html", heading=heading, text=text), error.code, headers


@bp.route("/lang/<code>", methods=["POST"])
def set_language(code):
    """Switch between Swedish and English."""
    if code in ("sv", "en"):
        session["lang"] = code
    target = request.form.get("next") or url_for("main.index")
    if urlsplit(target).netloc or not target.startswith("/") or target.startswith("//"):
        target = url_for("main.index")
    return redirect(target)


@bp.route("/sw.js")
def service_worker():
    """The host page's service worker, served from the root so it may cover /t/ pages."""
    response = send_from_directory(current_app.static_folder, "js/sw.js", mimetype="text/javascript",
                                   max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.route("/healthz")
def healthz():
    """Answer {"status": "ok"} when the database (and Redis, when used) answer; 503 otherwise."""
    body, status = health.report()
    return jsonify(body), status
