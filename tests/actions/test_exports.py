"""Exports read back: XLSX with openpyxl, DOCX with python-docx, CSV as Excel in Swedish locale reads it, JSON."""
import csv
import io
import threading
from datetime import UTC, datetime, time

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn

from cafe.extensions import db
from cafe.followup import action_document, action_exports, actions
from tests.actions.conftest import header_row


@pytest.fixture
def lead_client(login):
    """The demo project lead, logged in."""
    return login("project_lead")


def _get(client, event_id, fmt, **params):
    """Download one export and check it succeeded."""
    response = client.get(f"/api/v1/events/{event_id}/actions.{fmt}", query_string=params)
    assert response.status_code == 200, response.data[:300]
    return response


def _expected(event, unit_id=None):
    """What the exports should hold: every counted action as a row (no value read back as empty)."""
    return [{k: "" if v is None else v for k, v in action_exports.row(a).items()}
            for g in action_exports.unit_lists(event, unit_id) for a in g.actions]


def _read_back(value):
    """A read-back cell as the row dict has it: empty cells come back as None, dates as midnight."""
    if value is None:
        return ""
    if isinstance(value, datetime) and value.time() == time(0):
        return value.date()
    return value


def test_xlsx_has_a_summary_and_a_titled_sheet_per_unit_with_the_exported_rows(event, lead_client):
    data = _get(lead_client, event.id, "xlsx").data
    book = openpyxl.load_workbook(io.BytesIO(data))
    groups = action_exports.unit_lists(event)
    assert book.sheetnames[0] == "Sammanställning" and len(book.sheetnames) == len(groups) + 1
    rows = []
    for sheet, group in zip(book.worksheets[1:], groups):
        assert sheet["A1"].value == f"{event.title} – {group.name}"
        head = header_row(sheet)
        assert [c.value for c in sheet[head]] == action_exports.HEADERS and sheet.freeze_panes == f"A{head + 1}"
        assert sheet.column_dimensions["E"].width >= 30
        status_rules = [dv for dv in sheet.data_validations.dataValidation if dv.type == "list"]
        assert status_rules and "pågår" in status_rules[0].formula1 and f"I{head + 1}" in str(status_rules[0].sqref)
        rows += [dict(zip([k for k, _, _ in action_exports.COLUMNS], map(_read_back, (c.value for c in r))))
                 for r in sheet.iter_rows(min_row=head + 1)]
    assert rows == _expected(event)
    summary = book["Sammanställning"]
    assert event.title in summary["A1"].value
    totals = {r[0].value: r[-1].value for r in summary.iter_rows(min_row=header_row(summary, "Enhet") + 1)}
    assert totals == {g.name: len(g.actions) for g in groups}


def test_xlsx_dates_and_times_are_real_excel_dates_on_the_installations_clock(event, action, lead_client):
    actions.update(action, {"due_date": "2027-03-31"})
    action.updated_at = datetime(2027, 1, 15, 13, 5, 42, 123456, tzinfo=UTC)  # 14:05 in Stockholm
    db.session.commit()
    book = openpyxl.load_workbook(io.BytesIO(_get(lead_client, event.id, "xlsx").data))
    sheet = next(s for s in book.worksheets[1:] for r in s.iter_rows() if r[0].value == action.id)
    row = next(r for r in sheet.iter_rows() if r[0].value == action.id)
    changed, due = row[action_exports.HEADERS.index("Senast ändrad")], row[action_exports.HEADERS.index("Klart senast")]
    assert changed.is_date and changed.value == datetime(2027, 1, 15, 14, 5)
    assert changed.number_format == "yyyy-mm-dd hh:mm"
    assert due.is_date and due.value == datetime(2027, 3, 31) and due.number_format == "yyyy-mm-dd"
    held = next(r for r in sheet.iter_rows() if r[0].value == "Caféets datum")[1]
    assert held.is_date and held.value.date() == event.date
    csv_row = next(r for r in csv.reader(io.StringIO(_get(lead_client, event.id, "csv").data.decode("utf-8-sig")),
                                         delimiter=";") if r[0] == str(action.id))
    assert csv_row[action_exports.HEADERS.index("Senast ändrad")] == "2027-01-15 14:05"


def test_sheet_names_are_cut_between_words(event, lead_client):
    book = openpyxl.load_workbook(io.BytesIO(_get(lead_client, event.id, "xlsx").data))
    assert "Enheten för personer med" in book.sheetnames
    assert all(len(name) <= 31 for name in book.sheetnames)
    sheet = book["Enheten för personer med"]
    assert sheet["A1"].value.endswith("– Enheten för personer med funktionsnedsättning")


def _docx_facts(document) -> list[dict]:
    """Each action's facts table as label -> value."""
    return [{r.cells[0].text: r.cells[1].text for r in table.rows} for table in document.tables]


def test_docx_has_a_section_per_unit_with_each_action_and_its_facts(event, lead_client):
    document = docx.Document(io.BytesIO(_get(lead_client, event.id, "docx").data))
    groups = action_exports.unit_lists(event)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [f"Åtgärdslista – {g.name}" for g in groups]
    assert len(document.sections) == len(groups)
    titles = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert titles == [a.title for g in groups for a in g.actions]
    first = groups[0].actions[0]
    facts = _docx_facts(document)[0]
    assert facts["Status"] == actions.STATUS_SWEDISH[first.status]
    assert facts["Ansvarig"] == first.responsible


def test_docx_is_a4_swedish_by_the_signed_in_user_with_each_points_name(event, lead, lead_client):
    document = docx.Document(io.BytesIO(_get(lead_client, event.id, "docx").data))
    assert all((round(s.page_width.cm, 1), round(s.page_height.cm, 1)) == (21.0, 29.7) for s in document.sections)
    assert document.core_properties.author == lead.name and document.core_properties.language == "sv-SE"
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.find(qn("w:lang")).get(qn("w:val")) == "sv-SE"
    points = {f["Punkt"] for f in _docx_facts(document)}
    assert "2. Introduktionsprogram och mentorskap för nyanställda" in points
    assert "Utanför handlingsplanen" in points and not any(p.isdigit() for p in points)


def test_docx_is_english_when_the_interface_is(event, lead, lead_client):
    lead_client.post("/lang/en")
    document = docx.Document(io.BytesIO(_get(lead_client, event.id, "docx").data))
    assert document.core_properties.language == "en-GB"
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.find(qn("w:lang")).get(qn("w:val")) == "en-GB"
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[0].startswith("Action list – ")
    assert {"Status", "Point", "Responsible"} <= set(_docx_facts(document)[0])
    assert any(f["Point"] == "Outside the action plan" for f in _docx_facts(document))


def test_docx_without_a_signed_in_user_names_the_installation(app, event):
    app.config["INSTALLATION_NAME"] = "Dialogcafé – Ekbackens stadsdelsförvaltning"
    body = action_document.to_docx(event)
    assert docx.Document(io.BytesIO(body)).core_properties.author == "Dialogcafé – Ekbackens stadsdelsförvaltning"


def test_csv_opens_in_swedish_locale_with_bom_and_semicolons(event, lead_client):
    response = _get(lead_client, event.id, "csv")
    assert response.data.startswith(b"\xef\xbb\xbf") and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    reader = csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"), newline=""), delimiter=";")
    assert reader.fieldnames == action_exports.HEADERS
    rows = list(reader)
    expected = _expected(event)
    assert [r["ID"] for r in rows] == [str(e["id"]) for e in expected]
    assert [r["Status"] for r in rows] == [e["status"] for e in expected]
    assert any("ä" in r["Enhet"] or "å" in r["Åtgärd"] for r in rows)


def test_json_and_the_unit_parameter(event, lead_client):
    unit = event.administration.units[0]
    data = _get(lead_client, event.id, "json", unit=unit.id).get_json()
    assert [u["unit_id"] for u in data["units"]] == [unit.id]
    assert all(a["unit_id"] == unit.id and not a["draft"] for a in data["units"][0]["actions"])
    admin_wide = _get(lead_client, event.id, "json", unit=0).get_json()
    assert all(a["unit_id"] is None for u in admin_wide["units"] for a in u["actions"])


@pytest.mark.parametrize("unit, status, code", [("abc", 400, "invalid_unit"), ("99999", 400, "invalid_unit")])
def test_bad_unit_parameter(event, lead_client, unit, status, code):
    response = lead_client.get(f"/api/v1/events/{event.id}/actions.csv", query_string={"unit": unit})
    assert response.status_code == status and response.get_json()["error"]["code"] == code


def test_unknown_format_is_404(event, lead_client):
    assert lead_client.get(f"/api/v1/events/{event.id}/actions.pdf").status_code == 404


@pytest.mark.parametrize("dangerous", ["=HYPERLINK(\"http://evil\")", "+1+1", "-2+3", "@SUM(A1)"])
def test_formulas_are_never_exported_as_formulas(event, action, lead_client, dangerous):
    actions.update(action, {"responsible": dangerous, "subgoal_current": dangerous[:1] + "5"})
    db.session.commit()
    text = _get(lead_client, event.id, "csv").data.decode("utf-8-sig")
    row = next(r for r in csv.reader(io.StringIO(text, newline=""), delimiter=";") if r[0] == str(action.id))
    assert row[action_exports.HEADERS.index("Delmål: nuläge")] == "'" + dangerous[:1] + "5"
    book = openpyxl.load_workbook(io.BytesIO(_get(lead_client, event.id, "xlsx").data))
    cells = [c for s in book.worksheets for r in s.iter_rows() for c in r if c.value == dangerous[:1] + "5"]
    assert cells and all(c.data_type == "s" for c in cells)
    assert all(c.data_type != "f" for s in book.worksheets for r in s.iter_rows() for c in r)


def test_drafts_are_not_exported(event, lead, notes, lead_client):
    draft = actions.drafts_from_notes(event, "Ett utkast", [notes[0].id], lead)[0]
    db.session.commit()
    data = _get(lead_client, event.id, "json").get_json()
    assert draft.id not in {a["id"] for u in data["units"] for a in u["actions"]}


@pytest.mark.parametrize("fmt", ["xlsx", "json"])
def test_exports_are_built_in_a_job_thread_not_in_the_request(event, lead_client, monkeypatch, fmt):
    built_in = []
    for name in ("export", "to_json"):
        original = getattr(action_exports, name)

        def spy(*args, _original=original, **kwargs):
            built_in.append(threading.current_thread())
            return _original(*args, **kwargs)
        monkeypatch.setattr(action_exports, name, spy)
    _get(lead_client, event.id, fmt)
    assert built_in and threading.main_thread() not in built_in
