"""The live synthesis pass: increments keep theme ids, curations survive, restarts rebuild."""
import pytest

from cafe.extensions import db
from cafe.models import Table, Theme, ThemeMembership
from cafe.notes import capture, editing
from cafe.synthesis import passes
from cafe.synthesis.theme_builder import match_clusters
from tests.conftest import new_note


@pytest.fixture
def event_id(app, demo):
    """The demo café after a first pass."""
    with app.app_context():
        passes.run_pass(demo["event_id"])
    return demo["event_id"]


def snapshot(event_id: int) -> tuple[set, dict]:
    """Theme ids shown and every note's theme."""
    return ({t.id for t in passes.visible_themes(event_id)},
            {n: t for n, (t, _) in passes.memberships(event_id).items()})


def add_notes(table_id: int, texts: list[str]) -> list[int]:
    """Add notes as a table host would."""
    table = db.session.get(Table, table_id)
    return [capture.add(table, new_note(text)).note.id for text in texts]


def test_new_notes_join_existing_themes_and_ids_stay(app, event_id, demo):
    with app.app_context():
        ids_before, members_before = snapshot(event_id)
        added = add_notes(demo["tables"][0]["id"], [
            "mentor till alla nyanställda första veckorna", "introduktion för nyanställda med checklista",
            "mer administrativt stöd med bokningar och fakturor"])
        result = passes.run_pass(event_id)
        ids_after, members_after = snapshot(event_id)
        assert ids_before <= ids_after
        assert all(members_after[n] == t for n, t in members_before.items())
        assert sum(1 for n in added if members_after.get(n) in ids_before) >= 2
        assert result.state["state"] == "up_to_date" and result.state["pending"] == 0
        assert {m[0] for m in result.change.payload["memberships"]} <= set(added)
        assert len(result.change.payload["themes"]) < len(ids_after)


def test_a_pass_without_news_records_nothing(app, event_id):
    with app.app_context():
        assert passes.run_pass(event_id).change is None


def test_a_restarted_process_keeps_theme_ids_and_curations(app, event_id):
    with app.app_context():
        theme = passes.visible_themes(event_id)[0]
        theme.label, theme.label_custom = "Egen rubrik", True
        db.session.commit()
        ids_before, members_before = snapshot(event_id)
        passes.states().clear()
        passes.run_pass(event_id)
        ids_after, members_after = snapshot(event_id)
        assert ids_before == ids_after and members_before == members_after
        assert db.session.get(Theme, theme.id).label == "Egen rubrik"


def test_notes_get_a_suggested_point_and_the_spread_counts_every_note(app, event_id):
    with app.app_context():
        rows = passes.load_notes(event_id)
        assert all(n.suggested_point is not None for n in rows)
        state = passes.states()[event_id]
        assert sum(p["count"] for p in state.points_sent) == len(rows)


def test_status_counts_notes_not_yet_included(app, event_id, demo):
    with app.app_context():
        add_notes(demo["tables"][1]["id"], ["hot och våld i receptionen", "larm saknas i mottagningen"])
        status = passes.status(event_id)
        assert status["state"] == "updating" and status["pending"] == 2


def test_a_pass_in_small_write_batches_stores_the_same(app, demo, monkeypatch):
    """Batches keep SQLite's write lock short; the result is the same as in one go."""
    monkeypatch.setattr(passes, "BATCH_ROWS", 7)
    monkeypatch.setattr(passes, "THEME_BATCH", 2)
    monkeypatch.setattr(passes, "BATCH_REST", 0)
    from sqlalchemy import event as sa_event
    from sqlalchemy.orm import Session
    commits = []

    def count(_session):
        commits.append(1)
    sa_event.listen(Session, "after_commit", count)
    with app.app_context():
        result = passes.run_pass(demo["event_id"])
        rows = passes.load_notes(demo["event_id"])
        placed = passes.memberships(demo["event_id"])
        assert all(n.suggested_point is not None for n in rows)
        assert {m[0] for m in result.change.payload["memberships"]} == set(placed)
        assert len(result.change.payload["suggested"]) == len(rows)
        assert {t["id"] for t in result.change.payload["themes"]} == {t.id for t in passes.visible_themes(demo["event_id"])}
    sa_event.remove(Session, "after_commit", count)
    assert len(commits) >= 2 * len(rows) // 7


def test_incremental_descriptions_match_a_fresh_process_after_edits_and_deletes(app, event_id, demo):
    """Document frequencies and descriptions are kept up to date, not rebuilt: after rewording,
    confirming and deleting notes they equal what a process starting from nothing computes."""
    with app.app_context():
        table = db.session.get(Table, demo["tables"][0]["id"])
        first, second, third = passes.load_notes(event_id)[:3]
        editing.edit(table, {"id": first.id, "text": "hot och våld i receptionen, larmet fungerar inte"})
        editing.delete(db.session.get(Table, second.table_id), {"id": second.id})
        add_notes(table.id, ["mentor för nyanställda", "mentor under första året för nyanställda"])
        db.session.commit()
        passes.run_pass(event_id)
        kept = passes.states()[event_id]
        rows = passes.load_notes(event_id)
        members = passes._members(passes.event_themes(event_id), passes.memberships(event_id))
        incremental = kept.describe_all(rows, members)
        assert second.id not in kept.counted and second.id not in kept.described

        fresh = type(kept)(kept.mapper_key, kept.mapper)
        rebuilt = fresh.describe_all(rows, members)
        nonzero = lambda counts: {stem: n for stem, n in counts.items() if n}  # noqa: E731
        assert nonzero(kept.doc_freq) == nonzero(fresh.doc_freq)
        changed = [t for t, ids in members.items() if first.id in ids]
        assert changed and all(incremental[t] == rebuilt[t] for t in changed)
        assert kept.point_counts(rows) == fresh.point_counts(rows)


def test_a_big_theme_that_grows_a_little_keeps_its_description_until_it_grows_more(app, event_id, monkeypatch):
    """Describing costs in proportion to a theme's size: a few more notes only change its size."""
    from cafe.synthesis import theme_builder
    monkeypatch.setattr(theme_builder, "GROWTH", 0.5)
    with app.app_context():
        kept = passes.states()[event_id]
        rows = passes.load_notes(event_id)
        members = passes._members(passes.event_themes(event_id), passes.memberships(event_id))
        theme_id, ids = max(members.items(), key=lambda item: len(item[1]))
        ids = sorted(ids)
        assert len(ids) >= 4
        state = type(kept)(kept.mapper_key, kept.mapper)
        base = ids[:len(ids) * 3 // 4]
        first = state.describe_all(rows, {theme_id: base})[theme_id]
        grown = state.describe_all(rows, {theme_id: base + ids[len(base):len(base) + 1]})[theme_id]
        assert grown.size == len(base) + 1 and grown.keywords == first.keywords
        assert state.views[theme_id][0] == base  # still the description of the notes it was made from
        whole = state.describe_all(rows, {theme_id: ids + [n.id for n in rows if n.id not in ids][:len(ids)]})
        assert whole[theme_id].size == state.views[theme_id][1].size > len(ids)  # grown by half: described again


def test_a_pass_reads_only_new_notes_unless_something_else_changed(app, event_id, demo, monkeypatch):
    full_reads = []
    read_all = passes.memberships
    monkeypatch.setattr(passes, "memberships", lambda e: full_reads.append(e) or read_all(e))
    with app.app_context():
        added = add_notes(demo["tables"][2]["id"], ["fler mentorer för nyanställda", "mentor första året"])
        passes.run_pass(event_id)
        kept = passes.states()[event_id].inputs
        assert not full_reads and set(added) <= set(kept.rows)
        assert all(kept.rows[i].suggested_point is not None for i in added)
        assert kept.current == read_all(event_id) and list(kept.rows) != [] and \
            sorted(kept.rows) == [n.id for n in passes.load_notes(event_id)]

        editing.edit(db.session.get(Table, demo["tables"][2]["id"]), {"id": added[0], "text": "mentor i två år"})
        passes.run_pass(event_id)
        assert full_reads == [event_id]
        assert passes.states()[event_id].inputs.rows[added[0]].text == "mentor i två år"

        monkeypatch.setattr(passes, "FULL_RELOAD", 0.0)
        add_notes(demo["tables"][2]["id"], ["handledning varje vecka"])
        passes.run_pass(event_id)
        assert full_reads == [event_id, event_id]  # and at least every FULL_RELOAD seconds


def test_a_failed_pass_reads_everything_again_and_places_what_it_could_not_store(app, event_id, demo, monkeypatch):
    with app.app_context():
        added = add_notes(demo["tables"][3]["id"], ["mentor för alla nyanställda", "mentor det första året",
                                                    "hot och våld i väntrummet", "larm som inte fungerar"])
        real_batches = passes.in_batches

        def failing(rows, write, size=None):
            raise RuntimeError("disken full")
        monkeypatch.setattr(passes, "in_batches", failing)  # the new memberships are never written
        with pytest.raises(RuntimeError):
            passes.run_pass(event_id)
        db.session.rollback()
        assert passes.states()[event_id].inputs is None
        monkeypatch.setattr(passes, "in_batches", real_batches)
        passes.run_pass(event_id)
        stored = passes.memberships(event_id)
        assert passes.states()[event_id].inputs.current == stored
        assert any(note_id in stored for note_id in added)


def test_a_full_pass_after_drift_keeps_theme_ids_and_curations_and_regroups_the_rest(app, event_id, demo):
    """Clustering everything again moves only notes nobody placed by hand, and tells the consoles."""
    with app.app_context():
        state = passes.states()[event_id]
        state.drift.min_new, state.drift.growth = 0, 0.0  # any new note counts as drift
        named, other = passes.visible_themes(event_id)[:2]
        named.label, named.label_custom = "Egen rubrik", True
        pinned = db.session.get(ThemeMembership, passes.theme_notes(other)[0].id)
        pinned.pinned = True
        db.session.commit()
        state.inputs = None  # as after a curation, the pass reads every note and membership again
        ids_before, members_before = snapshot(event_id)
        themes_before = passes.event_themes(event_id)
        added = add_notes(demo["tables"][0]["id"], [
            "mentor till alla nyanställda första veckorna", "introduktion för nyanställda med checklista"])
        result = passes.run_pass(event_id)
        _, members_after = snapshot(event_id)
        assert state.refits == ["growth"] and not state.regroup_due
        assert ids_before <= set(passes.event_themes(event_id))  # no theme is renumbered or removed
        assert members_after[pinned.note_id] == other.id
        assert all(members_after[n] == named.id for n, t in members_before.items() if t == named.id)
        moved = {n for n, t in members_before.items() if members_after[n] != t}
        assert all(not themes_before[members_before[n]].curated for n in moved)
        assert moved <= {n for n, _ in result.change.payload["memberships"]}
        assert any(members_after.get(n) is not None for n in added)
        assert db.session.get(Theme, named.id).label == "Egen rubrik"
        assert passes.memberships(event_id) == state.inputs.current


def test_a_pass_maps_each_new_note_once(app, event_id, demo, monkeypatch):
    """The clusterer and the point suggestions share the mapper's scores of the new notes."""
    with app.app_context():
        mapper = passes.states()[event_id].mapper
        mapped = []
        real = mapper.predict_proba
        monkeypatch.setattr(mapper, "predict_proba", lambda texts: mapped.extend(list(texts)) or real(texts))
        add_notes(demo["tables"][0]["id"], ["en mentor till varje nyanställd", "fler administratörer på enheten"])
        passes.run_pass(event_id)
        assert sorted(mapped) == ["en mentor till varje nyanställd", "fler administratörer på enheten"]


@pytest.mark.parametrize("clusters, theme_of, expected", [
    ({1: 0, 2: 0, 3: 1}, {1: 10, 2: 10, 3: 10}, {0: 10}),  # a split theme goes on in its larger part
    ({1: 0, 2: 0, 3: 0, 4: 1}, {1: 10, 2: 11, 3: 11, 4: 11}, {0: 11}),  # one theme per cluster, most shared first
    ({1: 0, 2: 1, 3: 1}, {1: 10, 2: 10, 3: 11}, {0: 10, 1: 11}),  # ties: the lower cluster id first
])
def test_clusters_of_a_full_clustering_take_over_the_theme_they_share_most_notes_with(clusters, theme_of, expected):
    matched = match_clusters(clusters, theme_of)
    assert {c: matched.get(c) for c in expected} == expected
    assert len(set(matched.values())) == len(matched)


def test_a_pass_after_every_note_was_deleted_leaves_no_theme_and_no_error(app, event_id):
    with app.app_context():
        assert passes.visible_themes(event_id)
        for note in passes.load_notes(event_id):
            editing.delete(db.session.get(Table, note.table_id), {"id": note.id})
        db.session.commit()
        result = passes.run_pass(event_id)
        assert result.state["state"] == "up_to_date"
        assert passes.visible_themes(event_id) == []
