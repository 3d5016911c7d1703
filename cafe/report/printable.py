"""The report as a printable HTML page and as the PDF WeasyPrint makes of that same page: A4, the period
at the top and the page number at the foot of every page (`static/css/report.css`)."""
import base64
import hashlib
from collections import OrderedDict
from pathlib import Path
from threading import Lock

from flask import current_app

from .outline import Block

MIMETYPE_HTML = "text/html"
MIMETYPE_PDF = "application/pdf"
STYLESHEET = "css/report.css"
LAID_OUT = 8  # PDFs kept: a report downloaded again with nothing changed is not laid out again (a second)
_pdfs: OrderedDict[str, bytes] = OrderedDict()
_pdfs_lock = Lock()


def data_uri(png: bytes) -> str:
    """A chart as a data: URI, so that the page and the PDF carry their pictures inside them."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def to_html(blocks: list[Block], title: str, period: str, language: str, page_word: str,
            stylesheet: str | None = "/static/" + STYLESHEET) -> str:
    """The report as one standalone HTML document."""
    template = current_app.jinja_env.get_template("report/document.html")  # no request needed (a job thread)
    return template.render(blocks=blocks, title=title, period=period, lang=language,
                           page_word=page_word, stylesheet=stylesheet, data_uri=data_uri, offset=0)


def to_pdf(blocks: list[Block], title: str, period: str, language: str, page_word: str, author: str) -> bytes:
    """The same page as a PDF on A4, laid out by WeasyPrint with the report's stylesheet.

    The last few PDFs are kept by what they were made from (the page, its language and author), since
    WeasyPrint's layout is most of a report's time and the same report is often fetched again.
    """
    html = to_html(blocks, title, period, language, page_word, stylesheet=None)
    stylesheet = Path(current_app.static_folder) / STYLESHEET
    key = hashlib.sha256("\0".join([html, title, language, author, str(stylesheet.stat().st_mtime_ns)])
                         .encode("utf-8")).hexdigest()
    with _pdfs_lock:
        if key in _pdfs:
            _pdfs.move_to_end(key)
            return _pdfs[key]
    pdf = _laid_out(html, stylesheet, title, language, author)
    with _pdfs_lock:
        _pdfs[key] = pdf
        while len(_pdfs) > LAID_OUT:
            _pdfs.popitem(last=False)
    return pdf


def _laid_out(html: str, stylesheet: Path, title: str, language: str, author: str) -> bytes:
    """WeasyPrint's PDF of the page."""
    from weasyprint import CSS, HTML  # imported on first use: it loads Pango, which a server may never need

    document = HTML(string=html).render(stylesheets=[CSS(filename=str(stylesheet))])
    document.metadata.title, document.metadata.authors = title, [author]
    document.metadata.lang = language
    return document.write_pdf()
