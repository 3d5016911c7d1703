"""The city-wide page with charts, its JSON data and its XLSX export."""
from flask import Response, abort, jsonify, render_template
from flask_login import current_user, login_required

from .. import jobs
from ..services import actions, city
from . import bp

WAIT_SECONDS = 120


def _computed(fn, *args):
    """Run the city-wide work in a job thread and wait for it: across many cafés it takes long enough
    (stemming, grouping) to hold up every note of the server process if it ran in the request itself."""
    return jobs.submit(fn, *args).result(timeout=WAIT_SECONDS)


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
    data = _computed(city.synthesis, _scope())
    return render_template("city/show.html", data=data, statuses=actions.STATUS_LABELS,
                           titles={int(k): v for k, v in data["point_titles"].items()})


@bp.route("/data.json")
@login_required
def data():
    """The synthesis as JSON (the page's charts read it)."""
    synthesis = _computed(city.synthesis, _scope())
    synthesis["status_labels"] = {k: str(v) for k, v in actions.STATUS_LABELS.items()}
    return jsonify(synthesis)


@bp.route("/export.xlsx")
@login_required
def export():
    """The synthesis as a workbook."""
    return Response(_computed(_workbook, _scope()),
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": 'attachment; filename="stadsovergripande-synthes.xlsx"',
                             "Cache-Control": "no-store"})


def _workbook(scope: list[int] | None) -> bytes:
    """The synthesis of the scope as an XLSX workbook."""
    return city.to_xlsx(city.synthesis(scope))
