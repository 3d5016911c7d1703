"""The host page's personal-data check in Chromium: the same findings as the server on every corpus note
and on generated ones, a warning while typing, and a first press of Enter that explains instead of
sending, also when a note only seems to name a person."""
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.pii_corpus import load
from cafe.privacy import names, pii
from tests.security.test_pii import NOT_PERSONAL, PHONES, identity_numbers, ordinary, phone_numbers, words
from tests.security.test_pii_names import ALSO_WORDS, MASKED, NAME_LIKE, WARNED

NAME_LIST = Path(__file__).resolve().parents[2] / "static" / "vendor" / "names_sv.txt"
BOTH = """texts => texts.map(t => {
    const found = Dialogcafe.pii.find(t);
    return [Dialogcafe.pii.kinds(found), Dialogcafe.pii.mask(t),
            Dialogcafe.pii.mentions(t, found).map(m => t.slice(m.start, m.end))];
})"""


def on_server(texts: list[str]) -> list:
    """What the server finds in the texts, in the shape BOTH returns."""
    result = []
    for text in texts:
        found = pii.find(text)
        result.append([pii.kinds(found), pii.mask(text, found),
                       [text[m.start:m.end] for m in pii.mentions(text, found)]])
    return result


@pytest.fixture
def host_page(live_cafe, page):
    """The host page of demo table 2, connected, with the name list loaded."""
    if NAME_LIST.read_text(encoding="utf-8") != names.DATA.read_text(encoding="utf-8"):
        pytest.fail("static/vendor/names_sv.txt is missing or old: run `make vendor`")
    page.goto(live_cafe.demo["tables"][1]["url"])
    page.wait_for_selector("#connection[data-state=online]")
    assert page.evaluate("Dialogcafe.pii.ready") is True
    return page


def test_browser_and_server_agree_on_every_corpus_note_and_edge_case(host_page):
    texts = [note.text for corpus in ("ordinary", "personal", "names", "held-out") for note in load(corpus)]
    texts += NOT_PERSONAL + [f"ring {number} i dag" for number in PHONES] + NAME_LIKE
    texts += [text for text, _ in MASKED + ALSO_WORDS + WARNED]
    assert host_page.evaluate(BOTH, texts) == on_server(texts)


first_names = st.sampled_from(sorted(names.vocabulary().first)).map(str.capitalize)
surnames = st.sampled_from(sorted(names.vocabulary().surnames)).map(str.capitalize)
client_words = st.sampled_from(sorted(names.vocabulary().clients))
samples = st.one_of(
    st.tuples(words, identity_numbers(), words).map(" ".join),
    st.tuples(words, identity_numbers(coordination=True), words).map(" ".join),
    st.tuples(words, identity_numbers(valid=False), words).map(" ".join),
    st.tuples(words, phone_numbers(), words).map(" ".join),
    st.from_regex(r"\A[a-z]{1,8}@[a-z]{2,8}\.se\Z").map(lambda a: f"mejla {a} nu"),
    st.lists(ordinary, min_size=1, max_size=4).map(", ".join),
    st.tuples(client_words, first_names, surnames, words).map(" ".join),
    st.tuples(first_names, words, phone_numbers()).map(" ".join),
    st.tuples(words, first_names, st.sampled_from(["på HR sa", "s förslag", "-Britt", " och"]), surnames)
    .map("".join),
)


def test_browser_and_server_find_the_same(host_page):
    @settings(max_examples=6, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.lists(samples, min_size=60, max_size=60))
    def compare(texts):
        assert host_page.evaluate(BOTH, texts) == on_server(texts)
    compare()


def test_host_is_warned_while_typing_and_before_sending(host_page, assert_accessible):
    field, warning = host_page.locator("#note-text"), host_page.locator("#note-pii")
    assert warning.is_hidden()
    field.fill("Ring Anna på 070-123 45 67 om introduktionen")
    assert warning.is_visible() and "telefonnummer" in warning.inner_text() and "namn" in warning.inner_text()
    field.press("Enter")
    assert "döljs" in warning.inner_text() and field.input_value() != ""
    assert host_page.locator("#note-list .note", has_text=re.compile(r"Ring .* om introduktionen")).count() == 0  # nothing sent yet
    assert_accessible(host_page)
    field.press("Enter")
    host_page.wait_for_selector(".note[data-status=saved] .note-text >> text=Ring [namn] på [telefonnummer]")
    assert "070-123" not in host_page.locator("#note-list").inner_text()
    assert warning.is_hidden()


def test_a_note_that_seems_to_name_a_person_is_sent_only_on_the_second_press(host_page, assert_accessible):
    field, warning = host_page.locator("#note-text"), host_page.locator("#note-pii")
    field.fill("Anna på HR sa att rekryteringen dröjer")
    assert warning.is_visible() and "nämna en person: Anna" in warning.inner_text()
    field.press("Enter")
    assert "Tryck Spara igen" in warning.inner_text() and field.input_value() != ""
    assert host_page.locator("#note-list .note", has_text="rekryteringen dröjer").count() == 0  # nothing sent yet
    assert_accessible(host_page)
    field.press("Enter")
    # Only a warning: the note is stored as typed.
    host_page.wait_for_selector(".note[data-status=saved] .note-text >> text=Anna på HR sa att rekryteringen dröjer")
    assert warning.is_hidden()


def test_a_masked_name_and_a_mentioned_one_are_both_told(host_page):
    field, warning = host_page.locator("#note-text"), host_page.locator("#note-pii")
    field.fill("klienten Fatima har väntat, Erik på HR vet")
    field.press("Enter")
    text = warning.inner_text()
    assert "namn på en klient" in text and "döljs" in text and "också nämna en person: Erik" in text


def test_ordinary_notes_are_sent_at_once(host_page):
    host_page.locator("#note-text").fill("8 bord kl 0800-1700 den 2026-12-03, per dag 12 000 kr")
    host_page.locator("#note-text").press("Enter")
    host_page.wait_for_selector(".note[data-status=saved] .note-text >> text=per dag 12 000 kr")
    assert host_page.locator("#note-pii").is_hidden()
