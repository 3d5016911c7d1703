"""The live synthesis pass: increments keep theme ids, curations survive, restarts rebuild."""
import pytest

from cafe.extensions import db
from cafe.models import Table, Theme
from cafe.services import notes, synthesis
from tests.conftest import new_note


@pytest.fixture
def event_id(app, demo):
    """The demo café after a first pass."""
    with app.app_context():
        synthesis.run_pass(demo["event_id"])
    return demo["event_id"]


def snapshot(event_id: int) -> tuple[set, dict]:
    """Theme ids shown and every note's theme."""
    return ({t.id for t in synthesis.visible_themes(event_id)},
            {n: t for n, (t, _) in synthesis.memberships(event_id).items()})


def add_notes(table_id: int, texts: list[str]) -> list[int]:
    """Add notes as a table host would."""
    table = db.session.get(Table, table_id)
    return [notes.add(table, new_note(text)).note.id for text in texts]


def test_new_notes_join_existing_themes_and_ids_stay(app, event_id, demo):
    with app.app_context():
        ids_before, members_before = snapshot(event_id)
        added = add_notes(demo["tables"][0]["id"], [
            "mentor till alla nyanställda första veckorna", "introduktion för nyanställda med checklista",
            "mer administrativt stöd med bokningar och fakturor"])
        result = synthesis.run_pass(event_id)
        ids_after, members_after = snapshot(event_id)
        assert ids_before <= ids_after
        assert all(members_after[n] == t for n, t in members_before.items())
        assert sum(1 for n in added if members_after.get(n) in ids_before) >= 2
        assert result.state["state"] == "up_to_date" and result.state["pending"] == 0
        assert {m[0] for m in result.change.payload["memberships"]} <= set(added)
        assert len(result.change.payload["themes"]) < len(ids_after)


def test_a_pass_without_news_records_nothing(app, event_id):
    with app.app_context():
        assert synthesis.run_pass(event_id).change is None


def test_a_restarted_process_keeps_theme_ids_and_curations(app, event_id):
    with app.app_context():
        theme = synthesis.visible_themes(event_id)[0]
        theme.label, theme.label_custom = "Egen rubrik", True
        db.session.commit()
        ids_before, members_before = snapshot(event_id)
        synthesis.states().clear()
        synthesis.run_pass(event_id)
        ids_after, members_after = snapshot(event_id)
        assert ids_before == ids_after and members_before == members_after
        assert db.session.get(Theme, theme.id).label == "Egen rubrik"


def test_notes_get_a_suggested_point_and_the_spread_counts_every_note(app, event_id):
    with app.app_context():
        rows = synthesis.load_notes(event_id)
        assert all(n.suggested_point is not None for n in rows)
        state = synthesis.states()[event_id]
        assert sum(p["count"] for p in state.points_sent) == len(rows)


def test_status_counts_notes_not_yet_included(app, event_id, demo):
    with app.app_context():
        add_notes(demo["tables"][1]["id"], ["hot och våld i receptionen", "larm saknas i mottagningen"])
        status = synthesis.status(event_id)
        assert status["state"] == "updating" and status["pending"] == 2


def test_a_pass_in_small_write_batches_stores_the_same(app, demo, monkeypatch):
    """Batches keep SQLite's write lock short; the result is the same as in one go."""
    monkeypatch.setattr(synthesis, "BATCH_ROWS", 7)
    monkeypatch.setattr(synthesis, "THEME_BATCH", 2)
    monkeypatch.setattr(synthesis, "BATCH_REST", 0)
    from sqlalchemy import event as sa_event
    from sqlalchemy.orm import Session
    commits = []

    def count(_session):
        commits.append(1)
    sa_event.listen(Session, "after_commit", count)
    with app.app_context():
        result = synthesis.run_pass(demo["event_id"])
        rows = synthesis.load_notes(demo["event_id"])
        placed = synthesis.memberships(demo["event_id"])
        assert all(n.suggested_point is not None for n in rows)
        assert {m[0] for m in result.change.payload["memberships"]} == set(placed)
        assert len(result.change.payload["suggested"]) == len(rows)
        assert {t["id"] for t in result.change.payload["themes"]} == {t.id for t in synthesis.visible_themes(demo["event_id"])}
    sa_event.remove(Session, "after_commit", count)
    assert len(commits) >= 2 * len(rows) // 7
