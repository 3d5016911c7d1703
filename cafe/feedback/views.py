"""The public feedback page, its QR code and its Atom feed: no login, only the link's secret."""
import io

import segno
from flask import Blueprint, Response, abort, current_app, render_template, url_for

from ..errors import ServiceError
from ..followup import actions, feedback

bp = Blueprint("feedback", __name__, url_prefix="/feedback")


def public_url(endpoint: str, **values) -> str:
    """An absolute address on the installation's public URL (what participants can reach)."""
    return current_app.config["PUBLIC_URL"] + url_for(endpoint, **values)


def _event(token: str):
    """The event behind a feedback link, else 404."""
    try:
        return actions.event_for_feedback(token)
    except ServiceError:
        abort(404)


@bp.route("/<token>")
def show(token):
    """"Vad har hänt med era idéer?": every counted action per point and per unit."""
    event = _event(token)
    return render_template("feedback/show.html", event=event, token=token, page=feedback.page(event),
                           statuses=actions.STATUS_LABELS, page_url=public_url(".show", token=token))


@bp.route("/<token>/qr.svg")
def qr(token):
    """A QR code of the page's address, for a poster or a slide."""
    _event(token)
    out = io.BytesIO()
    segno.make(public_url(".show", token=token), error="m").save(
        out, kind="svg", scale=6, border=2, title="QR-kod till återkopplingssidan")
    return Response(out.getvalue(), mimetype="image/svg+xml", headers={"Cache-Control": "no-store"})


@bp.route("/<token>/feed.atom")
def feed(token):
    """An Atom feed of status changes, newest first."""
    event = _event(token)
    body = feedback.atom(event, public_url(".show", token=token),
                         public_url(".feed", token=token))
    return Response(body, mimetype="application/atom+xml; charset=utf-8")
