"""The action service: status changes with full history, versions, drafts from notes and themes, validation."""
import pytest
from sqlalchemy import select

from cafe.errors import ServiceError
from cafe.extensions import db
from cafe.followup import actions
from cafe.models import Note, Unit
from cafe.models.action import ACTION_STATUSES, ActionItem


def test_every_status_change_is_kept_with_who_when_before_and_after(event, lead):
    action = actions.create(event, {"title": "Mentor för nyanställda", "point": 2}, lead)
    assert action.status == "forslag" and action.version == 1
    for status in ("beslutad", "pagar", "genomford"):
        assert actions.update(action, {"status": status}, lead) == ["status"]
    db.session.commit()
    entries = [(h.field, h.before, h.after, h.author) for h in action.history]
    assert entries == [("created", None, "Mentor för nyanställda", lead.name),
                       ("status", "forslag", "beslutad", lead.name), ("status", "beslutad", "pagar", lead.name),
                       ("status", "pagar", "genomford", lead.name)]
    assert action.version == 4 and action.status_changed_at == action.updated_at
    assert all(h.changed_at is not None and h.user_id == lead.id for h in action.history)


def test_an_unchanged_value_writes_no_history_and_keeps_the_version(action, lead):
    before = (len(action.history), action.version)
    assert actions.update(action, {"status": action.status, "title": action.title}, lead) == []
    assert (len(action.history), action.version) == before


def test_several_fields_each_get_an_entry(action, lead):
    changed = actions.update(action, {"responsible": "Ny chef", "subgoal_current": "3 av 5",
                                      "due_date": "2027-09-30", "forum": "ledningsgrupp"}, lead)
    assert set(changed) == {"responsible", "subgoal_current", "due_date", "forum"}
    latest = {h.field: h.after for h in action.history[-4:]}
    assert latest["due_date"] == "2027-09-30" and latest["forum"] == "ledningsgrupp"


def test_a_stale_version_is_refused(action, lead):
    version = action.version
    actions.update(action, {"responsible": "A"}, lead, expected_version=version)
    with pytest.raises(ServiceError) as error:
        actions.update(action, {"responsible": "B"}, lead, expected_version=version)
    assert error.value.code == "action_conflict" and error.value.status == 409


@pytest.mark.parametrize("data, code", [
    ({"title": ""}, "empty_title"),
    ({"title": "x" * 301}, "invalid_field"),
    ({"status": "klar"}, "invalid_status"),
    ({"forum": "kafferast"}, "invalid_forum"),
    ({"point": 14}, "invalid_point"),
    ({"point": "två"}, "invalid_point"),
    ({"level": "chef"}, "invalid_level"),
    ({"unit_id": 99999}, "invalid_unit"),
    ({"due_date": "31/12"}, "invalid_date"),
    ({"responsible": "bell\x07"}, "control_chars"),
    ({"description": 5}, "invalid_field"),
])
def test_bad_values_are_refused_and_nothing_changes(action, lead, data, code):
    before = (action.version, len(action.history))
    with pytest.raises(ServiceError) as error:
        actions.update(action, data, lead)
    assert error.value.code == code
    assert (action.version, len(action.history)) == before


@pytest.mark.parametrize("word, key", [("pågår", "pagar"), ("Genomförd", "genomford"), ("ej aktuell", "ej_aktuell"),
                                       ("utanför förvaltningens ansvar", "utanfor_ansvar"), ("beslutad", "beslutad")])
def test_statuses_are_read_from_swedish_words(word, key):
    assert actions.parse_status(word) == key


def test_a_comment_counts_as_a_change(action, lead):
    version = action.version
    actions.add_comment(action, "Togs upp på APT 12/3", lead)
    assert action.latest_comment == "Togs upp på APT 12/3" and action.version == version + 1
    assert action.history[-1].field == "comment"


def test_drafts_from_notes_one_per_unit_of_the_tables(event, lead, notes):
    picked = [n for n in notes if n.table.number in (1, 3)][:6]
    picked += [n for n in notes if n.table.number == 3][:2]
    ids = sorted({n.id for n in picked})
    drafts = actions.drafts_from_notes(event, "Introduktion av nyanställda", ids, lead)
    db.session.commit()
    units = {db.session.get(Note, i).table.unit_id for i in ids}
    assert {d.unit_id for d in drafts} == units
    assert all(d.is_draft and d.theme_labels == ["Introduktion av nyanställda"] for d in drafts)
    assert sorted(link.note_id for d in drafts for link in d.note_links) == ids
    assert not any(d in actions.listing([event.id]) for d in drafts)
    actions.approve(drafts[0], lead)
    assert drafts[0] in actions.listing([event.id]) and drafts[0].history[-1].field == "is_draft"


@pytest.mark.parametrize("ids, code", [([], "no_notes"), ("1,2", "no_notes"), ([999999], "note_not_found"),
                                       (["x"], "invalid_field")])
def test_drafts_need_notes_of_the_event(event, lead, ids, code):
    with pytest.raises(ServiceError) as error:
        actions.drafts_from_notes(event, "Tema", ids, lead)
    assert error.value.code == code


def test_one_click_drafts_from_a_synthesis_theme(event, lead, notes):
    from cafe.models.theme import Theme, ThemeMembership
    theme = Theme(event_id=event.id, label="Administrativt stöd", point=6)
    db.session.add(theme)
    db.session.flush()
    members = [n for n in notes if n.table.number in (2, 5)][:4]
    db.session.add_all(ThemeMembership(note_id=n.id, theme_id=theme.id, event_id=event.id) for n in members)
    db.session.flush()
    assert theme in actions.event_themes(event)
    drafts = actions.drafts_from_theme(event, theme.id, lead)
    assert {d.unit_id for d in drafts} == {n.table.unit_id for n in members}
    assert all(link.to_dict() == {"id": theme.id, "label": "Administrativt stöd"}
               for d in drafts for link in d.theme_links)
    with pytest.raises(ServiceError) as error:
        actions.drafts_from_theme(event, 999999, lead)
    assert error.value.code == "theme_not_found"


def test_discard_only_drafts(action):
    with pytest.raises(ServiceError):
        actions.discard(action)


def test_demo_has_every_status_several_units_subgoals_and_history(event):
    items = actions.listing([event.id])
    assert {a.status for a in items} == set(ACTION_STATUSES)
    assert len({a.unit_id for a in items if a.unit_id}) >= 4
    assert any(a.subgoal_indicator and a.subgoal_current for a in items)
    assert all(len(a.history) >= 1 for a in items) and sum(len(a.history) for a in items) > len(items) * 2


def test_listing_filters_and_sorts(event):
    unit = db.session.scalar(select(Unit).where(Unit.name == "Familjeenheten"))
    mine = actions.listing([event.id], {"unit_id": unit.id, "status": None}, sort="status")
    assert mine and all(a.unit_id == unit.id for a in mine)
    assert [a.status for a in mine] == sorted((a.status for a in mine), key=ACTION_STATUSES.index)
    admin_wide = actions.listing([event.id], {"unit_id": 0})
    assert admin_wide and all(a.unit_id is None for a in admin_wide)
    assert all(a.point == 2 for a in actions.listing([event.id], {"point": 2}))
    assert db.session.scalar(select(ActionItem.id).where(ActionItem.event_id == event.id)) is not None
