"""The pre-vote: opening and closing it, personal link codes, casting ballots, and the results."""
import secrets
from collections import Counter

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from .. import validation
from ..errors import ServiceError
from ..extensions import db
from ..models import Ballot, Event, Vote, VoteLinkCode, utcnow
from ..people.access import JOIN_ALPHABET

MAX_POINTS = 13
MAX_LINK_CODES = 1000
WISH_MAX_CHARS = 1000
CODE_LENGTH = 10
WISH_ERRORS = {"text_too_long": "wish_too_long", "control_chars": "wish_control_chars"}


def vote_of(event: Event) -> Vote | None:
    """The event's pre-vote, if one was ever set up."""
    return db.session.scalar(select(Vote).where(Vote.event_id == event.id))


def ensure_vote(event: Event) -> Vote:
    """The event's pre-vote, created as a draft with a fresh secret link when missing."""
    vote = vote_of(event)
    if vote is None:
        vote = Vote(event_id=event.id, secret=secrets.token_urlsafe(18), max_points=3, personal_only=False)
        db.session.add(vote)
        db.session.flush()
    return vote


def by_secret(secret) -> Vote:
    """The vote behind a public link, or 404."""
    if not isinstance(secret, str) or not 10 <= len(secret) <= 64:
        raise ServiceError("not_found", status=404)
    vote = db.session.scalar(select(Vote).where(Vote.secret == secret))
    if vote is None:
        raise ServiceError("not_found", status=404)
    return vote


def open_vote(event: Event, max_points, personal_only=False) -> Vote:
    """Open (or reopen) the pre-vote with at most `max_points` points per participant."""
    vote = ensure_vote(event)
    count = len(event.framework.points) if event.framework else 0
    if isinstance(max_points, bool) or not isinstance(max_points, int) or not 1 <= max_points <= max(count, 1):
        raise ServiceError("invalid_max_points", field="max_points", max=count)
    if not isinstance(personal_only, bool):
        raise ServiceError("invalid_field", field="personal_only")
    vote.max_points, vote.personal_only = max_points, personal_only
    vote.opened_at, vote.closed_at = vote.opened_at or utcnow(), None
    db.session.flush()
    return vote


def close_vote(vote: Vote) -> Vote:
    """Close the pre-vote; no more ballots are taken."""
    if vote.status != "open":
        raise ServiceError("vote_not_open", status=409)
    vote.closed_at = utcnow()
    db.session.flush()
    return vote


def make_link_codes(vote: Vote, count) -> list[str]:
    """Create `count` single-use personal link codes and return them."""
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_LINK_CODES:
        raise ServiceError("invalid_link_count", field="count", max=MAX_LINK_CODES)
    codes = set()
    while len(codes) < count:
        code = "".join(secrets.choice(JOIN_ALPHABET) for _ in range(CODE_LENGTH))
        if db.session.scalar(select(VoteLinkCode.id).where(VoteLinkCode.code == code)) is None:
            codes.add(code)
    vote.link_codes.extend(VoteLinkCode(code=c) for c in sorted(codes))
    db.session.flush()
    return sorted(codes)


def new_voter_id() -> str:
    """A random id for one browser."""
    return secrets.token_urlsafe(18)


def has_voted(vote: Vote, voter_id: str | None) -> bool:
    """True when this browser already sent a ballot."""
    return bool(voter_id) and db.session.scalar(
        select(Ballot.id).where(Ballot.vote_id == vote.id, Ballot.voter_id == voter_id)) is not None


def chosen_points(vote: Vote, value) -> list[int]:
    """Validate the chosen points: known, distinct, at least one and at most the vote's limit."""
    if not isinstance(value, list) or len(value) > 100:
        raise ServiceError("invalid_field", field="points")
    known = {p.number for p in vote.event.framework.points} if vote.event.framework else set()
    if any(isinstance(n, bool) or not isinstance(n, int) or n not in known for n in value):
        raise ServiceError("invalid_point", field="points")
    result = sorted(set(value))
    if not result:
        raise ServiceError("no_points", field="points")
    if len(result) > vote.max_points:
        raise ServiceError("too_many_points", field="points", max=vote.max_points)
    return result


def wish_text(value) -> str:
    """The optional free-text wish, validated like a note (at most 1,000 characters)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    try:
        return validation.note_text(value, WISH_MAX_CHARS)
    except ServiceError as error:
        raise ServiceError(WISH_ERRORS.get(error.code, "invalid_field"), field="wish") from None


def check_can_vote(vote: Vote, voter_id, code) -> VoteLinkCode | None:
    """Refuse a closed vote, a second ballot, and used or unknown personal links."""
    if vote.status == "closed":
        raise ServiceError("vote_closed", status=409)
    if vote.status != "open":
        raise ServiceError("vote_not_open", status=409)
    if not isinstance(voter_id, str) or not 10 <= len(voter_id) <= 64:
        raise ServiceError("invalid_field", field="voter_id")
    if has_voted(vote, voter_id):
        raise ServiceError("already_voted", status=409)
    link = _link_code(vote, code)
    if link is None and vote.personal_only:
        raise ServiceError("personal_link_required", status=403)
    return link


def _link_code(vote: Vote, code) -> VoteLinkCode | None:
    """The personal link code given, if any; used or unknown codes are refused."""
    if code in (None, ""):
        return None
    link = db.session.scalar(select(VoteLinkCode).where(
        VoteLinkCode.vote_id == vote.id, VoteLinkCode.code == str(code)[:32].upper()))
    if link is None:
        raise ServiceError("invalid_vote_code", status=404)
    if link.used_at is not None:
        raise ServiceError("code_used", status=409)
    return link


def cast(vote: Vote, voter_id, chosen, wish=None, code=None) -> Ballot:
    """Store one participant's ballot; a second try from the same browser or link is refused."""
    link = check_can_vote(vote, voter_id, code)
    ballot = Ballot(vote_id=vote.id, voter_id=voter_id, points=chosen_points(vote, chosen),
                    wish=wish_text(wish), link_code_id=link.id if link else None)
    if link is not None and db.session.execute(
            update(VoteLinkCode).where(VoteLinkCode.id == link.id, VoteLinkCode.used_at.is_(None))
            .values(used_at=utcnow())).rowcount != 1:
        db.session.rollback()
        raise ServiceError("code_used", status=409)
    db.session.add(ballot)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise ServiceError("already_voted", status=409) from None
    return ballot


def results(vote: Vote) -> dict:
    """Counts per framework point, the number of ballots, and the wishes."""
    ballots = db.session.scalars(select(Ballot).where(Ballot.vote_id == vote.id).order_by(Ballot.id)).all()
    counts = Counter(n for b in ballots for n in b.points)
    framework = vote.event.framework.points if vote.event.framework else []
    return {**vote.to_dict(), "ballots": len(ballots),
            "link_codes": {"total": len(vote.link_codes), "used": sum(1 for c in vote.link_codes if c.used_at)},
            "points": [{"number": p.number, "label": p.label, "title": p.title, "votes": counts.get(p.number, 0)}
                       for p in framework],
            "wishes": [b.wish for b in ballots if b.wish]}


def top_points(result: dict, count: int) -> list[int]:
    """The `count` most voted points (ties by point number)."""
    ranked = sorted((p for p in result["points"] if p["votes"]), key=lambda p: (-p["votes"], p["number"]))
    return [p["number"] for p in ranked[:count]]


def record_counts(event: Event, counts: dict[int, int], max_points: int = 3) -> Vote:
    """Store a finished pre-vote (e.g. from a paper or an earlier survey) as ballots with these counts."""
    vote = ensure_vote(event)
    vote.max_points = max_points
    vote.opened_at = vote.closed_at = utcnow()
    left = {int(n): int(c) for n, c in counts.items() if int(c) > 0}
    while left:
        chosen = sorted(left, key=lambda n: (-left[n], n))[:max_points]
        db.session.add(Ballot(vote_id=vote.id, voter_id=new_voter_id(), points=sorted(chosen), wish=""))
        for number in chosen:
            left[number] -= 1
            if not left[number]:
                del left[number]
    db.session.flush()
    return vote


def public_link(vote: Vote, public_url: str, code: str | None = None) -> str:
    """The link participants open: the vote's, or one personal link's."""
    base = f"{public_url.rstrip('/')}/v/{vote.secret}"
    return f"{base}/{code}" if code else base
