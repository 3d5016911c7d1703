"""File names say what a download is: ASCII, lower case, safe, with a Content-Disposition carrying filename*."""
from datetime import date

import pytest

from cafe.documents import downloads


@pytest.mark.parametrize("text, slug", [
    ("Familjeenheten", "familjeenheten"), ("Äldreomsorgens beställarenhet", "aldreomsorgens-bestallarenhet"),
    ("Temadag: Vår arbetssituation – dialogcafé om handlingsplanens 13 punkter",
     "temadag-var-arbetssituation-dialogcafe"),
    ("../../etc/passwd", "etc-passwd"), ('a"b;c\r\nd', "a-b-c-d"), ("", ""),
])
def test_slugs_are_ascii_lower_case_and_cut_between_words(text, slug):
    assert downloads.slug(text) == slug


def test_a_cafes_file_names_its_cafe_date_unit_and_contents():
    name = downloads.for_event("Dialogcafé", date(2026, 12, 4), "atgarder", "xlsx", "Familjeenheten")
    assert name == "dialogcafe-2026-12-04-familjeenheten-atgarder.xlsx"
    assert downloads.for_event("Dialogcafé", None, "arkiv", "json") == "dialogcafe-arkiv.json"


def test_the_header_carries_the_name_twice():
    header = downloads.attachment("dialogcafe-2026-12-04-atgarder.csv")
    assert header == ('attachment; filename="dialogcafe-2026-12-04-atgarder.csv"; '
                      "filename*=UTF-8''dialogcafe-2026-12-04-atgarder.csv")
