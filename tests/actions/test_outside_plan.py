"""Themes and notes outside the action plan ("annat": pay, threats and violence) become actions without a
point, and every list, export, the feedback page and the city view say they lie outside the plan."""
import csv
import io

import openpyxl
import pytest
from sqlalchemy import select

from cafe.extensions import db
from cafe.followup import actions, city
from cafe.models import Note
from cafe.models.action import ActionItem
from cafe.models.theme import Theme, ThemeMembership

OUTSIDE = "Utanför handlingsplanen"


@pytest.fixture
def outside_notes(event, notes):
    """The demo notes on threats, violence and pay, as the synthesis leaves them: no point fits (0)."""
    picked = [n for n in notes if n.text.startswith(("hot o våld", "lönefrågan", "löneglidning"))]
    for note in picked:
        note.suggested_point = 0
    next(n for n in notes if n not in picked).suggested_point = 6
    db.session.commit()
    return picked


@pytest.fixture
def outside_theme(event, outside_notes):
    """A synthesis theme of those notes, outside every point (novel)."""
    theme = Theme(event_id=event.id, label="individ, familjeomsorg", point=None, novel=True)
    db.session.add(theme)
    db.session.flush()
    db.session.add_all(ThemeMembership(note_id=n.id, theme_id=theme.id, event_id=event.id) for n in outside_notes)
    db.session.commit()
    return theme


@pytest.fixture
def lead_client(login):
    """The demo project lead, logged in."""
    return login("project_lead")


def test_a_theme_outside_the_plan_becomes_drafts_without_a_point(event, lead, outside_theme, outside_notes):
    drafts = actions.drafts_from_theme(event, outside_theme.id, lead)
    assert drafts and all(d.point is None and d.is_draft for d in drafts)
    assert {link.note_id for d in drafts for link in d.note_links} == {n.id for n in outside_notes}


def test_picked_notes_mostly_outside_the_plan_give_drafts_without_a_point(event, lead, outside_notes, notes):
    inside = next(n for n in notes if n.suggested_point == 6)
    drafts = actions.drafts_from_notes(event, "Hot och våld mot personal",
                                       [n.id for n in outside_notes[:3]] + [inside.id], lead)
    assert drafts and all(d.point is None for d in drafts)


def test_picked_notes_mostly_on_a_point_keep_that_point(event, lead, outside_notes, notes):
    outside = outside_notes[0]
    on_six = [n for n in notes if n.table_id == outside.table_id and n.suggested_point is None][:2]
    for note in on_six:
        note.confirmed_point = 6
    drafts = actions.drafts_from_notes(event, "Administrativt stöd", [n.id for n in on_six + [outside]], lead)
    assert [d.point for d in drafts] == [6]


def test_the_build_page_turns_the_theme_into_drafts_that_say_outside_the_plan(event, outside_theme, lead_client):
    page = lead_client.get(f"/actions/events/{event.id}/build").data.decode()
    assert "individ, familjeomsorg" in page and OUTSIDE in page
    response = lead_client.post(f"/actions/events/{event.id}/themes/{outside_theme.id}/drafts",
                                follow_redirects=True)
    body = response.data.decode()
    assert response.status_code == 200 and "utkast skapade" in body
    assert "Punkten finns inte i ramverket" not in body
    drafts = body.split('id="drafts"')[1].split("</section>")[0]
    assert "individ, familjeomsorg" in drafts and OUTSIDE in drafts


def test_picked_notes_on_the_build_page_become_drafts(event, outside_notes, lead_client):
    response = lead_client.post(f"/actions/events/{event.id}/build", data={
        "label": "Lön och hot", "note_ids": [str(n.id) for n in outside_notes]}, follow_redirects=True)
    assert "utkast skapade" in response.data.decode()
    assert db.session.scalars(select(ActionItem).where(ActionItem.title == "Lön och hot")).first().point is None


@pytest.fixture
def approved(event, lead, outside_theme):
    """The theme's drafts, approved so that they count."""
    drafts = actions.drafts_from_theme(event, outside_theme.id, lead)
    for draft in drafts:
        actions.approve(draft, lead)
    db.session.commit()
    return drafts


def test_lists_filter_and_exports_say_outside_the_plan(event, approved, lead_client):
    listed = lead_client.get(f"/actions/events/{event.id}?point=0").data.decode()
    rows = listed.split("<tbody>")[1].split("</tbody>")[0]
    assert "individ, familjeomsorg" in rows and rows.count("<tr") == len(actions.listing([event.id], {"point": 0}))
    assert "Mentor med avsatt tid" not in rows  # an action on point 2
    text = lead_client.get(f"/api/v1/events/{event.id}/actions.csv").data.decode("utf-8-sig")
    exported = {r["ID"]: r["Punkt"] for r in csv.DictReader(io.StringIO(text, newline=""), delimiter=";")}
    assert all(exported[str(d.id)] == OUTSIDE for d in approved)
    book = openpyxl.load_workbook(io.BytesIO(lead_client.get(f"/api/v1/events/{event.id}/actions.xlsx").data))
    points = {r[0].value: r[6].value for s in book.worksheets[1:] for r in s.iter_rows()}
    assert all(points[d.id] == OUTSIDE for d in approved)
    printed = lead_client.get(f"/actions/events/{event.id}/print").data.decode()
    assert OUTSIDE in printed


def test_the_feedback_page_says_outside_the_plan_per_unit(client, event, approved):
    page = client.get(f"/feedback/{actions.feedback_token(event)}").data.decode()
    per_unit = page.split('id="per-enhet"')[1]
    card = per_unit.split(f'id="atgard-{approved[0].id}-enhet"')[1].split("</li>")[0]
    assert OUTSIDE in card


def test_the_city_view_counts_actions_outside_the_plan(event, approved, login):
    outside = len([a for a in actions.listing([event.id]) if a.point is None])
    progress = {p["event_id"]: p for p in city.synthesis(None)["progress"]}
    assert progress[event.id]["outside_plan"] == outside >= len(approved)
    client = login("project_lead")
    assert OUTSIDE in client.get("/city/").data.decode()
    book = openpyxl.load_workbook(io.BytesIO(client.get("/city/export.xlsx").data))
    sheet = book["Åtgärder per café"]
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    header = next(r for r in rows if r[0] == "Café")
    row = next(r for r in rows if r[0] == event.title)
    assert row[header.index(OUTSIDE)] == outside


def test_notes_keep_their_point_zero(event, outside_notes, lead):
    actions.drafts_from_notes(event, "Lön", [outside_notes[0].id], lead)
    assert db.session.get(Note, outside_notes[0].id).suggested_point == 0
