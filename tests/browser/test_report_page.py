"""The report page in Chromium: the project lead reaches it from the café card, sees the preview with its
charts and sections, downloads the Word file, switches to the year's report; axe-core finds nothing."""
import re

from tests.browser.conftest import login


def test_the_project_lead_previews_and_downloads_the_report(live_server, context, assert_accessible):
    server = live_server
    held = server.demo["held"]
    page = context.new_page()
    creds = server.demo["project_lead"]
    login(page, server.url, creds["email"], creds["password"])
    page.goto(server.url + "/organizer/")
    page.get_by_role("link", name=f"Rapport – {held['title']}").click()
    page.wait_for_url(re.compile(rf"/actions/events/{held['event_id']}/report$"))
    assert page.locator("h1").inner_text() == "Rapport till nämnden"
    preview = page.locator("#preview")
    assert preview.get_by_role("heading", name="1. Sammanfattning").is_visible()
    assert preview.get_by_role("heading", name="7. Bilagor").is_visible()
    assert preview.locator("img[alt^='Stapeldiagram']").count() == 2
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Word (DOCX), för redigering").click()
    assert download.value.suggested_filename.endswith("-rapport.docx")

    year = held["date"][:4]
    page.get_by_label("Ett helt år").select_option(year)
    page.get_by_role("button", name="Visa årets rapport").click()
    page.wait_for_url(re.compile(rf"year={year}"))
    assert page.locator("#preview").get_by_role("heading", name=re.compile(f"dialogcaféerna {year}")).is_visible()
    assert_accessible(page)
