"""Round trip: an exported list edited at the APT is uploaded, previewed, and applied only on confirmation."""
import csv
import io
import re

import openpyxl
import pytest

from cafe.extensions import db
from cafe.followup import action_exports, actions
from cafe.models.action import ActionItem, PendingImport
from tests.actions.conftest import header_row


@pytest.fixture
def lead_client(login):
    """The demo project lead, logged in."""
    return login("project_lead")


def _csv_rows(client, event_id) -> list[list[str]]:
    """The exported CSV as rows."""
    text = client.get(f"/api/v1/events/{event_id}/actions.csv").data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def _to_csv(rows, encoding="utf-8-sig") -> bytes:
    """Rows written back the way Excel saves a Swedish CSV."""
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def _upload(client, event_id, data: bytes, name="lista.csv"):
    """Upload a file for preview."""
    return client.post(f"/actions/events/{event_id}/upload", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def _token(response) -> str:
    """The pending change set's token from the preview page."""
    return re.search(r"/upload/([\w-]+)\"", response.data.decode()).group(1)


COL = {name: i for i, name in enumerate(action_exports.HEADERS)}


def test_csv_round_trip_previews_then_applies_with_history(event, lead_client):
    rows = _csv_rows(lead_client, event.id)
    edited = rows[1]
    edited[COL["Status"]] = "genomförd"
    edited[COL["Ansvarig"]] = "Gruppledare Eva"
    edited[COL["Kommentar"]] = "Beslut på APT 14 mars"
    edited[COL["Delmål: nuläge"]] = "4 av 5"
    preview = _upload(lead_client, event.id, _to_csv(rows))
    assert preview.status_code == 200
    page = preview.data.decode()
    assert "Gruppledare Eva" in page and "Beslut på APT 14 mars" in page
    action_id = int(edited[COL["ID"]])
    assert db.session.get(ActionItem, action_id).responsible != "Gruppledare Eva"  # nothing applied yet
    response = lead_client.post(f"/actions/events/{event.id}/upload/{_token(preview)}")
    assert response.status_code == 302
    db.session.expire_all()
    action = db.session.get(ActionItem, action_id)
    assert (action.status, action.responsible, action.subgoal_current, action.latest_comment) == (
        "genomford", "Gruppledare Eva", "4 av 5", "Beslut på APT 14 mars")
    imported = [h for h in action.history if h.source == "import"]
    assert {h.field for h in imported} == {"status", "responsible", "subgoal_current", "comment"}
    assert db.session.query(PendingImport).count() == 0


def test_xlsx_round_trip_reads_every_unit_sheet(event, lead_client):
    data = lead_client.get(f"/api/v1/events/{event.id}/actions.xlsx").data
    book = openpyxl.load_workbook(io.BytesIO(data))
    changed = []
    for sheet in book.worksheets[1:3]:
        first = header_row(sheet) + 1
        sheet.cell(row=first, column=COL["Ansvarig"] + 1, value=f"Ny ansvarig {sheet.title}")
        changed.append(sheet.cell(row=first, column=1).value)
    out = io.BytesIO()
    book.save(out)
    preview = _upload(lead_client, event.id, out.getvalue(), "lista.xlsx")
    assert preview.status_code == 200, preview.data[:500]
    lead_client.post(f"/actions/events/{event.id}/upload/{_token(preview)}")
    db.session.expire_all()
    assert all(db.session.get(ActionItem, i).responsible.startswith("Ny ansvarig") for i in changed)


def test_an_unchanged_export_changes_nothing(event, lead_client):
    preview = _upload(lead_client, event.id, _to_csv(_csv_rows(lead_client, event.id)))
    assert "Filen ändrar ingenting" in preview.data.decode()


def test_a_newer_change_in_the_tool_is_a_conflict_and_is_skipped(event, lead, lead_client):
    rows = _csv_rows(lead_client, event.id)
    action_id = int(rows[1][COL["ID"]])
    rows[1][COL["Ansvarig"]] = "Från APT"
    actions.update(db.session.get(ActionItem, action_id), {"responsible": "Ändrat i verktyget"}, lead)
    db.session.commit()
    preview = _upload(lead_client, event.id, _to_csv(rows))
    assert 'name="overwrite"' in preview.data.decode()
    lead_client.post(f"/actions/events/{event.id}/upload/{_token(preview)}")
    db.session.expire_all()
    assert db.session.get(ActionItem, action_id).responsible == "Ändrat i verktyget"


def test_a_conflict_is_overwritten_only_when_chosen(event, lead, lead_client):
    rows = _csv_rows(lead_client, event.id)
    action_id = int(rows[1][COL["ID"]])
    rows[1][COL["Ansvarig"]] = "Från APT"
    actions.update(db.session.get(ActionItem, action_id), {"responsible": "Ändrat i verktyget"}, lead)
    db.session.commit()
    preview = _upload(lead_client, event.id, _to_csv(rows))
    lead_client.post(f"/actions/events/{event.id}/upload/{_token(preview)}", data={"overwrite": str(action_id)})
    db.session.expire_all()
    assert db.session.get(ActionItem, action_id).responsible == "Från APT"


def test_a_change_made_after_the_preview_is_not_overwritten(event, lead, lead_client):
    rows = _csv_rows(lead_client, event.id)
    action_id = int(rows[1][COL["ID"]])
    rows[1][COL["Ansvarig"]] = "Från APT"
    preview = _upload(lead_client, event.id, _to_csv(rows))
    actions.update(db.session.get(ActionItem, action_id), {"responsible": "Under tiden"}, lead)
    db.session.commit()
    lead_client.post(f"/actions/events/{event.id}/upload/{_token(preview)}")
    db.session.expire_all()
    assert db.session.get(ActionItem, action_id).responsible == "Under tiden"


def test_excel_cp1252_csv_is_accepted(event, lead_client):
    rows = _csv_rows(lead_client, event.id)
    rows[1][COL["Ansvarig"]] = "Åsa Öberg"
    data = _to_csv([[c.replace("–", "-") for c in r] for r in rows], encoding="cp1252")
    preview = _upload(lead_client, event.id, data)
    assert preview.status_code == 200 and "Åsa Öberg" in preview.data.decode()


def test_a_formula_typed_into_a_cell_is_stored_as_text_not_evaluated(event, lead_client):
    rows = _csv_rows(lead_client, event.id)
    rows[1][COL["Ansvarig"]] = "=1+1"
    preview = _upload(lead_client, event.id, _to_csv(rows))
    lead_client.post(f"/actions/events/{event.id}/upload/{_token(preview)}")
    db.session.expire_all()
    assert db.session.get(ActionItem, int(rows[1][COL["ID"]])).responsible == "=1+1"


def _bad_rows(rows, change):
    """Apply one damaging change to exported rows."""
    change(rows)
    return _to_csv(rows)


def _xlsx_with_formula(client, event_id) -> bytes:
    """An exported workbook with a real formula typed into a cell."""
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/api/v1/events/{event_id}/actions.xlsx").data))
    sheet = book.worksheets[1]
    sheet.cell(row=header_row(sheet) + 1, column=COL["Ansvarig"] + 1).value = "=A1&B1"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


BAD = [
    ("empty", lambda c, e: b"", "Filen är tom"),
    ("only spaces", lambda c, e: b"   \r\n ", "Filen är tom"),
    ("huge", lambda c, e: b"a;b\r\n" * 600_000, "för stor"),
    ("binary", lambda c, e: b"\x00\x01\x02garbage" * 10, "inte ut att vara"),
    ("broken xlsx", lambda c, e: b"PK\x03\x04broken", "Excel-fil"),
    ("header only", lambda c, e: _to_csv([action_exports.HEADERS]), "inga rader"),
    ("wrong columns", lambda c, e: _to_csv([["namn", "ålder"], ["a", "1"]]), "Kolumnerna ID, Version"),
    ("missing status", lambda c, e: _bad_rows(_csv_rows(c, e), lambda r: [row.pop(COL["Status"]) for row in r]),
     "Status saknas"),
    ("bad status", lambda c, e: _bad_rows(_csv_rows(c, e), lambda r: r[2].__setitem__(COL["Status"], "klar")),
     "Rad 3, kolumn Status"),
    ("bad id", lambda c, e: _bad_rows(_csv_rows(c, e), lambda r: r[1].__setitem__(COL["ID"], "abc")),
     "Rad 2, kolumn ID"),
    ("unknown id", lambda c, e: _bad_rows(_csv_rows(c, e), lambda r: r[1].__setitem__(COL["ID"], "99999")),
     "finns inte i det här caféet"),
    ("duplicate rows", lambda c, e: _bad_rows(_csv_rows(c, e), lambda r: r.append(list(r[1]))), "finns redan på rad 2"),
    ("formula in xlsx", _xlsx_with_formula, "innehåller en formel"),
]


@pytest.mark.parametrize("name, make, message", BAD, ids=[b[0] for b in BAD])
def test_bad_files_are_refused_with_row_and_column_and_nothing_changes(event, lead_client, name, make, message):
    before = {a.id: (a.version, a.responsible, a.status) for a in actions.listing([event.id])}
    data = make(lead_client, event.id)
    response = _upload(lead_client, event.id, data, "lista.xlsx" if data[:2] == b"PK" else "lista.csv")
    assert response.status_code == 400
    assert message in response.data.decode()
    db.session.expire_all()
    assert {a.id: (a.version, a.responsible, a.status) for a in actions.listing([event.id])} == before
    assert db.session.query(PendingImport).count() == 0


def test_a_token_of_another_user_or_an_unknown_one_is_refused(event, lead_client, login):
    rows = _csv_rows(lead_client, event.id)
    rows[1][COL["Ansvarig"]] = "X"
    token = _token(_upload(lead_client, event.id, _to_csv(rows)))
    organizer = login("organizer")
    response = organizer.post(f"/actions/events/{event.id}/upload/{token}", follow_redirects=True)
    assert "gått ut" in response.data.decode()
    response = lead_client.post(f"/actions/events/{event.id}/upload/nope", follow_redirects=True)
    assert "gått ut" in response.data.decode()
