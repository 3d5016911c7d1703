"""API endpoints for planning a café (event, tables, rounds, status) and for its pre-vote."""
from flask import current_app, jsonify, request

from .. import validation
from ..errors import ServiceError
from ..events import planning, votes
from ..extensions import db
from ..models import Event
from .auth import principal, require
from .blueprint import bp
from .planning_spec import EVENT_FIELDS


def _body() -> dict:
    """The request's JSON object, or a clear 400."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ServiceError("invalid_payload", status=400)
    return data


def _organizer():
    """The calling organizer: 401 without credentials, 403 for other roles."""
    who = principal()
    require(who.kind != "anonymous", who)
    require(who.is_user and who.user.role == "organizer", who)
    return who


def _planned(event_id: int) -> Event:
    """An event the calling organizer plans; 404 for events of other administrations."""
    return planning.planned_event(_organizer(), event_id)


def _done(payload: dict, status: int = 200):
    """Commit, tell the café's open pages, and answer with JSON."""
    db.session.commit()
    planning.broadcast_announced()
    return jsonify(payload), status


def _plan(event: Event) -> dict:
    """An event with its tables and their join codes, as its organizer sees it."""
    return {**event.to_dict(), "tables": [{**t.to_dict(), "join_code": t.join_code} for t in event.tables]}


@bp.post("/events")
def create_event():
    """Create a draft café in the organizer's administration."""
    who = _organizer()
    return _done(_plan(planning.create_event(who.user, validation.known_fields(_body(), EVENT_FIELDS))), 201)


@bp.post("/events/from-template")
def create_from_template():
    """Create the theme day after the action plan (three rounds, eight tables)."""
    who = _organizer()
    return _done(_plan(planning.from_template(who.user)), 201)


@bp.patch("/events/<int:event_id>")
def update_event(event_id):
    """Change a café's title, date, place, description or focus points."""
    event = _planned(event_id)
    return _done(_plan(planning.update_event(event, validation.known_fields(_body(), EVENT_FIELDS))))


@bp.post("/events/<int:event_id>/status")
def set_status(event_id):
    """Move a café between draft, live and closed (closing under connected hosts needs "confirm": true)."""
    event = _planned(event_id)
    body = _body()
    return _done(_plan(planning.set_status(event, body.get("status"), confirmed=body.get("confirm") is True)))


@bp.put("/events/<int:event_id>/tables")
def put_tables(event_id):
    """Replace the café's tables; tables that keep their id keep their join code.

    Removing a table whose host is connected needs "confirm": true.
    """
    event = _planned(event_id)
    body = _body()
    planning.set_tables(event, body.get("tables"), confirmed=body.get("confirm") is True)
    return _done(_plan(event))


@bp.put("/events/<int:event_id>/rounds")
def put_rounds(event_id):
    """Replace the café's rounds; started rounds and rounds with notes cannot be removed."""
    event = _planned(event_id)
    planning.set_rounds(event, _body().get("rounds"))
    return _done(_plan(event))


@bp.get("/events/<int:event_id>/vote")
def vote_results(event_id):
    """The pre-vote's status and results (counts per point, ballots, wishes)."""
    event = _planned(event_id)
    vote = votes.vote_of(event)
    if vote is None:
        raise ServiceError("not_found", status=404)
    return jsonify(votes.results(vote))


@bp.post("/events/<int:event_id>/vote/open")
def open_vote(event_id):
    """Open the pre-vote with at most `max_points` points per participant."""
    event = _planned(event_id)
    data = _body()
    vote = votes.open_vote(event, data.get("max_points"), data.get("personal_only", False))
    return _done({**vote.to_dict(), "url": votes.public_link(vote, current_app.config['PUBLIC_URL'])})


@bp.post("/events/<int:event_id>/vote/close")
def close_vote(event_id):
    """Close the pre-vote."""
    vote = votes.vote_of(_planned(event_id))
    if vote is None:
        raise ServiceError("not_found", status=404)
    return _done(votes.close_vote(vote).to_dict())


@bp.post("/events/<int:event_id>/vote/codes")
def link_codes(event_id):
    """Make `count` single-use personal links."""
    vote = votes.ensure_vote(_planned(event_id))
    codes = votes.make_link_codes(vote, _body().get("count"))
    return _done({"links": [votes.public_link(vote, current_app.config['PUBLIC_URL'], c) for c in codes]}, 201)
