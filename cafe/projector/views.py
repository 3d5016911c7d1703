"""The projector page, authenticated by the event's secret token."""
import segno
from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import lazy_gettext as _l

from ..errors import ServiceError
from ..events import votes
from ..models import Event
from ..people import access
from ..synthesis import plenary

bp = Blueprint("projector", __name__, url_prefix="/projector")

SLIDE_LABELS = {"join": _l("Gå med (QR-koder)"), "points": _l("Fördelning på punkterna"), "themes": _l("Teman"),
                "starred": _l("Utvalda anteckningar"), "novel": _l("Utanför ramverket"),
                "tables": _l("Från borden"), "prevote": _l("Förhandsenkäten och samtalen")}


@bp.app_context_processor
def _slides():
    """The projector's slides, in order, with their Swedish names (console and projector)."""
    return {"projector_slides": [(name, str(SLIDE_LABELS[name])) for name in plenary.SLIDES]}


def join_cards(event: Event) -> list[dict]:
    """Each table's name, join code, link and QR code (inline SVG) for the slide shown before the café."""
    cards = []
    for table in event.tables:
        url = f"{current_app.config['PUBLIC_URL']}/t/{table.join_code}"
        qr = segno.make(url, error="m").svg_inline(scale=4, dark="#000", light="#fff", omitsize=True,
                                                   title=f"QR-kod för {table.display_name}")
        cards.append({"name": table.display_name, "code": access.format_join_code(table.join_code),
                      "url": url, "qr": qr})
    return cards


def prevote(event: Event) -> list[dict]:
    """Votes per point from the event's pre-vote, or an empty list when there was none."""
    vote = votes.vote_of(event)
    if vote is None:
        return []
    return [{"point": p["number"], "votes": p["votes"]} for p in votes.results(vote)["points"]]


def started(event: Event) -> bool:
    """True once the café is live and a round has started; before that the join codes are shown."""
    return event.status != "draft" and any(r.started_at for r in event.rounds)


@bp.route("/<int:event_id>")
def show(event_id):
    """The plenary slides, live, readable from the back of a room."""
    try:
        principal = access.resolve(request.args.get("token", ""))
    except ServiceError:
        abort(403)
    if principal.kind != "projector" or principal.event.id != event_id:
        abort(403)
    event = principal.event
    return render_template("projector/show.html", event=event, token=request.args["token"],
                           cards=join_cards(event), prevote=prevote(event), started=started(event),
                           state=plenary.current(event.id))
