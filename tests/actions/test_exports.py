"""Exports read back: XLSX with openpyxl, DOCX with python-docx, CSV as Excel in Swedish locale reads it, JSON."""
import csv
import io
import threading

import docx
import openpyxl
import pytest

from cafe.extensions import db
from cafe.followup import action_exports, actions


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
    """What the exports should hold: every counted action as a row."""
    return [action_exports.row(a) for g in action_exports.unit_lists(event, unit_id) for a in g.actions]


def _cell(value):
    """A read-back cell as the row dict has it (empty cells come back as None)."""
    return "" if value is None else value


def test_xlsx_has_a_summary_and_a_sheet_per_unit_with_the_exported_rows(event, lead_client):
    data = _get(lead_client, event.id, "xlsx").data
    book = openpyxl.load_workbook(io.BytesIO(data))
    groups = action_exports.unit_lists(event)
    assert book.sheetnames[0] == "Sammanställning" and len(book.sheetnames) == len(groups) + 1
    rows = []
    for sheet in book.worksheets[1:]:
        header = [c.value for c in sheet[1]]
        assert header == action_exports.HEADERS and sheet.freeze_panes == "A2"
        assert sheet.column_dimensions["E"].width >= 30
        status_rules = [dv for dv in sheet.data_validations.dataValidation if dv.type == "list"]
        assert status_rules and "pågår" in status_rules[0].formula1 and "I2" in str(status_rules[0].sqref)
        rows += [dict(zip([k for k, _, _ in action_exports.COLUMNS], map(_cell, (c.value for c in r))))
                 for r in sheet.iter_rows(min_row=2)]
    assert rows == _expected(event)
    summary = book["Sammanställning"]
    totals = {r[0].value: r[-1].value for r in summary.iter_rows(min_row=2) if isinstance(r[-1].value, int)}
    assert totals == {g.name: len(g.actions) for g in groups}


def test_docx_has_a_section_per_unit_with_each_action_and_its_facts(event, lead_client):
    document = docx.Document(io.BytesIO(_get(lead_client, event.id, "docx").data))
    groups = action_exports.unit_lists(event)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [f"Åtgärdslista – {g.name}" for g in groups]
    assert len(document.sections) == len(groups)
    titles = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert titles == [a.title for g in groups for a in g.actions]
    first = groups[0].actions[0]
    facts = {r.cells[0].text: r.cells[1].text for r in document.tables[0].rows}
    assert facts["Status"] == actions.STATUS_SWEDISH[first.status]
    assert facts["Ansvarig"] == first.responsible


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


@pytest.mark.parametrize("value, safe", [("=1+1", "'=1+1"), ("+46", "'+46"), ("-", "'-"), ("@x", "'@x"),
                                         ("\tx", "'\tx"), ("\rx", "'\rx"), ("a=b", "a=b"), (7, 7), (None, "")])
def test_defuse_puts_an_apostrophe_before_formula_starts(value, safe):
    assert action_exports.defuse(value) == safe


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
