"""Spreadsheet cells: formula-like text stays text, times are real dates on the installation's clock, sheet
titles are cut between words."""
import io
from datetime import UTC, date, datetime

import openpyxl
import pytest
from openpyxl import Workbook

from cafe import config
from cafe.documents import cells

HOSTILE = ["=HYPERLINK(\"http://evil\",\"klicka\")", "+46701234567", "-2+3", "@SUM(A1:A9)", "\t=1+1",
           "\r=1+1"]


@pytest.mark.parametrize("value, safe", [("=1+1", "'=1+1"), ("+46", "'+46"), ("-", "'-"), ("@x", "'@x"),
                                         ("\tx", "'\tx"), ("\rx", "'\rx"), ("a=b", "a=b"), (7, 7), (None, "")])
def test_defuse_puts_an_apostrophe_before_formula_starts(value, safe):
    assert cells.defuse(value) == safe


@pytest.mark.parametrize("text", HOSTILE + ["'vanlig text", "ok"])
def test_undefuse_gives_back_the_original_text(text):
    assert cells.undefuse(str(cells.defuse(text))) == text


@pytest.mark.parametrize("text", HOSTILE)
def test_put_writes_formula_like_text_as_typed_text(text):
    book = Workbook()
    cells.put(book.active, 1, 1, text)
    out = io.BytesIO()
    book.save(out)
    cell = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active["A1"]
    assert cell.data_type == "s" and cell.value == text and cell.quotePrefix


def test_put_writes_real_dates_and_times():
    book = Workbook()
    cells.put(book.active, 1, 1, date(2026, 12, 3))
    cells.put(book.active, 1, 2, datetime(2026, 12, 3, 14, 5))
    out = io.BytesIO()
    book.save(out)
    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active
    assert sheet["A1"].is_date and sheet["A1"].value == datetime(2026, 12, 3)
    assert sheet["A1"].number_format == "yyyy-mm-dd"
    assert sheet["B1"].is_date and sheet["B1"].value == datetime(2026, 12, 3, 14, 5)
    assert sheet["B1"].number_format == "yyyy-mm-dd hh:mm"


@pytest.mark.parametrize("zone, utc, wall", [
    ("Europe/Stockholm", datetime(2026, 12, 3, 13, 5, 42, 123456, tzinfo=UTC), datetime(2026, 12, 3, 14, 5)),
    ("Europe/Stockholm", datetime(2026, 7, 1, 13, 5, tzinfo=UTC), datetime(2026, 7, 1, 15, 5)),
    ("UTC", datetime(2026, 7, 1, 13, 5, tzinfo=UTC), datetime(2026, 7, 1, 13, 5)),
])
def test_local_is_the_wall_clock_of_the_installation(app, zone, utc, wall):
    app.config["TIMEZONE"] = zone
    with app.app_context():
        assert cells.local(utc) == wall


@pytest.mark.parametrize("name, title", [
    ("Enheten för personer med funktionsnedsättning", "Enheten för personer med"),
    ("Äldreomsorgens beställarenhet", "Äldreomsorgens beställarenhet"),
    ("Familjeenheten: utredning [norr]", "Familjeenheten utredning norr"),
    ("Socialpsykiatrins-boendestödsenhet-i-Ekbacken", "Socialpsykiatrins-boendestödsenh"[:31]),
])
def test_sheet_titles_are_cut_between_words(name, title):
    assert cells.sheet_title(name, set()) == title and len(title) <= 31


def test_sheet_titles_stay_unique_and_short():
    taken: set[str] = set()
    titles = [cells.sheet_title("Enheten för personer med funktionsnedsättning norr", taken),
              cells.sheet_title("Enheten för personer med funktionsnedsättning söder", taken)]
    assert titles == ["Enheten för personer med", "Enheten för personer med (2)"]


def test_an_unknown_time_zone_stops_the_app_with_a_message(monkeypatch, tmp_path):
    monkeypatch.setenv("TIMEZONE", "Europe/Ekbacken")
    with pytest.raises(config.ConfigError, match="TIMEZONE"):
        config.load(str(tmp_path))
