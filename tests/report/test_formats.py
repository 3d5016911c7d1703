"""The three formats say the same thing: the DOCX opened with python-docx (real headings, header rows,
pictures), the PDF read with pypdf (sections, the café on every page, page numbers, pictures), the HTML."""
import io
import re

from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from cafe.extensions import db
from cafe.models import Event
from tests.report.conftest import CURATED, NOVEL

SECTIONS = ["1. Sammanfattning", "2. Bakgrund", "3. Vad medarbetarna tog upp", "4. Frågor utanför handlingsplanen",
            "5. Åtgärder", "6. Förslag till fortsatt arbete", "7. Bilagor"]
SECTIONS_EN = ["1. Summary", "2. Background", "3. What staff raised", "4. Questions outside the action plan",
               "5. Actions", "6. Proposals for further work", "7. Appendices"]


def _all_text(doc) -> str:
    """Every paragraph and table cell of a document."""
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_the_docx_has_real_headings_in_order(docx):
    level1 = [p.text for p in docx.paragraphs if p.style.name == "Heading 1"]
    assert level1 == SECTIONS
    level2 = [p.text for p in docx.paragraphs if p.style.name == "Heading 2"]
    assert level2[:3] == ["Handlingsplanen", "Metoden", "Förhandsenkäten"]
    assert any(h.startswith("2. Introduktionsprogram") for h in level2)
    fields = [t.text for t in docx.element.body.iter(qn("w:instrText"))]
    assert any(f.strip().startswith('TOC \\o "1-2"') for f in fields)  # Word fills it from these headings


def test_the_docx_tables_have_header_rows_and_the_charts_are_pictures(docx):
    assert len(docx.tables) >= 4
    for table in docx.tables:
        first = table.rows[0]._tr
        assert first.trPr is not None and first.trPr.find(qn("w:tblHeader")) is not None
        assert all(run.bold for cell in table.rows[0].cells for run in cell.paragraphs[0].runs)
    assert len(docx.inline_shapes) == 2
    descriptions = [s._inline.docPr.get("descr") for s in docx.inline_shapes]
    assert all(descriptions)


def test_the_docx_numbers_and_quotes_are_the_stored_ones(report_app, held_id, docx):
    with report_app.app_context():
        event = db.session.get(Event, held_id)
        notes = db.session.execute(db.text("SELECT text FROM notes WHERE event_id = :e AND deleted_at IS NULL"),
                                   {"e": held_id}).scalars().all()
        title = event.title
    body = _all_text(docx)
    assert f"{len(notes)} anteckningar" in body
    quotes = [p.text.strip("”") for p in docx.paragraphs if p.style.name == "Quote"]
    assert quotes and set(quotes) <= set(notes)
    assert CURATED in body and NOVEL in body and "UTKAST" in body
    assert docx.sections[0].header.paragraphs[0].text.startswith(title)
    assert docx.core_properties.author == "Projektledare" and docx.core_properties.language == "sv-SE"


def test_the_pdf_has_the_sections_the_cafe_on_every_page_and_page_numbers(built, pdf_pages, report_app, held_id):
    with report_app.app_context():
        title = db.session.get(Event, held_id).title
    text = "\n".join(pdf_pages)
    flat = re.sub(r"\s+", " ", text)
    for heading in SECTIONS:
        assert heading in flat
    for n, page in enumerate(pdf_pages, start=1):
        assert f"Sida {n} / {len(pdf_pages)}" in page
        assert re.sub(r"\s+", " ", page).count(title[:30]) >= 1
    assert CURATED in flat and NOVEL in flat
    images = {image.data for page in PdfReader(io.BytesIO(built["pdf"])).pages for image in page.images}
    assert len(images) == 2


def test_the_html_page_says_the_same(built, docx):
    html = built["html"].decode()
    for heading in SECTIONS:
        assert f">{heading}<" in html
    assert html.count("data:image/png;base64,") == 2
    for quote in [p.text.strip("”") for p in docx.paragraphs if p.style.name == "Quote"][:5]:
        assert quote.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") in html or "'" in quote or '"' in quote


def test_the_report_is_in_english_when_asked(built):
    doc = Document(io.BytesIO(built["docx-en"]))
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 1"] == SECTIONS_EN
    assert doc.core_properties.language == "en-GB"


def test_a_report_fetched_again_is_not_drawn_or_laid_out_again_but_a_change_is(report_app, held_id, built):
    from cafe.report import charts, formats, printable
    with report_app.app_context():
        written = formats.write(formats.reload([held_id], None, None), "sv")
        drawn = charts._notes_per_point.cache_info().hits
        again = formats.write(formats.reload([held_id], None, None), "sv")
        assert charts._notes_per_point.cache_info().hits == drawn + 1
        assert formats.render(again, "pdf", "Projektledare") is formats.render(written, "pdf", "Projektledare")
        assert formats.render(again, "pdf", "Projektledare") == built["pdf"]
        other = formats.render(written, "pdf", "Någon annan")  # another author is another document
        assert other != built["pdf"] and PdfReader(io.BytesIO(other)).metadata.author == "Någon annan"
        written.title += " (reviderad)"
        assert formats.render(written, "pdf", "Projektledare") != built["pdf"]
    assert len(printable._pdfs) <= printable.LAID_OUT
