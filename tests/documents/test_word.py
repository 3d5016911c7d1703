"""Word documents start the house way: A4 with margins, the document language, the author and properties."""
import io

import docx
import pytest
from docx.oxml.ns import qn

from cafe.documents import word


def _reopened(doc) -> docx.document.Document:
    """The document saved and read back, as Word would open it."""
    return docx.Document(io.BytesIO(word.to_bytes(doc)))


@pytest.mark.parametrize("language, tag", [("sv", "sv-SE"), ("en", "en-GB"), (None, "sv-SE"), ("en_GB", "en-GB")])
def test_a_new_document_is_a4_in_the_readers_language_by_its_author(language, tag):
    doc = word.document("Åtgärdslistor – Temadag", "Projektledare Eva", language)
    doc.add_section()
    opened = _reopened(doc)
    for section in opened.sections:
        assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
        assert round(section.left_margin.cm, 2) == round(section.top_margin.cm, 2) == 2.5
    defaults = opened.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.find(qn("w:lang")).get(qn("w:val")) == tag
    props = opened.core_properties
    assert (props.title, props.author, props.last_modified_by, props.language) == (
        "Åtgärdslistor – Temadag", "Projektledare Eva", "Projektledare Eva", tag)
    assert "python-docx" not in (props.comments + props.author)
