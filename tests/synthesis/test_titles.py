"""Readable themes in the live synthesis: titles, stable while the café grows, a facilitator's name wins,
and a small café's recurring topics become themes."""
import json
from collections import defaultdict
from pathlib import Path

import pytest
from sqlalchemy import select, update

from cafe.extensions import db
from cafe.models import Note, Table, Theme, utcnow
from cafe.notes import capture
from cafe.synthesis import passes, placement
from cafe.synthesis.theme_builder import clamp
from tests.conftest import new_note

DEMO = Path(__file__).resolve().parents[2] / "cafe" / "demo" / "cafe.json"


@pytest.fixture
def event_id(app, demo):
    """The demo café after a first pass."""
    with app.app_context():
        passes.run_pass(demo["event_id"])
    return demo["event_id"]


def labels(event_id: int) -> dict[int, str]:
    """The title of every visible theme."""
    return {t.id: t.label for t in passes.visible_themes(event_id)}


def test_every_theme_has_a_short_distinct_title_and_a_quote(app, event_id):
    with app.app_context():
        themes = passes.visible_themes(event_id)
        titles = [t.label for t in themes]
        assert all("," not in t and 2 <= len(t.split()) <= 6 and len(t) <= 40 and t[0].isupper() for t in titles)
        assert len({t.lower() for t in titles}) == len(titles)
        assert all(t.quotes and t.quotes[0] for t in themes)


def test_one_note_more_renames_no_card_and_a_facilitators_name_stays(app, event_id, demo):
    with app.app_context():
        before = labels(event_id)
        named = passes.visible_themes(event_id)[0]
        named.label, named.label_custom = "Så tar vi emot nya", True
        db.session.commit()
        table = db.session.get(Table, demo["tables"][0]["id"])
        capture.add(table, new_note("checklista och mentor för nyanställda första veckan"))
        passes.run_pass(event_id)
        after = labels(event_id)
        assert after[named.id] == "Så tar vi emot nya"
        renamed = [t for t in before if t != named.id and t in after and after[t] != before[t]]
        assert renamed == []


def test_a_small_cafe_gets_themes_for_its_recurring_topics(app, demo):
    """22 notes on four points and two outside: most of them end up in a theme."""
    with app.app_context():
        event_id = demo["event_id"]
        point_of = {n["text"]: n["point"] for n in json.loads(DEMO.read_text(encoding="utf-8"))["notes"]}
        by_point = defaultdict(list)
        for note in db.session.scalars(select(Note).where(Note.event_id == event_id).order_by(Note.id)):
            by_point[point_of.get(note.text)].append(note.id)
        kept = [i for p in (2, 6, 3, 13) for i in by_point[p][:5]] + by_point[0][:2]
        db.session.execute(update(Note).where(Note.event_id == event_id, Note.id.not_in(kept))
                           .values(deleted_at=utcnow()))
        db.session.execute(update(Note).where(Note.id.in_(kept)).values(confirmed_point=None, suggested_point=None))
        db.session.commit()
        passes.run_pass(event_id)
        in_themes = set(passes.memberships(event_id)) & set(kept)
        shown = passes.visible_themes(event_id)
        assert len(kept) == 22 and len(in_themes) >= 16, (len(in_themes), [t.label for t in shown])
        assert len(shown) >= 4
        assert db.session.scalar(select(Theme.id).where(Theme.event_id == event_id, Theme.origin == "point"))


@pytest.mark.parametrize("text, limit, expected", [
    ("kort text", 20, "kort text"),
    ("en mening som är alldeles för lång", 20, "en mening som är…"),
    ("socialsekreterarutbildningsansvarig", 12, "socialsekre…"),
])
def test_a_long_quote_is_cut_at_a_word_with_an_ellipsis(text, limit, expected):
    assert clamp(text, limit) == expected


def test_a_big_cafe_leaves_notes_to_its_clusters_instead_of_a_catch_all_per_point(app, demo, monkeypatch):
    monkeypatch.setattr(placement, "GATHER_UP_TO", 50)
    with app.app_context():
        passes.run_pass(demo["event_id"])
        assert db.session.scalar(select(Theme.id).where(Theme.event_id == demo["event_id"],
                                                        Theme.origin == "point")) is None
        assert len(passes.memberships(demo["event_id"])) < len(passes.load_notes(demo["event_id"]))
