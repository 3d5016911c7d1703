"""`flask --app cafe report`: a café's or a year's report written to a file; unknown input refused clearly."""
from docx import Document

from tests.report.conftest import CURATED


def test_the_command_writes_a_cafes_report(report_app, held_id, tmp_path):
    out = tmp_path / "rapport.docx"
    result = report_app.test_cli_runner().invoke(args=["report", str(held_id), "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert str(out) in result.output
    assert CURATED in "\n".join(p.text for p in Document(out).paragraphs)


def test_the_command_writes_a_years_html(report_app, tmp_path):
    out = tmp_path / "ar.html"
    year = report_app.config["DEMO_INFO"]["held"]["date"][:4]
    result = report_app.test_cli_runner().invoke(args=["report", "--year", year, "--administration",
                                                       "Ekbackens stadsdelsförvaltning", "--format", "html",
                                                       "--language", "en", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert "1. Summary" in out.read_text(encoding="utf-8")


def test_the_command_refuses_what_is_not_there(report_app):
    runner = report_app.test_cli_runner()
    assert "Ett café med det id:t finns inte" in runner.invoke(args=["report", "999999"]).output
    assert "Förvaltningen finns inte" in runner.invoke(args=["report", "--year", "2026", "--administration",
                                                             "Ingen"]).output
    both = runner.invoke(args=["report", "1", "--year", "2026"])
    assert both.exit_code == 1 and "antingen caféernas id eller --year" in both.output
    assert len(both.output.strip().splitlines()) == 1
