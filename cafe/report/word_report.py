"""The report as a Word document: real headings (Word's table of contents works), tables with header rows
that repeat on every page, the charts as pictures with alternative text, the period in every page's header
and the page number in its footer."""
import io

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from ..documents import word
from .outline import Block

MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PICTURE_WIDTH = Cm(16)


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in when it lays out the page."""
    run = paragraph.add_run()
    begin, code, end = OxmlElement("w:fldChar"), OxmlElement("w:instrText"), OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, code, end):
        run._r.append(element)


def _page_frame(doc, period: str, page_word: str) -> None:
    """The period in the header and "Sida n" in the footer of every page."""
    section = doc.sections[0]
    section.header.paragraphs[0].text = period
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(page_word + " ")
    _field(footer, "PAGE")


def _repeat_header(row) -> None:
    """Mark a table's first row as its header row: Word repeats it on every page and reads it as a header."""
    properties = row._tr.get_or_add_trPr()
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    properties.append(marker)


def _table(doc, block: Block) -> None:
    """A table with a bold header row; marked rows (overdue actions) in bold."""
    table = doc.add_table(rows=1, cols=len(block.header))
    table.style = "Table Grid"
    header = table.rows[0]
    _repeat_header(header)
    for cell, text in zip(header.cells, block.header):
        cell.paragraphs[0].add_run(text).bold = True
    for n, values in enumerate(block.rows):
        cells = table.add_row().cells
        for cell, text in zip(cells, values):
            run = cell.paragraphs[0].add_run(text)
            run.bold = n in block.marked
    doc.add_paragraph()


def _picture(doc, block: Block) -> None:
    """A chart, as wide as the text, with its description as alternative text and as a caption."""
    doc.add_picture(io.BytesIO(block.image), width=PICTURE_WIDTH)
    shape = doc.inline_shapes[-1]
    shape._inline.docPr.set("descr", block.text)
    caption = doc.add_paragraph(block.text)
    caption.runs[0].italic = True
    caption.runs[0].font.size = Pt(9)


def _draft(paragraph) -> None:
    """The project lead's section stands out until it is rewritten: yellow highlight."""
    for run in paragraph.runs:
        run.font.highlight_color = WD_COLOR_INDEX.YELLOW


def _paragraphs(doc, block: Block) -> None:
    """A paragraph, a bulleted list or quotes; the draft section highlighted."""
    if block.kind == "quotes":
        for item in block.items:
            doc.add_paragraph(f"”{item}”", style="Quote")
        return
    texts, style = ([block.text], None) if block.kind == "paragraph" else (block.items, "List Bullet")
    for text in texts:
        paragraph = doc.add_paragraph(text, style=style)
        if block.style == "draft":
            _draft(paragraph)


def _char(run, kind: str) -> None:
    """A field character (begin, separate or end) at the end of a run."""
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run._r.append(char)


def _contents(doc, block: Block) -> None:
    """A table of contents over the section and point headings, which Word fills in when its field is
    updated; until then it shows how to do that."""
    paragraph = doc.add_paragraph()
    start = paragraph.add_run()
    _char(start, "begin")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = ' TOC \\o "1-2" \\h \\z \\u '
    start._r.append(code)
    _char(paragraph.add_run(), "separate")
    paragraph.add_run(block.text).italic = True
    _char(paragraph.add_run(), "end")


def _add(doc, block: Block) -> None:
    """One block of the outline as Word content."""
    if block.kind == "contents":
        _contents(doc, block)
    elif block.kind == "heading":
        doc.add_heading(block.text, level=block.level)
    elif block.kind == "table":
        _table(doc, block)
    elif block.kind == "image":
        _picture(doc, block)
    else:
        _paragraphs(doc, block)


def to_docx(blocks: list[Block], title: str, period: str, author: str, language: str, page_word: str) -> bytes:
    """The outline as the bytes of a .docx file on A4 in `language`."""
    doc = word.document(title, author, language, subject=period)
    _page_frame(doc, period, page_word)
    for block in blocks:
        _add(doc, block)
    return word.to_bytes(doc)
