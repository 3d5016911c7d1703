"""Planning services: creating, editing, the template, copies, tables, rounds, status and staff."""
import pytest

from cafe.errors import ServiceError
from cafe.events import planning
from cafe.extensions import db
from cafe.models import Event, Note, Table, User
from cafe.people import access, staff


def test_template_has_three_levelled_rounds_and_eight_tables(organizer):
    event = planning.from_template(organizer)
    db.session.commit()
    assert event.status == "draft" and event.administration_id == organizer.administration_id
    assert [r.level for r in event.rounds] == ["individ", "enhet", "förvaltning"]
    assert all(25 <= r.planned_minutes <= 30 and r.question.endswith("?") for r in event.rounds)
    assert [t.number for t in event.tables] == list(range(1, 9))
    assert len({t.join_code for t in event.tables}) == 8
    assert len(event.framework.points) == 13


@pytest.mark.parametrize("data, code", [
    ({"title": ""}, "required_field"),
    ({"title": "   "}, "required_field"),
    ({"title": "x" * 201}, "field_too_long"),
    ({"title": "Café", "date": "3 december"}, "invalid_date"),
    ({"title": "Café", "date": "2026-02-30"}, "invalid_date"),
    ({"title": "Café", "place": 7}, "invalid_field"),
    ({"title": "Café\x07"}, "control_chars"),
    ({"title": "Café", "focus_points": [14]}, "invalid_point"),
    ({"title": "Café", "focus_points": "2"}, "invalid_field"),
    ({"title": "Café", "framework_id": 999}, "invalid_field"),
])
def test_create_event_refuses_bad_input(organizer, data, code):
    with pytest.raises(ServiceError) as refused:
        planning.create_event(organizer, data)
    assert refused.value.code == code


def test_create_and_update_event(organizer):
    event = planning.create_event(organizer, {"title": " Vårcafé ", "date": "2027-03-04", "place": "Aulan",
                                              "focus_points": [6, 2, 6]})
    planning.update_event(event, {"place": "Stora salen", "description": "Om introduktion"})
    db.session.commit()
    event = db.session.get(Event, event.id)
    assert (event.title, event.date.isoformat(), event.place) == ("Vårcafé", "2027-03-04", "Stora salen")
    assert event.focus_points == [6, 2]


def test_only_organizers_with_an_administration_create(ctx, demo):
    facilitator = db.session.scalar(db.select(User).where(User.email == demo["facilitator"]["email"]))
    with pytest.raises(ServiceError) as refused:
        planning.create_event(facilitator, {"title": "Café"})
    assert refused.value.status == 403


def test_set_tables_keeps_codes_of_tables_that_stay(organizer):
    event = planning.from_template(organizer)
    first, second = event.tables[0], event.tables[1]
    codes = (first.join_code, second.join_code)
    unit = event.administration.units[0]
    planning.set_tables(event, [{"id": second.id, "name": "Fönsterbordet", "unit_id": unit.id},
                                {"id": first.id, "host_name": "Maria"}, {"name": "Nytt"}])
    db.session.commit()
    tables = db.session.get(Event, event.id).tables
    assert [t.display_name for t in tables] == ["Fönsterbordet", "Bord 2", "Nytt"]
    assert (tables[1].join_code, tables[0].join_code) == codes
    assert tables[0].unit_id == unit.id and tables[1].host_name == "Maria"
    assert tables[2].join_code not in codes


@pytest.mark.parametrize("rows, code", [
    ("bord", "invalid_field"),
    ([{"name": "x" * 201}], "field_too_long"),
    ([{"unit_id": 99999}], "invalid_unit"),
    ([{"id": 99999}], "invalid_field"),
    ([{}] * 101, "too_many_rows"),
])
def test_set_tables_refuses_bad_rows(organizer, rows, code):
    event = planning.from_template(organizer)
    with pytest.raises(ServiceError) as refused:
        planning.set_tables(event, rows)
    assert refused.value.code == code


def test_tables_with_notes_are_not_removed(demo_event):
    keep = [{"id": t.id} for t in demo_event.tables[1:]]
    with pytest.raises(ServiceError) as refused:
        planning.set_tables(demo_event, keep)
    assert refused.value.code == "table_has_notes"
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(Note.id)).where(Note.table_id == demo_event.tables[0].id))


def test_unit_of_another_administration_is_refused(organizer, stranger):
    other_unit = staff.add_unit(db.session.scalar(db.select(User).where(
        User.email == stranger["email"])).administration, "Främmande enheten")
    event = planning.from_template(organizer)
    with pytest.raises(ServiceError) as refused:
        planning.set_tables(event, [{"unit_id": other_unit.id}])
    assert refused.value.code == "invalid_unit"


def test_set_rounds_edits_adds_and_removes(organizer):
    event = planning.from_template(organizer)
    one, _, three = event.rounds
    planning.set_rounds(event, [{"id": three.id, "question": "Förvaltningen?", "planned_minutes": 40,
                                 "level": "förvaltning", "focus_points": [3, 13]},
                                {"id": one.id, "question": "Jag?", "planned_minutes": 20},
                                {"question": "Och sedan?", "planned_minutes": 10, "level": "enhet"}])
    db.session.commit()
    rounds = db.session.get(Event, event.id).rounds
    assert [(r.number, r.question, r.planned_minutes) for r in rounds] == [
        (1, "Förvaltningen?", 40), (2, "Jag?", 20), (3, "Och sedan?", 10)]
    assert rounds[0].id == three.id and rounds[0].focus_points == [3, 13] and rounds[1].level is None


@pytest.mark.parametrize("row, code", [
    ({"question": ""}, "required_field"),
    ({"question": "Fråga", "planned_minutes": 0}, "invalid_round_minutes"),
    ({"question": "Fråga", "planned_minutes": "20"}, "invalid_round_minutes"),
    ({"question": "Fråga", "level": "kommun"}, "invalid_level"),
    ({"question": "Fråga", "focus_points": [0]}, "invalid_point"),
])
def test_set_rounds_refuses_bad_rows(organizer, row, code):
    event = planning.from_template(organizer)
    with pytest.raises(ServiceError) as refused:
        planning.set_rounds(event, [row])
    assert refused.value.code == code


def test_started_rounds_are_not_removed(demo_event):
    with pytest.raises(ServiceError) as refused:
        planning.set_rounds(demo_event, [])
    assert refused.value.code == "round_in_use"


@pytest.mark.parametrize("path, allowed", [
    (["live"], True), (["live", "closed"], True), (["live", "draft"], True),
    (["closed"], False), (["live", "closed", "live"], False), (["archived"], False), ([None], False)])
def test_status_changes(organizer, path, allowed):
    event = planning.from_template(organizer)
    try:
        for status in path:
            planning.set_status(event, status)
    except ServiceError as error:
        valid = path[-1] in ("draft", "live", "closed")
        assert not allowed and error.code == ("invalid_status_change" if valid else "invalid_event_status")
        assert error.status == (409 if valid else 400)
        return
    assert allowed and event.status == path[-1]
    assert (event.closed_at is not None) == (path[-1] == "closed")


def test_copy_has_new_codes_and_no_notes(demo_event, organizer):
    copy = planning.copy_event(demo_event, organizer)
    db.session.commit()
    assert copy.status == "draft" and copy.title.endswith("(kopia)")
    assert [r.question for r in copy.rounds] == [r.question for r in demo_event.rounds]
    assert all(r.started_at is None for r in copy.rounds)
    assert [t.display_name for t in copy.tables] == [t.display_name for t in demo_event.tables]
    assert not {t.join_code for t in copy.tables} & {t.join_code for t in demo_event.tables}
    assert copy.projector_token != demo_event.projector_token
    assert db.session.scalar(db.select(db.func.count(Note.id)).where(Note.event_id == copy.id)) == 0
    assert [u.id for u in copy.facilitators] == [u.id for u in demo_event.facilitators]


def test_can_plan_only_own_administration(demo_event, organizer, stranger, demo):
    other = db.session.scalar(db.select(User).where(User.email == stranger["email"]))
    facilitator = db.session.scalar(db.select(User).where(User.email == demo["facilitator"]["email"]))
    assert planning.can_plan(access.Principal("user", user=organizer), demo_event)
    assert not planning.can_plan(access.Principal("user", user=other), demo_event)
    assert not planning.can_plan(access.Principal("user", user=facilitator), demo_event)
    assert not planning.can_plan(access.ANONYMOUS, demo_event)
    with pytest.raises(ServiceError) as refused:
        planning.planned_event(access.Principal("user", user=other), demo_event.id)
    assert refused.value.status == 404


def test_focus_points_can_be_applied_to_every_round(demo_event):
    planning.set_focus_points(demo_event, [6, 2, 3], rounds=True)
    assert demo_event.focus_points == [6, 2, 3]
    assert all(r.focus_points == [6, 2, 3] for r in demo_event.rounds)


def test_new_table_codes_work_for_hosts(organizer):
    event = planning.from_template(organizer)
    planning.set_status(event, "live")
    db.session.commit()
    table, token = access.join(event.tables[0].join_code)
    assert isinstance(table, Table) and token
