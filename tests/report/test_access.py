"""Who gets the report: project leads of the café's administration and the city level; another
administration's project lead is refused (403), an unknown café is 404, no token no report (401)."""
import pytest

from cafe.extensions import db
from cafe.models import Administration
from tests.report.conftest import login

LEAD = "projektledare@demo.dialogcafe.se"


@pytest.fixture(scope="module")
def other_admin(report_app) -> int:
    """The other administration's id."""
    with report_app.app_context():
        return db.session.scalar(db.select(Administration.id).where(Administration.name == "Annan förvaltning"))


@pytest.mark.parametrize("url", ["/api/v1/events/{held}/report.docx", "/api/v1/city/report.pdf?events={held}",
                                 "/api/v1/administrations/{admin}/report.html?year=2026"])
def test_no_token_no_report(report_app, held_id, other_admin, url):
    response = report_app.test_client().get(url.format(held=held_id, admin=other_admin))
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "unauthorized"


def test_another_administrations_project_lead_is_refused(report_app, held_id):
    client = login(report_app, "annan@example.se")
    assert client.get(f"/api/v1/events/{held_id}/report.docx").status_code == 403
    assert client.get(f"/api/v1/city/report.pdf?events={held_id}").status_code == 403
    assert client.get(f"/actions/events/{held_id}/report").status_code == 403
    assert client.get(f"/actions/report?events={held_id}").status_code == 403


def test_a_project_lead_cannot_ask_for_another_administrations_year(report_app, held_id, other_admin):
    lead = login(report_app, LEAD)
    assert lead.get(f"/api/v1/administrations/{other_admin}/report.docx?year=2026").status_code == 403
    assert lead.get("/api/v1/administrations/999999/report.docx?year=2026").status_code == 404
    assert lead.get("/api/v1/events/999999/report.docx").status_code == 404


def test_bad_input_is_a_clear_error(report_app, held_id):
    lead = login(report_app, LEAD)
    assert lead.get(f"/api/v1/events/{held_id}/report.exe").status_code == 404
    response = lead.get("/api/v1/city/report.docx?events=1,x")
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "invalid_field"
    response = lead.get("/api/v1/city/report.docx?year=19")
    assert response.status_code == 400 and "fyra siffror" in response.get_json()["error"]["message"]
    page = lead.get("/actions/report?year=abc")
    assert page.status_code == 400 and "fyra siffror" in page.get_data(as_text=True)


def test_the_project_lead_and_the_city_get_the_report(report_app, held_id):
    lead = login(report_app, LEAD)
    response = lead.get(f"/api/v1/events/{held_id}/report.html")
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "1. Sammanfattning" in response.get_data(as_text=True)
    assert response.headers["Content-Disposition"].startswith("inline; filename=\"temadag-")
    city = login(report_app, "stad@example.se")
    year = report_app.config["DEMO_INFO"]["held"]["date"][:4]
    response = city.get(f"/api/v1/city/report.docx?year={year}")
    assert response.status_code == 200 and response.data[:2] == b"PK"
    assert "rapport-alla-" in response.headers["Content-Disposition"]


def test_the_page_offers_a_choice_a_preview_and_downloads(report_app, held_id):
    lead = login(report_app, LEAD)
    page = lead.get(f"/actions/events/{held_id}/report").get_data(as_text=True)
    assert "Rapport till nämnden" in page and "1. Sammanfattning" in page
    assert f"/api/v1/events/{held_id}/report.docx" in page and f"/api/v1/events/{held_id}/report.pdf" in page
    dashboard = lead.get("/organizer/").get_data(as_text=True)
    assert f"/actions/events/{held_id}/report" in dashboard


def test_the_openapi_document_describes_the_report(report_app):
    paths = report_app.test_client().get("/api/v1/openapi.json").get_json()["paths"]
    for path in ("/api/v1/events/{event_id}/report.{fmt}", "/api/v1/administrations/{administration_id}/report.{fmt}",
                 "/api/v1/city/report.{fmt}"):
        assert paths[path]["get"]["responses"]["401"]
