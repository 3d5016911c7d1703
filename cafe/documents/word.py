"""Word documents set up the house way: A4 with margins, the reader's language, the author and properties.

Every DOCX the app writes starts from `document()`, so the action lists and later reports look and
behave alike: printed on A4, spell-checked in Swedish (or English), and showing who made them.
"""
import io
from datetime import UTC, datetime

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

A4_WIDTH, A4_HEIGHT = Cm(21.0), Cm(29.7)
MARGIN = Cm(2.5)
LANGUAGE_TAGS = {"sv": "sv-SE", "en": "en-GB"}
# What Word shows for numbers and lists in each language (Swedish writes 2,5 and separates with ;).
NUMBER_SIGNS = {"sv": (",", ";"), "en": (".", ",")}


def language_tag(language: str | None) -> str:
    """The document's language tag for the interface language ("sv" -> "sv-SE"); Swedish by default."""
    return LANGUAGE_TAGS.get((language or "sv").split("_")[0].split("-")[0], LANGUAGE_TAGS["sv"])


def document(title: str, author: str, language: str | None = "sv", subject: str = "") -> Document:
    """A new document on A4 in the given language, with its title, subject and author set."""
    doc = Document()
    for section in doc.sections:
        page_a4(section)
    tag = language_tag(language)
    _set_language(doc, tag)
    doc.styles["Normal"].font.size = Pt(11)
    _properties(doc, title, author, tag, subject)
    return doc


def page_a4(section) -> None:
    """A4 portrait with even margins (a new section copies them from the one before)."""
    section.page_width, section.page_height = A4_WIDTH, A4_HEIGHT
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = MARGIN


def _set_language(doc, tag: str) -> None:
    """Spell-check and hyphenate the text in the document's language."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = run_defaults.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        run_defaults.append(lang)
    lang.set(qn("w:val"), tag)
    settings = doc.settings.element
    theme = settings.find(qn("w:themeFontLang"))
    if theme is not None:
        theme.set(qn("w:val"), tag)
    decimal, separator = NUMBER_SIGNS[tag.split("-")[0]]
    for name, value in (("w:decimalSymbol", decimal), ("w:listSeparator", separator)):
        element = settings.find(qn(name))
        if element is not None:
            element.set(qn("w:val"), value)


def _properties(doc, title: str, author: str, tag: str, subject: str) -> None:
    """The core properties Word shows under File > Info (python-docx's own placeholders replaced)."""
    props = doc.core_properties
    now = datetime.now(UTC).replace(microsecond=0)
    props.title, props.subject, props.language = title, subject, tag
    props.author = props.last_modified_by = author
    props.comments, props.keywords, props.category = "", "", ""
    props.created = props.modified = now
    props.revision = 1


def to_bytes(doc) -> bytes:
    """The document as the bytes of a .docx file."""
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
