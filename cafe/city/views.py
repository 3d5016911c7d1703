"""The city-wide page with charts, its JSON data and its XLSX export."""
from flask import Blueprint, Response, abort, current_app, render_template
from flask_login import current_user, login_required

from .. import jobs
from ..documents import downloads
from ..followup import actions, city

bp = Blueprint("city", __name__, url_prefix="/city")


def _scope() -> list[int] | None:
    """The administrations this user compares: all for the city level, else their own."""
    scope = actions.administration_ids(current_user)
    if scope == []:
        abort(403)
    return scope


@bp.route("/")
@login_required
def show():
    """Recurring points and themes, new signals and the actions' progress, with charts."""
    data = jobs.run(city.synthesis, _scope())
    return render_template("city/show.html", data=data, statuses=actions.STATUS_LABELS,
                           titles={int(k): v for k, v in data["point_titles"].items()})


@bp.route("/data.json")
@login_required
def data():
    """The synthesis as JSON (the page's charts read it)."""
    labels = {k: str(v) for k, v in actions.STATUS_LABELS.items()}  # in the request's language
    return Response(jobs.run(_json, _scope(), labels), mimetype="application/json")


@bp.route("/export.xlsx")
@login_required
def export():
    """The synthesis as a workbook, named after whose cafés it compares and the day."""
    scope = _scope()
    return Response(jobs.run(_workbook, scope),
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": downloads.attachment(city.filename(scope)),
                             "Cache-Control": "no-store"})


def _json(scope: list[int] | None, status_labels: dict[str, str]) -> str:
    """The synthesis of the scope as a JSON document, encoded in the job thread too: a season's
    themes make a document large enough to hold up the sockets while it is encoded."""
    return current_app.json.dumps({**city.synthesis(scope), "status_labels": status_labels})


def _workbook(scope: list[int] | None) -> bytes:
    """The synthesis of the scope as an XLSX workbook."""
    return city.to_xlsx(city.synthesis(scope), city.scope_name(scope))
