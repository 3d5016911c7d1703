"""Clients' names: masked next to a client word, a family word or a number; other names only warned
about; names that are also words left alone; the shipped name list itself."""
import pytest

from cafe.privacy import names, pii


def masked(text: str) -> str:
    """The note as it would be stored."""
    return pii.mask(text)


def warned(text: str) -> list[str]:
    """The names the host page would warn about."""
    return [text[f.start:f.end] for f in pii.mentions(text)]


MASKED = [
    ("klienten Anna ringde", "klienten [namn] ringde"),
    ("mamman Fatima Ali förstod inte", "mamman [namn] förstod inte"),
    ("Anna 850101-1234 väntar", "[namn] [personnummer] väntar"),
    ("brukaren Erik Johansson fick avslag", "brukaren [namn] fick avslag"),
    ("pappan Mohammed kom", "pappan [namn] kom"),
    ("klienten, som heter Khalid, väntar", "klienten, som heter [namn], väntar"),
    ("Fatimas mamma ringde", "[namn] mamma ringde"),
    ("Erik, brukare sedan 2019, väntar", "[namn], brukare sedan 2019, väntar"),
    ("barnen Elsa, Hugo och Nils", "barnen [namn], [namn] och [namn]"),
    ("Anna tel. 070-123 45 67", "[namn] tel. [telefonnummer]"),
    ("850101-1234 (Anna Svensson) igen", "[personnummer] ([namn]) igen"),
    ("klienten anna har väntat", "klienten [namn] har väntat"),
    ("mamman Anna-Karin ringde", "mamman [namn] ringde"),
    ("klienten Fatima Abdulkadirova väntar", "klienten [namn] väntar"),
]
ALSO_WORDS = [
    ("klienten Per fick vänta", "klienten [namn] fick vänta"),
    ("brukaren Bo på boendet", "brukaren [namn] på boendet"),
    ("pappan Björn hotade", "pappan [namn] hotade"),
    ("mamman Klara ringde", "mamman [namn] ringde"),
    ("Dag 530606-2234 flyttar", "[namn] [personnummer] flyttar"),
]
NAME_LIKE = [
    "per dag kommer 40 samtal", "Per dag 5 besök", "alla klienter ska få svar", "Alla handläggare vill",
    "liv och hälsa", "Ros till chefen", "Dag 1 saknas", "bo kvar hemma", "Bo i egen lägenhet är målet",
    "björnen på logotypen", "Klara sig själv", "hans förslag var bra", "klienten inger förtroende",
    "mina kollegor", "max tre ärenden", "Maj är värst", "tor kl 9", "rita upp processen",
    "lex Sarah-rapporter", "S:t Eriks sjukhus ringer", "Sankt Görans akut", "barnet far illa",
]
WARNED = [
    ("Anna på HR sa att rekryteringen dröjer", ["Anna"]),
    ("chefen Lena var inte med", ["Lena"]),
    ("Johan Svensson i ledningsgruppen", ["Johan Svensson"]),
    ("Per Svensson sa", ["Per Svensson"]),
    ("Hannas förslag var bra", ["Hannas"]),
    ("Maria och Sofia är mentorer", ["Maria", "Sofia"]),
]


@pytest.mark.parametrize("text, expected", MASKED)
def test_a_name_next_to_a_client_word_a_family_word_or_a_number_is_masked(text, expected):
    assert masked(text) == expected


@pytest.mark.parametrize("text, expected", ALSO_WORDS)
def test_a_name_that_is_also_a_word_is_masked_next_to_a_client_word_or_a_number(text, expected):
    assert masked(text) == expected


@pytest.mark.parametrize("text", NAME_LIKE)
def test_name_like_words_are_neither_masked_nor_warned_about(text):
    assert masked(text) == text and warned(text) == []


@pytest.mark.parametrize("text, names_warned", WARNED)
def test_other_names_are_not_masked_but_warned_about(text, names_warned):
    assert masked(text) == text and warned(text) == names_warned


def test_a_masked_name_is_not_warned_about_again():
    text = "klienten Anna ringde igen, Eva från HR vet"
    assert masked(text) == "klienten [namn] ringde igen, Eva från HR vet" and warned(text) == ["Eva"]


def test_a_name_inside_an_e_mail_address_is_masked_with_the_address():
    assert masked("dottern lisa.berg@telia.com vill ha kopia") == "dottern [e-post] vill ha kopia"
    assert warned("mejla anna.svensson@gmail.com") == []


def test_block_and_warn_modes_see_names_as_personal_data():
    assert pii.kinds(pii.find("mamman Fatima ringde")) == ["namn"]
    assert pii.kinds(pii.find("Anna på HR sa")) == []


def test_the_name_list_is_shipped_with_its_source_and_sections():
    text = names.DATA.read_text(encoding="utf-8")
    assert "Statistics Sweden" in text.split("[first names]")[0]
    voc = names.vocabulary()
    assert len(voc.first) >= 2000 and len(voc.surnames) >= 500
    assert {"anna", "fatima", "mohammed", "erik", "per", "bo", "zainab", "dawit"} <= voc.first
    assert {"andersson", "ali", "hassan", "nguyen", "yilmaz"} <= voc.surnames
    assert {"per", "bo", "dag", "liv", "alla", "hans", "klara"} <= voc.words
    assert voc.words <= voc.first | voc.surnames
    assert {"klienten", "mamman", "brukaren", "pappan"} <= voc.clients
    assert ("som", "heter") in voc.connectors


def test_the_file_format_ignores_comments_and_unknown_sections():
    voc = names.parse("# a comment\n[first names]\nAnna  # the usual\n\n[other]\nBo\n[surnames]\nAli\n")
    assert voc.first == {"anna"} and voc.surnames == {"ali"} and voc.words == frozenset()
