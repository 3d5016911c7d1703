"""The start page, the language switch and /healthz."""
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

from ..ops import health

bp = Blueprint("main", __name__)


@bp.route("/")
def index():
    """Start page: join a table, or log in to run a café."""
    return render_template("main/index.html")


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
