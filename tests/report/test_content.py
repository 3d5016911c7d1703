"""The report's numbers against the stored rows, counted here with SQL of their own; its quotes are stored
notes' texts; curated themes first; the earlier year's change; an empty café says so."""
from collections import Counter
from datetime import date

import pytest
from sqlalchemy import text

from cafe.extensions import db
from cafe.report import gather, scope
from tests.report.conftest import CURATED, NOVEL


@pytest.fixture(scope="module")
def content(report_app, held_id):
    """The report's content for the held café, with the stored rows it was made from."""
    with report_app.app_context():
        chosen = scope.Scope([db.session.get(scope.Event, held_id)])
        report = gather.report(chosen, "t", "p", date.today())
        rows = db.session.execute(text("SELECT id, text, level, confirmed_point FROM notes "
                                       "WHERE event_id = :e AND deleted_at IS NULL"), {"e": held_id}).all()
        actions = db.session.execute(text(
            "SELECT u.name, a.status FROM action_items a LEFT JOIN units u ON u.id = a.unit_id "
            "WHERE a.event_id = :e AND a.is_draft = 0"), {"e": held_id}).all()
        outside = db.session.execute(text("SELECT title, point FROM action_items WHERE event_id = :e AND "
                                          "is_draft = 0 AND point IS NULL ORDER BY id"), {"e": held_id}).all()
        tables = db.session.execute(text("SELECT count(*) FROM tables WHERE event_id = :e"), {"e": held_id}).scalar()
        ballots = db.session.execute(text("SELECT b.points FROM ballots b JOIN votes v ON v.id = b.vote_id "
                                          "WHERE v.event_id = :e"), {"e": held_id}).all()
        yield report, {"notes": rows, "actions": actions, "tables": tables, "ballots": ballots, "outside": outside}


def test_the_summary_counts_what_is_stored(content):
    report, stored = content
    cafe = report.cafes[0]
    assert (cafe.notes, cafe.tables, cafe.ballots) == (len(stored["notes"]), stored["tables"], len(stored["ballots"]))
    assert report.notes == len(stored["notes"]) > 100
    assert len(report.actions) == len(stored["actions"]) > 0
    assert report.done == sum(status == "genomford" for _, status in stored["actions"])
    outside = [title for title, point in stored["outside"]]
    assert outside and [a.title for a in report.outside_actions] == outside
    assert report.new_questions == [NOVEL] + outside


def test_each_point_has_its_notes_and_levels_as_stored(content):
    report, stored = content
    per_point = Counter(point for *_, point in stored["notes"])
    levels = Counter((point, level) for _, _, level, point in stored["notes"] if level)
    assert [p.number for p in report.points] == list(range(1, 14))
    for section in report.points:
        assert section.notes == per_point[section.number]
        assert section.levels == {lv: n for (p, lv), n in levels.items() if p == section.number}
    assert report.outside_notes == per_point[0]
    top = sorted(((-n, p) for p, n in per_point.items() if p), key=lambda x: x)[:3]
    assert [p.number for p in report.top_points()] == [p for _, p in top]


def test_quotes_are_stored_notes_and_the_curated_come_first(content):
    report, stored = content
    texts = {t for _, t, _, _ in stored["notes"]}
    quotes = [q for p in report.points for q in p.quotes] + [q for t in report.novel for q in t.quotes]
    assert quotes and set(quotes) <= texts
    outside = {t for _, t, _, point in stored["notes"] if point == 0}
    assert report.outside_quotes and set(report.outside_quotes) <= outside
    two = report.points[1]
    assert two.themes[0].title == CURATED and two.themes[0].curated
    assert [t.title for t in report.novel] == [NOVEL] and report.novel[0].notes == 5
    for section in report.points:
        assert 0 < len(section.quotes) <= 3 or section.notes == 0


def test_a_note_marked_for_the_plenary_is_the_first_quote(report_app, content, held_id):
    report, _ = content
    with report_app.app_context():
        marked = db.session.execute(text("SELECT n.text FROM plenary_notes p JOIN notes n ON n.id = p.note_id "
                                         "WHERE p.event_id = :e"), {"e": held_id}).scalar()
    assert report.points[1].quotes[0] == marked


def test_the_change_since_the_earlier_year(content):
    report, stored = content
    assert report.previous_year == report.cafes[0].day.year - 1
    two = report.points[1]
    assert two.previous == 3 and two.change == two.notes - 3
    assert report.points[0].previous == 0


def test_actions_per_unit_with_their_share_done(content):
    report, stored = content
    per_unit = Counter(name for name, _ in stored["actions"])
    assert {u.name: len(u.actions) for u in report.units} == dict(per_unit)
    for unit in report.units:
        done = sum(1 for name, status in stored["actions"] if name == unit.name and status == "genomford")
        assert unit.done == done and unit.share_done == pytest.approx(done / len(unit.actions))


def test_the_pre_vote_result(content):
    report, stored = content
    votes = Counter(int(n) for (points,) in stored["ballots"] for n in __import__("json").loads(points))
    assert [(n, v) for n, _, v in report.vote_points] == [(n, votes[n]) for n in range(1, 14)]


def test_an_empty_cafe_gives_a_short_report_that_says_so(report_app):
    from cafe.report import formats
    with report_app.app_context():
        planned = db.session.execute(text("SELECT e.id FROM events e WHERE NOT EXISTS "
                                          "(SELECT 1 FROM notes n WHERE n.event_id = e.id)")).scalar()
        written = formats.write(formats.reload([planned], None, None), "sv")
        body = formats.render(written, "html", "x").decode()
    assert "Inga anteckningar sparades i de valda caféerna" in body
    assert "3. Vad medarbetarna tog upp" not in body and "1. Sammanfattning" in body
