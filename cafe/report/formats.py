"""One entry for every way out: the report of some cafés or a year as DOCX, PDF or HTML in a language.

The page, the API and the CLI choose the cafés (`scope`), check who asks, then call `build` here, in a
job thread when they serve a request: a year's report takes seconds, which no socket should wait for.
"""
from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from ..documents import cells, word
from ..extensions import db
from ..models import Administration, Event, utcnow
from . import gather, printable, word_report
from .outline import Block, blocks
from .scope import Scope

FORMATS = {"docx": word_report.MIMETYPE, "pdf": printable.MIMETYPE_PDF, "html": printable.MIMETYPE_HTML}


@dataclass
class Written:
    """A report laid out in a language, ready to be written in any format."""

    blocks: list[Block]
    title: str
    period: str
    page_word: str
    language: str


def language_of(value: str | None) -> str:
    """"sv" or "en" from a locale such as "en_GB"; Swedish by default."""
    return word.language_tag(value).split("-")[0]


def reload(event_ids: list[int], year: int | None, administration_id: int | None) -> Scope:
    """The scope again from its ids, in a job thread with a session of its own (access was checked before)."""
    events = [db.session.get(Event, i) for i in event_ids]
    administration = db.session.get(Administration, administration_id) if administration_id else None
    return Scope([e for e in events if e is not None], year, administration)


def _title(scope: Scope) -> str:
    """The report's title: which café, which year, or cafés in general."""
    if scope.year is not None:
        return _("Rapport till nämnden: dialogcaféerna %(year)s", year=scope.year)
    if len(scope.events) == 1:
        return _("Rapport till nämnden: %(title)s", title=scope.events[0].title)
    return _("Rapport till nämnden: dialogcaféerna")


def write(scope: Scope, language: str | None) -> Written:
    """Read the report's content and lay it out in `language`."""
    lang = language_of(language)
    with force_locale(lang):
        title, period = _title(scope), scope.period(_("hela staden"))
        content = gather.report(scope, title, period, cells.local(utcnow()).date())
        return Written(blocks(content), title, period, _("Sida"), lang)


def render(written: Written, fmt: str, author: str) -> bytes:
    """The laid-out report as the bytes of a file in `fmt` (docx, pdf or html)."""
    if fmt == "docx":
        return word_report.to_docx(written.blocks, written.title, written.period, author, written.language,
                                   written.page_word)
    if fmt == "pdf":
        return printable.to_pdf(written.blocks, written.title, written.period, written.language,
                                written.page_word, author)
    return printable.to_html(written.blocks, written.title, written.period, written.language,
                             written.page_word).encode("utf-8")


def signed_by(name: str | None = None) -> str:
    """Who the document says wrote it: the asking user, else the installation."""
    return name or current_app.config.get("INSTALLATION_NAME") or "Dialogcafé"


def build(event_ids: list[int], year: int | None, administration_id: int | None, fmt: str,
          language: str | None, author: str | None = None) -> bytes:
    """The report of a scope as a file: what the page, the API and the CLI hand to a job."""
    return render(write(reload(event_ids, year, administration_id), language), fmt, signed_by(author))
