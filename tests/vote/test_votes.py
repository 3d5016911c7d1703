"""The pre-vote service: opening, ballots, double votes, closed votes, personal links, results, exports."""
import csv
import io
import json

import pytest
from openpyxl import load_workbook

from cafe.errors import ServiceError
from cafe.events import planning, vote_exports, votes
from cafe.extensions import db
from cafe.models import Ballot
from tests.vote.conftest import point_rows


@pytest.fixture
def vote(organizer):
    """An open pre-vote with three points per participant on a fresh template café."""
    event = planning.from_template(organizer)
    vote = votes.open_vote(event, 3)
    db.session.commit()
    return vote


def refused(expected, call, *args, **kwargs):
    """Assert that the call is refused with this code; return the error."""
    with pytest.raises(ServiceError) as error:
        call(*args, **kwargs)
    assert error.value.code == expected, error.value.code
    db.session.rollback()
    return error.value


def test_a_ballot_is_counted(vote):
    votes.cast(vote, votes.new_voter_id(), [2, 6], "Mer tid för introduktion")
    votes.cast(vote, votes.new_voter_id(), [6])
    result = votes.results(vote)
    counts = {p["number"]: p["votes"] for p in result["points"]}
    assert result["ballots"] == 2 and counts[6] == 2 and counts[2] == 1 and counts[1] == 0
    assert result["wishes"] == ["Mer tid för introduktion"]
    assert votes.top_points(result, 2) == [6, 2]


def test_second_ballot_from_the_same_browser_is_refused(vote):
    voter = votes.new_voter_id()
    votes.cast(vote, voter, [1])
    error = refused("already_voted", votes.cast, vote, voter, [2])
    assert error.status == 409 and "redan" in error.message
    assert votes.results(vote)["ballots"] == 1


def test_closed_vote_takes_no_ballots(vote):
    votes.close_vote(vote)
    db.session.commit()
    assert refused("vote_closed", votes.cast, vote, votes.new_voter_id(), [1]).status == 409
    assert "stängd" in refused("vote_closed", votes.cast, vote, votes.new_voter_id(), [1]).message


def test_vote_that_was_never_opened_takes_no_ballots(organizer):
    vote = votes.ensure_vote(planning.from_template(organizer))
    refused("vote_not_open", votes.cast, vote, votes.new_voter_id(), [1])


def test_too_many_points_are_refused(vote):
    error = refused("too_many_points", votes.cast, vote, votes.new_voter_id(), [1, 2, 3, 4])
    assert error.details["max"] == 3
    assert votes.results(vote)["ballots"] == 0


@pytest.mark.parametrize("points, code", [
    ([], "no_points"), ([14], "invalid_point"), ([0], "invalid_point"), (["2"], "invalid_point"),
    ([True], "invalid_point"), ("2", "invalid_field"), (None, "invalid_field"), (list(range(200)), "invalid_field")])
def test_bad_points_are_refused(vote, points, code):
    refused(code, votes.cast, vote, votes.new_voter_id(), points)


@pytest.mark.parametrize("wish, code", [
    ("x" * 1001, "wish_too_long"), ("hej\x00", "wish_control_chars"), (42, "invalid_field")])
def test_bad_wishes_are_refused(vote, wish, code):
    refused(code, votes.cast, vote, votes.new_voter_id(), [1], wish)
    assert db.session.scalar(db.select(db.func.count(Ballot.id)).where(Ballot.vote_id == vote.id)) == 0


@pytest.mark.parametrize("voter", [None, "", "kort", 12, "x" * 65])
def test_bad_voter_ids_are_refused(vote, voter):
    refused("invalid_field", votes.cast, vote, voter, [1])


def test_duplicate_points_count_once(vote):
    votes.cast(vote, votes.new_voter_id(), [5, 5, 5])
    assert {p["number"]: p["votes"] for p in votes.results(vote)["points"]}[5] == 1


def test_personal_links_are_single_use(vote):
    code = votes.make_link_codes(vote, 2)[0]
    db.session.commit()
    votes.cast(vote, votes.new_voter_id(), [1], code=code.lower())
    refused("code_used", votes.cast, vote, votes.new_voter_id(), [2], code=code)
    refused("invalid_vote_code", votes.cast, vote, votes.new_voter_id(), [2], code="FINNSINTE1")
    result = votes.results(vote)
    assert result["ballots"] == 1 and result["link_codes"] == {"total": 2, "used": 1}


def test_personal_only_vote_needs_a_link(organizer):
    vote = votes.open_vote(planning.from_template(organizer), 2, personal_only=True)
    code = votes.make_link_codes(vote, 1)[0]
    db.session.commit()
    refused("personal_link_required", votes.cast, vote, votes.new_voter_id(), [1])
    votes.cast(vote, votes.new_voter_id(), [1], code=code)


@pytest.mark.parametrize("max_points", [0, 14, "3", None, True])
def test_bad_max_points_are_refused(organizer, max_points):
    with pytest.raises(ServiceError, match="invalid_max_points"):
        votes.open_vote(planning.from_template(organizer), max_points)


@pytest.mark.parametrize("count", [0, 1001, "5", None])
def test_bad_link_counts_are_refused(vote, count):
    refused("invalid_link_count", votes.make_link_codes, vote, count)


def test_reopening_keeps_ballots(vote):
    votes.cast(vote, votes.new_voter_id(), [1])
    votes.close_vote(vote)
    refused("vote_not_open", votes.close_vote, vote)
    votes.open_vote(vote.event, 2)
    assert vote.status == "open" and votes.results(vote)["ballots"] == 1


@pytest.mark.parametrize("secret", [None, "", "kort", "x" * 65, "okänd-hemlighet-123"])
def test_unknown_secrets_are_not_found(ctx, secret):
    assert refused("not_found", votes.by_secret, secret).status == 404


def test_exports(vote):
    votes.cast(vote, votes.new_voter_id(), [2, 6], "=HYPERLINK(\"http://x\")")
    votes.cast(vote, votes.new_voter_id(), [6])
    result = votes.results(vote)
    body = vote_exports.to_csv(result)
    assert body.startswith("\ufeff".encode())
    table = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert table[0][:4] == ["Punkt", "Kortnamn", "Rubrik", "Röster"]
    assert table[6][0] == "6" and table[6][3] == "2" and table[6][4] == "100,0"
    book = load_workbook(io.BytesIO(vote_exports.to_xlsx(result, vote.event)))
    assert point_rows(book["Resultat"])[6][3] == 2
    [wish] = [c for c in book["Önskemål"]["A"] if c.value and c.value.startswith("=")]
    assert wish.value == "=HYPERLINK(\"http://x\")" and wish.data_type == "s" and wish.quotePrefix
    document = json.loads(json.dumps(vote_exports.to_json(result, vote.event)))
    assert document["vote"]["ballots"] == 2 and document["event"]["id"] == vote.event_id


def test_recorded_counts_become_ballots_with_those_counts(organizer):
    event = planning.from_template(organizer)
    vote = votes.record_counts(event, {2: 5, 6: 7, 13: 1, 4: 0}, max_points=2)
    result = votes.results(vote)
    assert vote.status == "closed"
    assert {p["number"]: p["votes"] for p in result["points"] if p["votes"]} == {2: 5, 6: 7, 13: 1}
    assert all(len(b.points) <= 2 for b in vote.ballots)
